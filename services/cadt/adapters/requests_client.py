"""A CAD Trust v1 node over HTTP with requests. The API key travels in `x-api-key` and is never logged."""

from __future__ import annotations

from typing import Any

import requests

from services.cadt.domain.dates import as_sent
from services.cadt.domain.model import Connection
from services.cadt.domain.picklists import Picklists
from services.cadt.service_layer.ports import CadtPendingCommit, CadtRefused, CadtUnauthorized, CadtUnavailable

PAGE_LIMIT = 1000  # CADT's maximum
PENDING_MARK = "pending on the blockchain"


class RequestsCadtClient:
    def __init__(self, connection: Connection, *, timeout_s: float = 10.0, session: requests.Session | None = None):
        self.base = connection.base_url.rstrip("/")
        self.timeout_s = timeout_s
        self.http = session or requests.Session()
        self.http.headers["x-api-key"] = connection.api_key

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self.http.request(method, f"{self.base}{path}", timeout=self.timeout_s, **kwargs)
        except requests.RequestException as error:
            raise CadtUnavailable(f"{method} {path}: {type(error).__name__}") from None
        if response.status_code >= 500:
            raise CadtUnavailable(f"{method} {path} answered {response.status_code}")
        body = _json(response)
        if response.status_code in (401, 403):
            raise CadtUnauthorized(str(body.get("message", "API key refused")))
        if response.status_code >= 400:
            message = str(body.get("message", f"HTTP {response.status_code}"))
            detail = body.get("error")
            if isinstance(detail, str) and PENDING_MARK in detail:
                raise CadtPendingCommit(detail)
            errors = body.get("errors") or ([detail] if detail else [])
            raise CadtRefused(message, [str(e) for e in errors])
        return body

    def _pages(self, path: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        page = 1
        while True:
            body = self._call("GET", path, params={"page": page, "limit": PAGE_LIMIT})
            rows += body["data"]
            if page >= int(body.get("pageCount", 1)):
                return rows
            page += 1

    def organizations(self) -> dict[str, Any]:
        """The node's organizations by orgUid; `{}` before one is created."""
        body = self._call("GET", "/v1/organizations")
        return body if isinstance(body, dict) else {}

    def picklists(self) -> Picklists:
        return dict(self._call("GET", "/v1/governance/meta/pickList"))

    def has_pending_commit(self) -> bool:
        return not self._call("GET", "/v1/staging/hasPendingTransactions").get("confirmed", False)

    def staging_count(self) -> int:
        body = self._call("GET", "/v1/staging")
        return len(body.get("data", []))

    def commit(self, comment: str) -> None:
        self._call("POST", "/v1/staging/commit", json={"comment": comment, "author": "carbon registry platform"})

    def create_project(self, payload: dict[str, Any]) -> str:
        return str(self._call("POST", "/v1/projects", json=payload)["uuid"])

    def update_project(self, payload: dict[str, Any]) -> None:
        self._call("PUT", "/v1/projects", json=payload)

    def projects(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = as_sent(self._pages("/v1/projects"))
        return rows

    def create_unit(self, payload: dict[str, Any]) -> str:
        return str(self._call("POST", "/v1/units", json=payload)["uuid"])

    def update_unit(self, payload: dict[str, Any]) -> None:
        self._call("PUT", "/v1/units", json=payload)

    def split_unit(self, warehouse_unit_id: str, records: list[dict[str, Any]]) -> None:
        self._call("POST", "/v1/units/split", json={"warehouseUnitId": warehouse_unit_id, "records": records})

    def units(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = as_sent(self._pages("/v1/units"))
        return rows


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {"data": body}
