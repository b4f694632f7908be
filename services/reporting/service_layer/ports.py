"""What the projection needs of storage; the SQL adapter implements it on the consumer's session."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from services.reporting.domain.records import ActionRecord, Block

Cells = list[Any]  # one AEF table row


class ProjectionStore(Protocol):
    """Reads see the store's own writes at once; `flush` is when they must have reached storage."""

    def preload(self, blocks: Iterable[Block]) -> None:
        """Read ahead what `current_blocks_overlapping` and `record_block` will ask about these blocks."""

    def flush(self) -> None: ...

    def current_blocks_overlapping(self, block: Block) -> list[Block]: ...

    def record_block(self, block: Block, at: datetime) -> None: ...

    def end_block(self, block_id: UUID, at: datetime) -> None: ...

    def has_action(self, transaction_number: str, block_id: UUID, action_type: str) -> bool: ...

    def add_action(self, record: ActionRecord) -> None: ...

    def remove_action(self, transaction_number: str, block_id: UUID, action_type: str) -> None: ...

    def put(self, kind: str, key: dict[str, Any], values: dict[str, Any]) -> None: ...

    def latest_sequence(self, below: int | None = None) -> int | None:
        """The highest `sequence` among the events kept for this tenant (only those under `below`, if given)."""

    def keep_event(self, sequence: int, event_name: str, data: dict[str, Any]) -> None: ...

    def kept_events(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """The kept events of this tenant, in `sequence` order."""

    def clear(self) -> None:
        """Empty the tenant's projection, keeping its kept events."""


class ReportSource(Protocol):
    """Reads the projection of one tenant."""

    def actions(self, year: int) -> list[dict[str, Any]]: ...

    def holdings(self, at: datetime) -> list[dict[str, Any]]: ...

    def count_actions(self, year: int) -> int: ...

    def stream_actions(self, year: int) -> Iterator[Mapping[str, Any]]:
        """The same rows as `actions`, read in batches so memory does not grow with their number."""
        ...

    def stream_holdings(self, at: datetime) -> Iterator[Mapping[str, Any]]: ...

    def authorizations(self) -> list[dict[str, Any]]: ...

    def entities(self) -> list[dict[str, Any]]: ...

    def first_activity(self) -> datetime | None: ...


class SubmissionStore(Protocol):
    def versions(self, year: int) -> list[str]: ...

    def create(self, submission: dict[str, Any]) -> None: ...

    def update(self, submission_id: UUID, values: dict[str, Any]) -> None: ...

    def get(self, submission_id: UUID) -> dict[str, Any] | None: ...

    def list(self, year: int | None = None) -> list[dict[str, Any]]:
        """Every submission (of the year, if given), oldest request first."""
        ...

    def rows(self, submission_id: UUID, sheet: str) -> Iterator[Cells]:
        """One table of one version, in row order."""
        ...

    def write_rows(self, submission_id: UUID, rows: Iterable[tuple[str, int, Cells]]) -> None:
        """Stores the (table, row number from 1, cells) of one version, taking the rows as they come."""
        ...

    def tables(self, submission_id: UUID) -> Mapping[str, Iterable[Cells]]:
        """Every table of one version, each read as it is iterated (a download's rows)."""
        ...
