"""The ledger's query port on SQL: the answers of `LedgerViews`, read from one tenant's ledger tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import ColumnElement, Table, func, or_, select

from services.ledger.adapters import rows
from services.ledger.adapters import tables as ledger_tables
from services.ledger.adapters.transactions import change_from, transaction_from
from services.ledger.domain.accounts import Account
from services.ledger.domain.authorizations import Authorization
from services.ledger.domain.blocks import UnitBlock
from services.ledger.domain.reference import AuthorizedEntity, CooperativeApproach, Issuance, Project
from services.ledger.domain.transactions import Transaction
from services.ledger.service_layer.views import (
    PROJECT_FACETS,
    BlockHolding,
    LedgerViews,
    Page,
    TransactionFilter,
)
from services.shared.db.database import Database

T = TypeVar("T")
LIVE_STATES = ("active", "pending_out")


class SqlLedgerViews(LedgerViews):
    def __init__(self, database: Database, tenant_id: UUID, registry_id: str) -> None:
        self.database, self.tenant_id, self.registry_id = database, tenant_id, registry_id

    def _page(
        self,
        table: Table,
        decode: Callable[[Any], T],
        criteria: Sequence[ColumnElement[bool]],
        order: Sequence[Any],
        page: int,
        page_size: int,
    ) -> Page[T]:
        where = [table.c.tenant_id == self.tenant_id, *criteria]
        with self.database.transaction(self.tenant_id) as session:
            total = session.execute(select(func.count()).select_from(table).where(*where)).scalar_one()
            query = select(table).where(*where).order_by(*order).limit(page_size).offset((page - 1) * page_size)
            found = [dict(row) for row in session.execute(query).mappings()]
        return Page([decode(row) for row in found], page, page_size, total)

    def _one(self, table: Table, decode: Callable[[Any], T], *criteria: ColumnElement[bool]) -> T | None:
        with self.database.transaction(self.tenant_id) as session:
            row = (
                session.execute(select(table).where(table.c.tenant_id == self.tenant_id, *criteria)).mappings().first()
            )
        return None if row is None else decode(dict(row))

    def approaches(self, status: str | None, page: int, page_size: int) -> Page[CooperativeApproach]:
        c = ledger_tables.approaches.c
        criteria = [c.status == status] if status else []
        return self._page(ledger_tables.approaches, rows.approach_from, criteria, [c.id], page, page_size)

    def approach(self, approach_id: str) -> CooperativeApproach | None:
        return self._one(ledger_tables.approaches, rows.approach_from, ledger_tables.approaches.c.id == approach_id)

    def projects(self, filters: dict[str, Any], page: int, page_size: int) -> Page[Project]:
        c = ledger_tables.projects.c
        criteria = [getattr(c, name) == value for name, value in filters.items()]
        return self._page(ledger_tables.projects, rows.project_from, criteria, [c.name, c.id], page, page_size)

    def project(self, project_id: UUID) -> Project | None:
        return self._one(ledger_tables.projects, rows.project_from, ledger_tables.projects.c.id == project_id)

    def issuances(self, project_id: UUID | None, page: int, page_size: int) -> Page[Issuance]:
        c = ledger_tables.issuances.c
        criteria = [c.project_id == project_id] if project_id else []
        return self._page(ledger_tables.issuances, rows.issuance_from, criteria, [c.issued_on, c.id], page, page_size)

    def issuance(self, issuance_id: UUID) -> Issuance | None:
        return self._one(ledger_tables.issuances, rows.issuance_from, ledger_tables.issuances.c.id == issuance_id)

    def entities(self, filters: dict[str, Any], page: int, page_size: int) -> Page[AuthorizedEntity]:
        c = ledger_tables.authorized_entities.c
        criteria = [getattr(c, name) == value for name, value in filters.items()]
        return self._page(
            ledger_tables.authorized_entities, rows.entity_from, criteria, [c.name, c.id], page, page_size
        )

    def entity(self, entity_id: UUID) -> AuthorizedEntity | None:
        return self._one(
            ledger_tables.authorized_entities, rows.entity_from, ledger_tables.authorized_entities.c.id == entity_id
        )

    def authorizations(self, reference: str | None, page: int, page_size: int) -> Page[Authorization]:
        c = ledger_tables.authorizations.c
        criteria = [c.reference == reference] if reference else []
        return self._page(
            ledger_tables.authorizations, rows.authorization_from, criteria, [c.reference, c.id], page, page_size
        )

    def authorization(self, authorization_id: UUID) -> Authorization | None:
        return self._one(
            ledger_tables.authorizations, rows.authorization_from, ledger_tables.authorizations.c.id == authorization_id
        )

    def accounts(self, filters: dict[str, Any], page: int, page_size: int) -> Page[Account]:
        c = ledger_tables.accounts.c
        criteria = [getattr(c, name) == value for name, value in filters.items()]
        return self._page(ledger_tables.accounts, rows.account_from, criteria, [c.number], page, page_size)

    def account(self, account_id: UUID) -> Account | None:
        return self._one(ledger_tables.accounts, rows.account_from, ledger_tables.accounts.c.id == account_id)

    def accounts_of_holder(self, holder_id: UUID) -> set[UUID]:
        c = ledger_tables.accounts.c
        with self.database.transaction(self.tenant_id) as session:
            found = session.execute(
                select(c.id).where(c.tenant_id == self.tenant_id, c.holder_id == holder_id)
            ).scalars()
            return set(found)

    def transactions(self, f: TransactionFilter, page: int, page_size: int) -> Page[Transaction]:
        c = ledger_tables.transactions.c
        order = [c.proposed_at.desc(), c.number.desc()]
        return self._page(ledger_tables.transactions, _summary, _transaction_criteria(f), order, page, page_size)

    def transaction(self, transaction_id: UUID) -> Transaction | None:
        t, c = ledger_tables.transactions.c, ledger_tables.block_changes.c
        with self.database.transaction(self.tenant_id) as session:
            row = session.execute(
                select(ledger_tables.transactions).where(t.tenant_id == self.tenant_id, t.id == transaction_id)
            )
            found = row.mappings().first()
            if found is None:
                return None
            changes = session.execute(
                select(ledger_tables.block_changes)
                .where(c.tenant_id == self.tenant_id, c.transaction_id == transaction_id)
                .order_by(c.position)
            ).mappings()
            return transaction_from({**dict(found), "changes": [change_from(dict(r)) for r in changes]})

    def search_projects(
        self, text: str | None, filters: dict[str, Any], vintage: int | None, page: int, page_size: int
    ) -> Page[Project]:
        c, b = ledger_tables.projects.c, ledger_tables.unit_blocks.c
        criteria: list[ColumnElement[bool]] = [getattr(c, name) == value for name, value in filters.items()]
        if text:
            matches: list[ColumnElement[bool]] = [func.lower(c.name).contains(text.lower())]
            with suppress(ValueError):
                matches.append(c.id == UUID(text))
            criteria.append(or_(*matches))
        if vintage is not None:
            with_vintage = select(b.project_id).where(b.tenant_id == self.tenant_id, b.vintage == vintage)
            criteria.append(c.id.in_(with_vintage))
        return self._page(ledger_tables.projects, rows.project_from, criteria, [c.name, c.id], page, page_size)

    def project_facets(self) -> dict[str, list[Any]]:
        c, b = ledger_tables.projects.c, ledger_tables.unit_blocks.c
        with self.database.transaction(self.tenant_id) as session:
            found: dict[str, list[Any]] = {
                name: list(
                    session.execute(
                        select(getattr(c, name))
                        .where(c.tenant_id == self.tenant_id)
                        .distinct()
                        .order_by(getattr(c, name))
                    ).scalars()
                )
                for name in PROJECT_FACETS
            }
            vintages = select(b.vintage).where(b.tenant_id == self.tenant_id, b.project_id.is_not(None)).distinct()
            found["vintage"] = list(session.execute(vintages.order_by(b.vintage)).scalars())
        return found

    def unit_totals(self) -> dict[str, int]:
        b, a = (
            ledger_tables.unit_blocks.c,
            ledger_tables.accounts.c,
        )  # a block's registry id names the registry that issued it
        size = func.sum(b.serial_last - b.serial_first + 1)
        joined = ledger_tables.unit_blocks.join(
            ledger_tables.accounts, (a.tenant_id == b.tenant_id) & (a.id == b.account_id)
        )
        issued_here = b.registry_id == self.registry_id
        query = (
            select(b.state, a.type, issued_here, size)
            .select_from(joined)
            .where(b.tenant_id == self.tenant_id)
            .group_by(b.state, a.type, issued_here)
        )
        totals = dict.fromkeys(("issued", "acquired", "held", "used", "cancelled", "retired"), 0)
        with self.database.transaction(self.tenant_id) as session:
            for state, account_type, here, quantity in session.execute(query):
                totals["issued" if here else "acquired"] += int(quantity)
                key = "held" if state in LIVE_STATES else state
                if key in totals and not (key == "held" and account_type == "external"):
                    totals[key] += int(quantity)
        return totals

    def monthly_issued(self) -> list[tuple[str, int, int, int]]:
        b, i = ledger_tables.unit_blocks.c, ledger_tables.issuances.c
        year, month = func.extract("year", i.issued_on), func.extract("month", i.issued_on)
        query = (
            select(year, month, func.sum(b.serial_last - b.serial_first + 1))
            .select_from(
                ledger_tables.unit_blocks.join(
                    ledger_tables.issuances, (i.tenant_id == b.tenant_id) & (i.id == b.issuance_id)
                )
            )
            .where(b.tenant_id == self.tenant_id, b.registry_id == self.registry_id)
            .group_by(year, month)
            .order_by(year, month)
        )
        with self.database.transaction(self.tenant_id) as session:
            return [("issuance", int(y), int(m), int(q)) for y, m, q in session.execute(query)]

    def monthly_quantities(self, types: Sequence[str]) -> list[tuple[str, int, int, int]]:
        c = ledger_tables.transactions.c
        year, month = func.extract("year", c.executed_at), func.extract("month", c.executed_at)
        query = (
            select(c.type, year, month, func.sum(c.quantity))
            .where(c.tenant_id == self.tenant_id, c.status == "completed", c.type.in_(list(types)))
            .group_by(c.type, year, month)
            .order_by(year, month, c.type)
        )
        with self.database.transaction(self.tenant_id) as session:
            return [(str(t), int(y), int(m), int(q)) for t, y, m, q in session.execute(query)]

    def project_blocks(self, project_id: UUID) -> list[UnitBlock]:
        b = ledger_tables.unit_blocks.c
        query = select(ledger_tables.unit_blocks).where(b.tenant_id == self.tenant_id, b.project_id == project_id)
        with self.database.transaction(self.tenant_id) as session:
            found = [dict(row) for row in session.execute(query.order_by(b.registry_id, b.serial_first)).mappings()]
        return [rows.block_from(row) for row in found]

    def project_transactions(self, project_id: UUID, type: str) -> list[Transaction]:
        t, ch, b = ledger_tables.transactions.c, ledger_tables.block_changes.c, ledger_tables.unit_blocks.c
        touching = (
            select(ch.transaction_id)
            .join(ledger_tables.unit_blocks, (b.tenant_id == ch.tenant_id) & (b.id == ch.block_id))
            .where(ch.tenant_id == self.tenant_id, b.project_id == project_id)
        )
        query = (
            select(ledger_tables.transactions)
            .where(t.tenant_id == self.tenant_id, t.type == type, t.status == "completed", t.id.in_(touching))
            .order_by(t.executed_at.desc(), t.number.desc())
        )
        with self.database.transaction(self.tenant_id) as session:
            found = [dict(row) for row in session.execute(query).mappings()]
        return [_summary(row) for row in found]

    def block(self, block_id: UUID) -> UnitBlock | None:
        return self._one(ledger_tables.unit_blocks, rows.block_from, ledger_tables.unit_blocks.c.id == block_id)

    def blocks_split_from(self, block: UnitBlock) -> list[UnitBlock]:
        b, ch = ledger_tables.unit_blocks.c, ledger_tables.block_changes.c
        a = block.attributes
        space = (b.cooperative_approach_id == a.cooperative_approach_id, b.registry_id == a.registry_id)
        held_once = select(func.min(ch.serial_first), func.max(ch.serial_last)).where(
            ch.tenant_id == self.tenant_id, ch.block_id == block.id
        )
        with self.database.transaction(self.tenant_id) as session:
            first, last = session.execute(held_once).one()
            first, last = min(first or block.serial_first, block.serial_first), max(last or 0, block.serial_last)
            query = select(ledger_tables.unit_blocks).where(
                b.tenant_id == self.tenant_id, *space, b.id != block.id, b.serial_first <= last, b.serial_last >= first
            )
            found = [dict(row) for row in session.execute(query.order_by(b.serial_first)).mappings()]
        return [rows.block_from(row) for row in found]

    def block_holdings(self) -> list[BlockHolding]:
        b, a = ledger_tables.unit_blocks.c, ledger_tables.accounts.c
        query = (
            select(
                b.id,
                a.type,
                b.account_id,
                b.vintage,
                b.state,
                b.serial_first,
                b.serial_last,
                b.authorization_id,
                b.authorization_version,
            )
            .select_from(
                ledger_tables.unit_blocks.join(
                    ledger_tables.accounts, (a.tenant_id == b.tenant_id) & (a.id == b.account_id)
                )
            )
            .where(b.tenant_id == self.tenant_id)
        )
        with self.database.transaction(self.tenant_id) as session:
            return [BlockHolding(*row) for row in session.execute(query)]

    def journal_numbers(self) -> dict[int, str]:
        j = ledger_tables.journal.c
        query = select(j.sequence, j.payload).where(j.tenant_id == self.tenant_id).order_by(j.sequence)
        with self.database.transaction(self.tenant_id) as session:
            return {int(sequence): str(payload.get("number")) for sequence, payload in session.execute(query)}


def _transaction_criteria(f: TransactionFilter) -> list[ColumnElement[bool]]:
    c = ledger_tables.transactions.c
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
