"""What the log's services need from storage."""

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from services.transparency.domain.keys import LogKey, SignedCheckpoint
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


class SecretBox(Protocol):
    """Encrypts secrets at rest (the platform's AES-GCM box under SECRET_KEY)."""

    def encrypt(self, plaintext: bytes, context: str) -> bytes: ...

    def decrypt(self, ciphertext: bytes, context: str) -> bytes: ...


class KeyRing(Protocol):
    def history(self) -> list[LogKey]:
        """Every key, oldest first; the one without `retired_at` signs."""

    def private_key(self, key_id: str) -> bytes:
        """The encrypted private half of a key."""

    def add(self, key: LogKey, private_encrypted: bytes) -> None: ...

    def retire(self, key_id: str, at: datetime) -> None: ...


class CheckpointStore(Protocol):
    def latest(self) -> SignedCheckpoint | None: ...

    def find(self, size: int, key_id: str) -> SignedCheckpoint | None: ...

    def add(self, checkpoint: SignedCheckpoint) -> None: ...
