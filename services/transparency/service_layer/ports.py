"""What the log's services need from storage."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from services.transparency.domain.keys import LogKey, SignedCheckpoint
from services.transparency.domain.leaves import JournalEntry
from services.transparency.domain.merkle import Node
from services.transparency.domain.witness import Witnessed


class TreeStore(Protocol):
    def head(self, *, lock: bool = False) -> tuple[int, bytes]:
        """The integrated size and its root; `lock` holds the head until commit (one sequencer at a time)."""

    def nodes(self, wanted: set[Node]) -> dict[Node, bytes]:
        """The stored hashes of the wanted nodes (those not stored are left out)."""

    def head_and_nodes(self, wanted: set[Node]) -> tuple[int, dict[Node, bytes]]:
        """The integrated size and the stored hashes of the wanted nodes, read together."""

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


@dataclass(frozen=True)
class WitnessEntry:
    """A witness of the registry's log: another registry of the platform (registry_code) or one at `url`."""

    name: str
    verifier_key: str
    registry_code: str | None
    url: str | None
    size: int  # the size it last cosigned


class WitnessClient(Protocol):
    def add_checkpoint(self, request: str) -> str:
        """Send a tlog-witness add-checkpoint request; the witness's cosignature lines, or WitnessRefusal."""


class WitnessedLogs(Protocol):
    """As a witness: the logs it follows and the last checkpoint of each it cosigned."""

    def verifier_key(self, origin: str) -> str | None: ...

    def last(self, origin: str, *, lock: bool = False) -> Witnessed: ...

    def cosigned(self, origin: str, size: int, root: bytes) -> None: ...
