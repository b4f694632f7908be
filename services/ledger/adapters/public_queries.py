"""The reads the ledger answers for other contexts, in their tenant session (see `services.ledger.api`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.ledger.adapters import rows
from services.ledger.adapters.journal import record_from
from services.ledger.adapters.tables import accounts, issuances, journal, journal_heads, projects, transactions
from services.ledger.domain.journal import BrokenLink, JournalRecord, verify_chain
from services.ledger.domain.reference import Issuance, Project
from services.ledger.domain.transactions import INTERNATIONAL_TYPES, TransactionStatus


@dataclass(frozen=True)
class InternationalTransfer:
    number: str
    acquiring_registry_id: str
    awaiting_acceptance: bool


def acquisition_account(session: Session, tenant_id: UUID, number: object) -> tuple[UUID, str] | None:
    """The account numbered `number`, or without a number the tenant's oldest open Party holding account:
    its id and number."""
    query = select(accounts.c.id, accounts.c.number).where(accounts.c.tenant_id == tenant_id)
    if number:
        query = query.where(accounts.c.number == str(number))
    else:
        query = query.where(accounts.c.type == "party_holding", accounts.c.status == "open")
    row = session.execute(query.order_by(accounts.c.opened_at, accounts.c.id).limit(1)).first()
    return None if row is None else (row[0], str(row[1]))


def international_transfer(session: Session, tenant_id: UUID, transfer_id: UUID) -> InternationalTransfer | None:
    row = session.execute(
        select(transactions.c.number, transactions.c.status, transactions.c.details).where(
            transactions.c.tenant_id == tenant_id,
            transactions.c.id == transfer_id,
            transactions.c.type.in_([str(t) for t in INTERNATIONAL_TYPES]),
        )
    ).first()
    if row is None:
        return None
    return InternationalTransfer(
        number=str(row.number),
        acquiring_registry_id=str(dict(row.details).get("acquiring_registry_id", "")),
        awaiting_acceptance=row.status == TransactionStatus.AWAITING_ACCEPTANCE,
    )


def registry_projects(session: Session, tenant_id: UUID) -> list[Project]:
    """Every project the registry recorded, as the ledger holds it now."""
    found = session.execute(select(projects).where(projects.c.tenant_id == tenant_id).order_by(projects.c.id))
    return [rows.project_from(dict(row)) for row in found.mappings()]


def registry_issuances(session: Session, tenant_id: UUID) -> list[Issuance]:
    """Every issuance the registry recorded, as the ledger holds it now."""
    found = session.execute(select(issuances).where(issuances.c.tenant_id == tenant_id).order_by(issuances.c.id))
    return [rows.issuance_from(dict(row)) for row in found.mappings()]


# Records read per round trip while the chain is checked: a journal of millions never sits in memory whole.
JOURNAL_CHECK_BATCH = 2000


def journal_check(session: Session, tenant_id: UUID) -> tuple[BrokenLink | None, int]:
    """The journal's first broken link (None when intact) and how many records it has."""
    head_hash = session.execute(
        select(journal_heads.c.record_hash).where(journal_heads.c.tenant_id == tenant_id)
    ).scalar()
    counted = _Counted(_streamed_journal(session, tenant_id))
    broken = verify_chain(counted, head_hash=head_hash)
    if broken is not None:
        counted.drain()
    return broken, counted.count


def _streamed_journal(session: Session, tenant_id: UUID) -> Iterator[JournalRecord]:
    statement = select(journal).where(journal.c.tenant_id == tenant_id).order_by(journal.c.sequence)
    found = session.execute(statement.execution_options(yield_per=JOURNAL_CHECK_BATCH)).mappings()
    return (record_from(r) for r in found)


class _Counted:
    """Counts the records `verify_chain` reads, and the rest after a break, without holding them."""

    def __init__(self, records: Iterator[JournalRecord]) -> None:
        self.records, self.count = records, 0

    def __iter__(self) -> Iterator[JournalRecord]:
        for record in self.records:
            self.count += 1
            yield record

    def drain(self) -> None:
        self.count += sum(1 for _ in self.records)
