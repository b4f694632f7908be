"""The journal's hash chain checked on an open session: by `registry journal verify` and by every import."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.orm import Session

from services.ledger.api import journal_check
from services.ledger.domain.journal import BrokenLink
from tenants.domain.errors import InvalidTenant


def first_broken_link(session: Session, tenant_id: UUID) -> tuple[BrokenLink | None, int]:
    """The journal's first broken link (None when intact) and how many records it has."""
    return journal_check(session, tenant_id)


def journal_intact(session: Session, tenant_id: UUID) -> None:
    """The import check: a restored registry's journal must verify, or the import is refused."""
    broken, _count = first_broken_link(session, tenant_id)
    if broken is not None:
        raise InvalidTenant(
            f"the archive's journal is broken at record {broken.sequence} ({broken.reason}): "
            "it was altered or is incomplete; restore from another export"
        )
