"""What the publisher needs from outside: a CAD Trust node and a place to keep its sync records."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, Protocol

from services.cadt.domain.model import Connection, Kind, SyncRecord
from services.cadt.domain.picklists import Picklists


class CadtError(Exception):
    """A CAD Trust node did not do what was asked."""


class CadtUnavailable(CadtError):
    """Down, too slow or 5xx: nothing is lost, try again later."""


class CadtUnauthorized(CadtError):
    """The node refused the API key: only new settings can help."""


class CadtPendingCommit(CadtError):
    """The node refuses writes until its last commit has landed."""


class CadtRefused(CadtError):
    """The node refused this record; `errors` says why."""

    def __init__(self, message: str, errors: list[str]) -> None:
        super().__init__(f"{message}: {'; '.join(errors)}" if errors else message)
        self.errors = errors


class CadtClient(Protocol):
    def organizations(self) -> dict[str, Any]: ...

    def picklists(self) -> Picklists: ...

    def has_pending_commit(self) -> bool: ...

    def staging_count(self) -> int: ...

    def commit(self, comment: str) -> None: ...

    def create_project(self, payload: dict[str, Any]) -> str: ...

    def update_project(self, payload: dict[str, Any]) -> None: ...

    def projects(self) -> list[dict[str, Any]]: ...

    def create_unit(self, payload: dict[str, Any]) -> str: ...

    def update_unit(self, payload: dict[str, Any]) -> None: ...

    def split_unit(self, warehouse_unit_id: str, records: list[dict[str, Any]]) -> None: ...

    def units(self) -> list[dict[str, Any]]: ...


class CadtStore(Protocol):
    def get(self, kind: Kind, local_id: str) -> SyncRecord | None: ...

    def records(self, kind: Kind) -> list[SyncRecord]: ...

    def save(self, record: SyncRecord) -> None: ...

    def connection(self) -> Connection | None: ...

    def save_connection(self, connection: Connection) -> None: ...

    def cached_picklists(self) -> Picklists | None: ...

    def cache_picklists(self, picklists: Picklists) -> None: ...

    def all_details(self) -> dict[str, dict[str, Any]]: ...

    def retryable(self) -> int: ...


class SettingsStore(CadtStore, Protocol):
    """The store as a registry's administrator edits the connection and a project's CAD Trust details."""

    def details(self, project_id: str) -> dict[str, Any] | None: ...

    def save_details(self, project_id: str, details: dict[str, Any]) -> None: ...

    def retry_soon(self) -> None: ...

    def retry_refused(self) -> int: ...


class PublisherLease(Protocol):
    """One publisher per registry at a time; `hold` yields whether this one holds the lease."""

    def hold(self, wait: bool) -> AbstractContextManager[bool]: ...


class LedgerProjects(Protocol):
    """The ledger's projects and issuances as they are now, shaped as their `recorded` events are."""

    def projects(self) -> list[dict[str, Any]]: ...

    def issuances(self) -> list[dict[str, Any]]: ...
