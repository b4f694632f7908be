"""What the log's services need from storage."""

from collections.abc import Mapping
from typing import Protocol

from services.transparency.domain.leaves import JournalEntry
from services.transparency.domain.merkle import Node


class TreeStore(Protocol):
    def head(self, *, lock: bool = False) -> tuple[int, bytes]:
        """The integrated size and its root; `lock` holds the head until commit (one sequencer at a time)."""

    def nodes(self, wanted: set[Node]) -> dict[Node, bytes]:
        """The stored hashes of the wanted nodes (those not stored are left out)."""

    def all_nodes(self) -> dict[Node, bytes]: ...

    def add(self, nodes: Mapping[Node, bytes], size: int, root: bytes) -> None:
        """Store new nodes and move the head to `size`, `root`."""


class JournalSource(Protocol):
    def entries(self, from_sequence: int, limit: int | None = None) -> list[JournalEntry]:
        """Journal records from `from_sequence` on, in sequence order."""
