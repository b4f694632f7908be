"""SQL repositories of accounts, unit blocks, authorizations, reference data, counters and idempotency keys.

Every statement is filtered by the unit of work's tenant (and row-level security on PostgreSQL); locks
follow the order of `services.ledger.service_layer.repositories`. `flush` writes the unit of work's
pending changes first, so a query sees what the handler changed in memory, as the fake does.
"""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Select, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.ledger.adapters import orm, rows
from services.ledger.adapters.tracking import TableTracker
from services.ledger.domain.accounts import Account
from services.ledger.domain.authorizations import Authorization
from services.ledger.domain.blocks import TERMINAL_STATES, UnitBlock, UnitFilter
from services.ledger.domain.counters import Counter
from services.ledger.domain.reference import AuthorizedEntity, CooperativeApproach, Issuance, Project
from services.ledger.service_layer import repositories
from services.ledger.service_layer.results import StoredResult, result_from_data

Flush = Callable[[], None]
Record = CooperativeApproach | Project | Issuance | AuthorizedEntity


def insert_missing(session: Session, table: Any, values: dict[str, Any]) -> None:
    """INSERT ... ON CONFLICT DO NOTHING: of two concurrent inserts of one key, the second waits, then skips."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(table).values(values).on_conflict_do_nothing())


class SqlAccountRepository(repositories.AccountRepository):
    def __init__(self, session: Session, tenant_id: UUID, flush: Flush) -> None:
        super().__init__()
        self.flush = flush
        self.rows = TableTracker(
            session, tenant_id, orm.accounts, key=lambda a: a.id, to_row=rows.account_row, from_row=rows.account_from
        )

    def by_number(self, number: str) -> Account | None:
        self.flush()
        return self.rows.load_one(self.rows.select().where(orm.accounts.c.number == number))

    def _add(self, account: Account) -> None:
        self.rows.add(account)

    def _get(self, account_id: UUID) -> Account | None:
        self.flush()
        return self.rows.load_one(self.rows.select().where(orm.accounts.c.id == account_id).with_for_update())

    def _get_many(self, account_ids: Sequence[UUID]) -> dict[UUID, Account]:
        self.flush()
        statement = self.rows.select().where(orm.accounts.c.id.in_(account_ids)).order_by(orm.accounts.c.id)
        return {a.id: a for a in self.rows.load(statement.with_for_update(read=True))}


class SqlBlockRepository(repositories.BlockRepository):
    def __init__(self, session: Session, tenant_id: UUID, flush: Flush) -> None:
        self.flush = flush
        self.rows = TableTracker(
            session, tenant_id, orm.unit_blocks, key=lambda b: b.id, to_row=rows.block_row, from_row=rows.block_from
        )

    def add(self, block: UnitBlock) -> None:
        self.rows.add(block)

    def _blocks(self, *criteria: Any, lock: bool) -> list[UnitBlock]:
        self.flush()
        c = orm.unit_blocks.c
        statement: Select[Any] = self.rows.select().where(*criteria).order_by(c.serial_first, c.id)
        return self.rows.load(statement.with_for_update() if lock else statement)

    def for_update(self, account_id: UUID, unit_filter: UnitFilter) -> list[UnitBlock]:
        c, f = orm.unit_blocks.c, unit_filter
        criteria = [c.account_id == account_id, c.state.not_in([s.value for s in TERMINAL_STATES])]
        wanted = {
            c.cooperative_approach_id: f.cooperative_approach_id,
            c.vintage: f.vintage,
            c.project_id: f.project_id,
            c.issuance_id: f.issuance_id,
            c.authorization_id: f.authorization_id,
        }
        criteria += [column == value for column, value in wanted.items() if value is not None]
        if f.authorized is not None:
            criteria.append(c.authorization_id.is_not(None) if f.authorized else c.authorization_id.is_(None))
        return self._blocks(*criteria, lock=True)

    def reserved_by(self, transaction_id: UUID) -> list[UnitBlock]:
        return self._blocks(orm.unit_blocks.c.reserved_by == transaction_id, lock=True)

    def _meeting(self, approach_id: str, registry_id: str, first: int, last: int) -> list[Any]:
        c = orm.unit_blocks.c
        return [
            c.cooperative_approach_id == approach_id,
            c.registry_id == registry_id,
            c.serial_first <= last,
            c.serial_last >= first,
        ]

    def overlapping(
        self, cooperative_approach_id: str, registry_id: str, serial_first: int, serial_last: int
    ) -> list[UnitBlock]:
        return self._blocks(*self._meeting(cooperative_approach_id, registry_id, serial_first, serial_last), lock=True)

    def held_by(self, account_id: UUID) -> list[UnitBlock]:
        return self._blocks(orm.unit_blocks.c.account_id == account_id, lock=False)

    def containing(self, cooperative_approach_id: str, registry_id: str, serial: int) -> UnitBlock | None:
        found = self._blocks(*self._meeting(cooperative_approach_id, registry_id, serial, serial), lock=False)
        return found[0] if found else None


class SqlAuthorizationRepository(repositories.AuthorizationRepository):
    def __init__(self, session: Session, tenant_id: UUID, flush: Flush) -> None:
        super().__init__()
        self.flush = flush
        self.rows = TableTracker(
            session,
            tenant_id,
            orm.authorizations,
            key=lambda a: a.id,
            to_row=rows.authorization_row,
            from_row=rows.authorization_from,
        )

    def _add(self, authorization: Authorization) -> None:
        self.rows.add(authorization)

    def _get(self, authorization_id: UUID, for_update: bool) -> Authorization | None:
        self.flush()
        statement = self.rows.select().where(orm.authorizations.c.id == authorization_id)
        return self.rows.load_one(statement.with_for_update() if for_update else statement)


class SqlReferenceDataRepository(repositories.ReferenceDataRepository):
    def __init__(self, session: Session, tenant_id: UUID, flush: Flush) -> None:
        super().__init__()
        self.flush = flush

        def tracker(table: Any, to_row: Any, from_row: Any) -> TableTracker[Any]:
            return TableTracker(session, tenant_id, table, key=lambda r: r.id, to_row=to_row, from_row=from_row)

        self.trackers: dict[type, TableTracker[Any]] = {
            CooperativeApproach: tracker(orm.approaches, rows.approach_row, rows.approach_from),
            Project: tracker(orm.projects, rows.project_row, rows.project_from),
            Issuance: tracker(orm.issuances, rows.issuance_row, rows.issuance_from),
            AuthorizedEntity: tracker(orm.authorized_entities, rows.entity_row, rows.entity_from),
        }
        self.added: list[TableTracker[Any]] = []

    def flush_changes(self) -> None:
        """Write in the order records were added (an issuance names its project), then changes."""
        for tracker in self.added:
            tracker.flush()
        self.added.clear()
        for tracker in self.trackers.values():
            tracker.flush()

    def discard(self) -> None:
        for tracker in self.trackers.values():
            tracker.discard()

    def entities_of(self, organization_id: UUID) -> list[AuthorizedEntity]:
        self.flush()
        entities = self.trackers[AuthorizedEntity]
        return entities.load(entities.select().where(orm.authorized_entities.c.organization_id == organization_id))

    def _add(self, record: Record) -> None:
        tracker = self.trackers[type(record)]
        tracker.add(record)
        self.added.append(tracker)

    def _find(self, kind: type, key: object, lock: bool = False) -> Any:
        self.flush()
        tracker = self.trackers[kind]
        statement = tracker.select().where(tracker.table.c.id == key)
        return tracker.load_one(statement.with_for_update() if lock else statement)

    def _approach(self, approach_id: str) -> CooperativeApproach | None:
        found: CooperativeApproach | None = self._find(CooperativeApproach, approach_id)
        return found

    def _project(self, project_id: UUID) -> Project | None:
        found: Project | None = self._find(Project, project_id)
        return found

    def _issuance(self, issuance_id: UUID) -> Issuance | None:
        found: Issuance | None = self._find(Issuance, issuance_id, lock=True)
        return found

    def _entity(self, entity_id: UUID) -> AuthorizedEntity | None:
        found: AuthorizedEntity | None = self._find(AuthorizedEntity, entity_id)
        return found


class SqlCounterRepository(repositories.CounterRepository):
    def __init__(self, session: Session, tenant_id: UUID) -> None:
        self.session, self.tenant_id = session, tenant_id
        self.rows = TableTracker(
            session,
            tenant_id,
            orm.counters,
            key=lambda c: c.name,
            key_columns=("name",),
            to_row=lambda c: {"name": c.name, "next_value": c.next_value},
            from_row=lambda r: Counter(r["name"], r["next_value"]),
        )

    def get(self, name: str) -> Counter:
        insert_missing(self.session, orm.counters, {"tenant_id": self.tenant_id, "name": name, "next_value": 1})
        statement = self.rows.select().where(orm.counters.c.name == name).with_for_update()
        counter = self.rows.load_one(statement)
        if counter is None:
            raise LookupError(f"counter {name} is not visible to this tenant")
        return counter


class SqlIdempotencyRepository(repositories.IdempotencyRepository):
    def __init__(self, session: Session, tenant_id: UUID) -> None:
        self.session, self.tenant_id = session, tenant_id

    def get(self, key: str) -> StoredResult | None:
        table = orm.idempotency_keys
        row = (
            self.session.execute(table.select().where(table.c.tenant_id == self.tenant_id, table.c.key == key))
            .mappings()
            .first()
        )
        return None if row is None else StoredResult(row["key"], row["fingerprint"], result_from_data(row["result"]))

    def add(self, stored: StoredResult) -> None:
        self.session.execute(
            insert(orm.idempotency_keys).values(
                tenant_id=self.tenant_id,
                key=stored.key,
                fingerprint=stored.fingerprint,
                result=stored.result.to_data(),
                created_at=datetime.now(UTC),
            )
        )
