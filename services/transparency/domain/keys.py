"""A registry's checkpoint keys: one signs at a time; retired ones stay published so old notes still verify."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class LogKey:
    key_id: str  # hex of the C2SP key id
    name: str
    public_key: bytes
    created_at: datetime
    retired_at: datetime | None = None


@dataclass(frozen=True)
class SignedCheckpoint:
    size: int
    key_id: str
    note: str
    signed_at: datetime
