"""What the v2 publisher needs: from a CAD Trust node, create, update and list the records of a v2 table;
from the reporting context, the AEF submissions to publish."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol


class CadtV2Client(Protocol):
    def has_pending_commit(self) -> bool:
        """Whether committed records have yet to land."""

    def staging_count(self) -> int:
        """Records staged and not yet committed."""

    def commit(self, comment: str) -> None: ...

    def create(self, table: str, payload: dict[str, Any]) -> str:
        """Stages a new record; answers the id the node gave it."""

    def update(self, table: str, record_id: str, payload: dict[str, Any]) -> None: ...

    def delete(self, table: str, record_id: str) -> None:
        """Stages the removal of a record the node holds (the AEF tables' routes take it)."""

    def records(self, table: str) -> list[dict[str, Any]]: ...


class AefSubmissions(Protocol):
    """The AEF submissions of one registry, as the reporting context built them."""

    def latest(self) -> list[dict[str, Any]]:
        """Per reported year, its latest finished version: {"id", "year", "version"}."""

    def sheets(self, submission_id: str) -> Mapping[str, Sequence[Mapping[str, Any]]]:
        """The five tables of one version, by AEF sheet name, each row as {column title: cell}."""
