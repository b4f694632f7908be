"""A CAD Trust node's v2 routes over HTTP: one route per table, staged writes, one commit for all tables."""

from __future__ import annotations

from typing import Any

from services.cadt.adapters.requests_client import RequestsCadtClient
from services.cadt.domain.mapping_v2 import ROUTES
from services.cadt.domain.model import Connection


class RequestsCadtV2Client(RequestsCadtClient):
    def has_pending_commit(self) -> bool:
        body = self._call("GET", "/v2/staging", params={"type": "pending", "page": 1, "limit": 1})
        return bool(body.get("data"))

    def staging_count(self) -> int:
        return 0 if self._call("GET", "/v2/staging/pending").get("confirmed", True) else 1

    def commit(self, comment: str) -> None:
        self._call("POST", "/v2/staging/commit", json={"comment": comment, "author": "carbon registry platform"})

    def create(self, table: str, payload: dict[str, Any]) -> str:
        segment, id_field = ROUTES[table]
        return str(self._call("POST", f"/v2/{segment}", json=payload)[id_field])

    def update(self, table: str, record_id: str, payload: dict[str, Any]) -> None:
        self._call("PUT", f"/v2/{ROUTES[table][0]}/{record_id}", json=payload)

    def delete(self, table: str, record_id: str) -> None:
        self._call("DELETE", f"/v2/{ROUTES[table][0]}/{record_id}")

    def records(self, table: str) -> list[dict[str, Any]]:
        return self._pages(f"/v2/{ROUTES[table][0]}")


def client_for(connection: Connection) -> RequestsCadtClient:
    """The node's client for the data model the registry publishes with."""
    return RequestsCadtV2Client(connection) if connection.data_model_version == "v2" else RequestsCadtClient(connection)
