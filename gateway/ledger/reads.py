"""Read-only lists and look-ups of one tenant's ledger tables, for the HTTP API.

The service layer answers the questions with rules (holdings, statements, a unit's trail); plain
lists with filters and pages are read here straight from the tables, always scoped to the tenant.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

from sqlalchemy import ColumnElement, Table, func, or_, select

from gateway.ledger.context import ledger_tenant, platform
from services.ledger.adapters import orm, rows
from services.ledger.adapters.transactions import change_from, transaction_from
from services.ledger.domain.accounts import Account
from services.ledger.domain.authorizations import Authorization
from services.ledger.domain.blocks import UnitBlock
from services.ledger.domain.reference import AuthorizedEntity, CooperativeApproach, Issuance, Project
from services.ledger.domain.transactions import Transaction

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    page: int
    page_size: int
    total: int


def _page(
    table: Table,
    decode: Callable[[Any], T],
    criteria: Sequence[ColumnElement[bool]],
    order: Sequence[Any],
    page: int,
    page_size: int,
) -> Page[T]:
    tenant_id = ledger_tenant().id
    where = [table.c.tenant_id == tenant_id, *criteria]
    with platform().database.transaction(tenant_id) as session:
        total = session.execute(select(func.count()).select_from(table).where(*where)).scalar_one()
        query = select(table).where(*where).order_by(*order).limit(page_size).offset((page - 1) * page_size)
        found = [dict(row) for row in session.execute(query).mappings()]
    return Page([decode(row) for row in found], page, page_size, total)


def _one(table: Table, decode: Callable[[Any], T], *criteria: ColumnElement[bool]) -> T | None:
    tenant_id = ledger_tenant().id
    with platform().database.transaction(tenant_id) as session:
        row = session.execute(select(table).where(table.c.tenant_id == tenant_id, *criteria)).mappings().first()
    return None if row is None else decode(dict(row))


def approaches(status: str | None, page: int, page_size: int) -> Page[CooperativeApproach]:
    c = orm.approaches.c
    criteria = [c.status == status] if status else []
    return _page(orm.approaches, rows.approach_from, criteria, [c.id], page, page_size)


def approach(approach_id: str) -> CooperativeApproach | None:
    return _one(orm.approaches, rows.approach_from, orm.approaches.c.id == approach_id)


def projects(filters: dict[str, Any], page: int, page_size: int) -> Page[Project]:
    c = orm.projects.c
    criteria = [getattr(c, name) == value for name, value in filters.items()]
    return _page(orm.projects, rows.project_from, criteria, [c.name, c.id], page, page_size)


def project(project_id: UUID) -> Project | None:
    return _one(orm.projects, rows.project_from, orm.projects.c.id == project_id)


def issuances(project_id: UUID | None, page: int, page_size: int) -> Page[Issuance]:
    c = orm.issuances.c
    criteria = [c.project_id == project_id] if project_id else []
    return _page(orm.issuances, rows.issuance_from, criteria, [c.issued_on, c.id], page, page_size)


def issuance(issuance_id: UUID) -> Issuance | None:
    return _one(orm.issuances, rows.issuance_from, orm.issuances.c.id == issuance_id)


def entities(filters: dict[str, Any], page: int, page_size: int) -> Page[AuthorizedEntity]:
    c = orm.authorized_entities.c
    criteria = [getattr(c, name) == value for name, value in filters.items()]
    return _page(orm.authorized_entities, rows.entity_from, criteria, [c.name, c.id], page, page_size)


def entity(entity_id: UUID) -> AuthorizedEntity | None:
    return _one(orm.authorized_entities, rows.entity_from, orm.authorized_entities.c.id == entity_id)


def authorizations(reference: str | None, page: int, page_size: int) -> Page[Authorization]:
    c = orm.authorizations.c
    criteria = [c.reference == reference] if reference else []
    return _page(orm.authorizations, rows.authorization_from, criteria, [c.reference, c.id], page, page_size)


def authorization(authorization_id: UUID) -> Authorization | None:
    return _one(orm.authorizations, rows.authorization_from, orm.authorizations.c.id == authorization_id)


def accounts(filters: dict[str, Any], page: int, page_size: int) -> Page[Account]:
    c = orm.accounts.c
    criteria = [getattr(c, name) == value for name, value in filters.items()]
    return _page(orm.accounts, rows.account_from, criteria, [c.number], page, page_size)


def account(account_id: UUID) -> Account | None:
    return _one(orm.accounts, rows.account_from, orm.accounts.c.id == account_id)


def accounts_of_holder(holder_id: UUID) -> set[UUID]:
    tenant_id = ledger_tenant().id
    c = orm.accounts.c
    with platform().database.transaction(tenant_id) as session:
        found = session.execute(select(c.id).where(c.tenant_id == tenant_id, c.holder_id == holder_id)).scalars()
        return set(found)


@dataclass(frozen=True)
class TransactionFilter:
    type: str | None = None
    status: str | None = None
    account_id: UUID | None = None
    initiator_id: UUID | None = None
    proposed_from: datetime | None = None
    proposed_until: datetime | None = None
    holder_accounts: frozenset[UUID] | None = None  # a representative sees only these accounts' transactions


def _transaction_criteria(f: TransactionFilter) -> list[ColumnElement[bool]]:
    c = orm.transactions.c
    criteria: list[ColumnElement[bool]] = []
    for name in ("type", "status", "initiator_id"):
        if getattr(f, name) is not None:
            criteria.append(getattr(c, name) == getattr(f, name))
    if f.account_id is not None:
        criteria.append(or_(c.source_account_id == f.account_id, c.destination_account_id == f.account_id))
    if f.proposed_from is not None:
        criteria.append(c.proposed_at >= f.proposed_from)
    if f.proposed_until is not None:
        criteria.append(c.proposed_at <= f.proposed_until)
    if f.holder_accounts is not None:
        ids = list(f.holder_accounts)
        criteria.append(or_(c.source_account_id.in_(ids), c.destination_account_id.in_(ids)))
    return criteria


def _summary(row: dict[str, Any]) -> Transaction:
    return transaction_from({**row, "changes": []})


def transactions(f: TransactionFilter, page: int, page_size: int) -> Page[Transaction]:
    c = orm.transactions.c
    order = [c.proposed_at.desc(), c.number.desc()]
    return _page(orm.transactions, _summary, _transaction_criteria(f), order, page, page_size)


def transaction(transaction_id: UUID) -> Transaction | None:
    tenant_id = ledger_tenant().id
    t, c = orm.transactions.c, orm.block_changes.c
    with platform().database.transaction(tenant_id) as session:
        row = session.execute(select(orm.transactions).where(t.tenant_id == tenant_id, t.id == transaction_id))
        found = row.mappings().first()
        if found is None:
            return None
        changes = session.execute(
            select(orm.block_changes)
            .where(c.tenant_id == tenant_id, c.transaction_id == transaction_id)
            .order_by(c.position)
        ).mappings()
        return transaction_from({**dict(found), "changes": [change_from(dict(r)) for r in changes]})


# --- Public explorer (gateway/web/public): searches and totals of public registry information. ---

PROJECT_FACETS = ("sector", "project_type", "methodology", "status", "country")
LIVE_STATES = ("active", "pending_out")


def search_projects(
    text: str | None, filters: dict[str, Any], vintage: int | None, page: int, page_size: int
) -> Page[Project]:
    """Projects whose name contains `text` (or whose id is `text`), with equal facets and units of `vintage`."""
    c, b = orm.projects.c, orm.unit_blocks.c
    criteria: list[ColumnElement[bool]] = [getattr(c, name) == value for name, value in filters.items()]
    if text:
        matches: list[ColumnElement[bool]] = [func.lower(c.name).contains(text.lower())]
        with suppress(ValueError):
            matches.append(c.id == UUID(text))
        criteria.append(or_(*matches))
    if vintage is not None:
        with_vintage = select(b.project_id).where(b.tenant_id == ledger_tenant().id, b.vintage == vintage)
        criteria.append(c.id.in_(with_vintage))
    return _page(orm.projects, rows.project_from, criteria, [c.name, c.id], page, page_size)


def project_facets() -> dict[str, list[Any]]:
    """The values each project filter can take in this registry, and the vintages of its units."""
    tenant_id = ledger_tenant().id
    c, b = orm.projects.c, orm.unit_blocks.c
    with platform().database.transaction(tenant_id) as session:
        found: dict[str, list[Any]] = {
            name: list(
                session.execute(
                    select(getattr(c, name)).where(c.tenant_id == tenant_id).distinct().order_by(getattr(c, name))
                ).scalars()
            )
            for name in PROJECT_FACETS
        }
        vintages = select(b.vintage).where(b.tenant_id == tenant_id, b.project_id.is_not(None)).distinct()
        found["vintage"] = list(session.execute(vintages.order_by(b.vintage)).scalars())
    return found


def unit_totals() -> dict[str, int]:
    """Units issued here, and how many are held, used, cancelled or retired today (from the current blocks)."""
    tenant_id = ledger_tenant().id
    b, a = orm.unit_blocks.c, orm.accounts.c
    size = func.sum(b.serial_last - b.serial_first + 1)
    joined = orm.unit_blocks.join(orm.accounts, (a.tenant_id == b.tenant_id) & (a.id == b.account_id))
    query = (
        select(b.state, a.type, b.issuance_id.is_not(None), size)
        .select_from(joined)
        .where(b.tenant_id == tenant_id)
        .group_by(b.state, a.type, b.issuance_id.is_not(None))
    )
    totals = dict.fromkeys(("issued", "held", "used", "cancelled", "retired"), 0)
    with platform().database.transaction(tenant_id) as session:
        for state, account_type, issued_here, quantity in session.execute(query):
            totals["issued"] += int(quantity) if issued_here else 0
            key = "held" if state in LIVE_STATES else state
            if key in totals and not (key == "held" and account_type == "external"):
                totals[key] += int(quantity)
    return totals


def monthly_quantities(types: Sequence[str]) -> list[tuple[str, int, int, int]]:
    """(type, year, month, units) of the completed transactions of `types`, oldest first."""
    tenant_id = ledger_tenant().id
    c = orm.transactions.c
    year, month = func.extract("year", c.executed_at), func.extract("month", c.executed_at)
    query = (
        select(c.type, year, month, func.sum(c.quantity))
        .where(c.tenant_id == tenant_id, c.status == "completed", c.type.in_(list(types)))
        .group_by(c.type, year, month)
        .order_by(year, month, c.type)
    )
    with platform().database.transaction(tenant_id) as session:
        return [(str(t), int(y), int(m), int(q)) for t, y, m, q in session.execute(query)]


def project_blocks(project_id: UUID) -> list[UnitBlock]:
    """The unit blocks issued for a project, as they are today."""
    tenant_id = ledger_tenant().id
    b = orm.unit_blocks.c
    query = select(orm.unit_blocks).where(b.tenant_id == tenant_id, b.project_id == project_id)
    with platform().database.transaction(tenant_id) as session:
        found = [dict(row) for row in session.execute(query.order_by(b.registry_id, b.serial_first)).mappings()]
    return [rows.block_from(row) for row in found]


def project_transactions(project_id: UUID, type: str) -> list[Transaction]:
    """Completed transactions of `type` that moved units of a project, newest first (without their changes)."""
    tenant_id = ledger_tenant().id
    t, ch, b = orm.transactions.c, orm.block_changes.c, orm.unit_blocks.c
    touching = (
        select(ch.transaction_id)
        .join(orm.unit_blocks, (b.tenant_id == ch.tenant_id) & (b.id == ch.block_id))
        .where(ch.tenant_id == tenant_id, b.project_id == project_id)
    )
    query = (
        select(orm.transactions)
        .where(t.tenant_id == tenant_id, t.type == type, t.status == "completed", t.id.in_(touching))
        .order_by(t.executed_at.desc(), t.number.desc())
    )
    with platform().database.transaction(tenant_id) as session:
        found = [dict(row) for row in session.execute(query).mappings()]
    return [_summary(row) for row in found]


def block(block_id: UUID) -> UnitBlock | None:
    """A unit block as it is today, whatever its state: blocks are never deleted, so its id stays valid."""
    return _one(orm.unit_blocks, rows.block_from, orm.unit_blocks.c.id == block_id)


def blocks_split_from(block: UnitBlock) -> list[UnitBlock]:
    """The blocks that hold today units this block held once (it kept the lowest of them when it was split)."""
    tenant_id = ledger_tenant().id
    b, ch = orm.unit_blocks.c, orm.block_changes.c
    a = block.attributes
    space = (b.cooperative_approach_id == a.cooperative_approach_id, b.registry_id == a.registry_id)
    held_once = select(func.min(ch.serial_first), func.max(ch.serial_last)).where(
        ch.tenant_id == tenant_id, ch.block_id == block.id
    )
    with platform().database.transaction(tenant_id) as session:
        first, last = session.execute(held_once).one()
        first, last = min(first or block.serial_first, block.serial_first), max(last or 0, block.serial_last)
        query = select(orm.unit_blocks).where(
            b.tenant_id == tenant_id, *space, b.id != block.id, b.serial_first <= last, b.serial_last >= first
        )
        found = [dict(row) for row in session.execute(query.order_by(b.serial_first)).mappings()]
    return [rows.block_from(row) for row in found]
