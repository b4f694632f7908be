"""Per-tenant CAD Trust settings: changing them clears a stopped state and retries refused records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.cadt.domain.model import Connection, ConnectionState
from services.cadt.service_layer.ports import CadtStore

DATA_MODEL_VERSIONS = ("v1", "v2")


class InvalidSettings(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ConfigureConnection:
    base_url: str
    api_key: str | None  # None keeps the stored key
    organization_id: str = ""
    data_model_version: str = "v1"
    enabled: bool = False
    options: dict[str, Any] | None = None


def configure(store: CadtStore, command: ConfigureConnection, *, party: str, retry: Any = None) -> Connection:
    if not command.base_url.startswith(("http://", "https://")):
        raise InvalidSettings("base_url", "Give the node's base URL, starting with http:// or https://.")
    if command.data_model_version not in DATA_MODEL_VERSIONS:
        raise InvalidSettings("data_model_version", f"Only {', '.join(DATA_MODEL_VERSIONS)} can be published today.")
    current = store.connection()
    api_key = command.api_key if command.api_key is not None else (current.api_key if current else None)
    if not api_key:
        raise InvalidSettings("api_key", "Give the node's API key (its x-api-key).")
    options = dict(command.options if command.options is not None else (current.options if current else {}))
    options["party"] = party
    connection = Connection(
        base_url=command.base_url,
        api_key=api_key,
        organization_id=command.organization_id,
        data_model_version=command.data_model_version,
        enabled=command.enabled,
        options=options,
        state=ConnectionState.OK,
    )
    store.save_connection(connection)
    if retry is not None:
        retry()
    return connection
