from uuid import UUID

from uuid6 import uuid7


def new_id() -> UUID:
    """A time-ordered UUID (version 7), unique across every tenant."""
    return UUID(int=uuid7().int)
