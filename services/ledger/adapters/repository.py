"""SQL repositories of accounts, unit blocks, authorizations, reference data, counters and idempotency keys.

Every statement is filtered by the unit of work's tenant (and row-level security on PostgreSQL); locks
follow the order of `services.ledger.service_layer.repositories`. `flush` writes the unit of work's
pending changes first, so a query sees what the handler changed in memory, as the fake does.
"""

from collections.abc import Callable, Hashable, Sequence
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import BigInteger, Executable, Select, String, Update, and_, any_, bindparam, text, update
from sqlalchemy.dialects.postgresql import ARRAY

from services.ledger.adapters import rows, tables
from services.ledger.domain.accounts import Account
from services.ledger.domain.authorizations import Authorization
from services.ledger.domain.blocks import TERMINAL_STATES, UnitBlock, UnitFilter
from services.ledger.domain.counters import Counter
from services.ledger.domain.reference import AuthorizedEntity, CooperativeApproach, Issuance, Project
from services.ledger.service_layer import ports
from services.ledger.service_layer.results import StoredResult, result_from_data
from services.shared.clock import SYSTEM_CLOCK, Clock
from services.shared.db.statements import SqlStatements
from services.shared.db.tracking import Row, TableTracker, lock_or_create, prepared

Flush = Callable[[], None]
Record = CooperativeApproach | Project | Issuance | AuthorizedEntity


class SqlAccountRepository(ports.AccountRepository):
    def __init__(self, statements: SqlStatements, tenant_id: UUID, flush: Flush) -> None:
        super().__init__()
        self.flush = flush
        self.rows = TableTracker(
            statements,
            tenant_id,
            tables.accounts,
            key=lambda a: a.id,
            to_row=rows.account_row,
            from_row=rows.account_from,
        )

    def by_number(self, number: str) -> Account | None:
        self.rows.flush()
        statement = self.rows.query("by_number", lambda q: q.where(tables.accounts.c.number == bindparam("number")))
        return self.rows.load_one(statement, number=number)

    def _add(self, account: Account) -> None:
        self.rows.add(account)

    def _get(self, account_id: UUID) -> Account | None:
        self.rows.flush()
        c = tables.accounts.c
        statement = self.rows.query("get", lambda q: q.where(c.id == bindparam("id")).with_for_update())
        return self.rows.load_one(statement, id=account_id)

    def _get_many(self, account_ids: Sequence[UUID]) -> dict[UUID, Account]:
        self.rows.flush()
        c = tables.accounts.c

        postgres = self.rows.statements.connection.dialect.name == "postgresql"

        def build(q: Select[Any]) -> Select[Any]:
            # On PostgreSQL one array parameter, so the statement's text does not change with the count.
            ids = bindparam("ids", type_=ARRAY(c.id.type)) if postgres else bindparam("ids", expanding=True)
            match = c.id == any_(ids) if postgres else c.id.in_(ids)
            return q.where(match).order_by(c.id).with_for_update(read=True)

        statement = self.rows.query(("get_many", postgres), build)
        return {a.id: a for a in self.rows.load(statement, ids=list(account_ids))}


class SqlBlockRepository(ports.BlockRepository):
    def __init__(self, statements: SqlStatements, tenant_id: UUID, flush: Flush) -> None:
        self.flush = flush
        self.rows = TableTracker(
            statements,
            tenant_id,
            tables.unit_blocks,
            key=lambda b: b.id,
            to_row=rows.block_row,
            from_row=rows.block_from,
        )

    def add(self, block: UnitBlock) -> None:
        self.rows.add(block)

    def _blocks(self, name: Hashable, criteria: Callable[[], list[Any]], lock: bool, **values: Any) -> list[UnitBlock]:
        """Blocks meeting `criteria` (built once per `name`, with `values` bound), in block order."""
        self.flush()
        c = tables.unit_blocks.c

        def build(q: Select[Any]) -> Select[Any]:
            q = q.where(*criteria()).order_by(c.serial_first, c.id)
            return q.with_for_update() if lock else q

        return self.rows.load(self.rows.query((name, lock), build), **values)

    def for_update(self, account_id: UUID, unit_filter: UnitFilter) -> list[UnitBlock]:
        c, f = tables.unit_blocks.c, unit_filter
        values = f.required_attributes()  # each a column of the same name

        def criteria() -> list[Any]:
            live = and_(*(c.state != state.value for state in TERMINAL_STATES))  # fixed text, unlike NOT IN (...)
            found = [c.account_id == bindparam("account_id"), live]
            found += [c[name] == bindparam(name) for name in values]
            if f.authorized is not None:
                found.append(c.authorization_id.is_not(None) if f.authorized else c.authorization_id.is_(None))
            return found

        name = ("for_update", tuple(values), f.authorized)
        return self._blocks(name, criteria, True, account_id=account_id, **values)

    def reserved_by(self, transaction_id: UUID) -> list[UnitBlock]:
        c = tables.unit_blocks.c
        return self._blocks("reserved_by", lambda: [c.reserved_by == bindparam("id")], True, id=transaction_id)

    def _meeting(self) -> list[Any]:
        c = tables.unit_blocks.c
        return [
            c.cooperative_approach_id == bindparam("approach_id"),
            c.registry_id == bindparam("registry_id"),
            c.serial_first <= bindparam("last"),
            c.serial_last >= bindparam("first"),
        ]

    def overlapping(
        self, cooperative_approach_id: str, registry_id: str, serial_first: int, serial_last: int
    ) -> list[UnitBlock]:
        space = {"approach_id": cooperative_approach_id, "registry_id": registry_id}
        return self._blocks("meeting", self._meeting, True, **space, first=serial_first, last=serial_last)

    def held_by(self, account_id: UUID) -> list[UnitBlock]:
        c = tables.unit_blocks.c
        return self._blocks("held_by", lambda: [c.account_id == bindparam("id")], False, id=account_id)

    def containing(self, cooperative_approach_id: str, registry_id: str, serial: int) -> UnitBlock | None:
        space = {"approach_id": cooperative_approach_id, "registry_id": registry_id}
        found = self._blocks("meeting", self._meeting, False, **space, first=serial, last=serial)
        return found[0] if found else None


class SqlAuthorizationRepository(ports.AuthorizationRepository):
    def __init__(self, statements: SqlStatements, tenant_id: UUID, flush: Flush) -> None:
        super().__init__()
        self.flush = flush
        self.rows = TableTracker(
            statements,
            tenant_id,
            tables.authorizations,
            key=lambda a: a.id,
            to_row=rows.authorization_row,
            from_row=rows.authorization_from,
        )

    def _add(self, authorization: Authorization) -> None:
        self.rows.add(authorization)

    def _get(self, authorization_id: UUID, for_update: bool) -> Authorization | None:
        self.rows.flush()

        def build(q: Select[Any]) -> Select[Any]:
            q = q.where(tables.authorizations.c.id == bindparam("id"))
            return q.with_for_update() if for_update else q

        return self.rows.load_one(self.rows.query(("get", for_update), build), id=authorization_id)


class SqlReferenceDataRepository(ports.ReferenceDataRepository):
    def __init__(self, statements: SqlStatements, tenant_id: UUID, flush: Flush) -> None:
        super().__init__()
        self.flush = flush

        def tracker(table: Any, to_row: Any, from_row: Any) -> TableTracker[Any]:
            return TableTracker(statements, tenant_id, table, key=lambda r: r.id, to_row=to_row, from_row=from_row)

        self.trackers: dict[type, TableTracker[Any]] = {
            CooperativeApproach: tracker(tables.approaches, rows.approach_row, rows.approach_from),
            Project: tracker(tables.projects, rows.project_row, rows.project_from),
            Issuance: tracker(tables.issuances, rows.issuance_row, rows.issuance_from),
            AuthorizedEntity: tracker(tables.authorized_entities, rows.entity_row, rows.entity_from),
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
        self.flush_changes()
        entities = self.trackers[AuthorizedEntity]
        c = tables.authorized_entities.c
        statement = entities.query("of", lambda q: q.where(c.organization_id == bindparam("organization_id")))
        return entities.load(statement, organization_id=organization_id)

    def _add(self, record: Record) -> None:
        tracker = self.trackers[type(record)]
        tracker.add(record)
        self.added.append(tracker)

    def _find(self, kind: type, key: object, lock: bool = False) -> Any:
        self.flush_changes()
        tracker = self.trackers[kind]

        def build(q: Select[Any]) -> Select[Any]:
            q = q.where(tracker.table.c.id == bindparam("id"))
            return q.with_for_update() if lock else q

        return tracker.load_one(tracker.query(("find", lock), build), id=key)

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


_TAKE_ONE = (
    text(
        "INSERT INTO ledger_counters (tenant_id, name, next_value) VALUES (:tenant_id, :name, 2) "
        "ON CONFLICT (tenant_id, name) DO UPDATE SET next_value = ledger_counters.next_value + 1 "
        "RETURNING next_value - 1 AS taken"
    )
    .bindparams(bindparam("tenant_id", type_=tables.counters.c.tenant_id.type), bindparam("name", type_=String()))
    .columns(taken=BigInteger)
)


class SqlCounterRepository(ports.CounterRepository):
    def __init__(self, statements: SqlStatements, tenant_id: UUID, flush: Flush | None = None) -> None:
        self.statements, self.tenant_id, self.flush = statements, tenant_id, flush
        self.rows = TableTracker(
            statements,
            tenant_id,
            tables.counters,
            key=lambda c: c.name,
            key_columns=("name",),
            to_row=lambda c: {"name": c.name, "next_value": c.next_value},
            from_row=lambda r: Counter(r["name"], r["next_value"]),
        )

    def get(self, name: str) -> Counter:
        values = {"tenant_id": self.tenant_id, "name": name, "next_value": 1}
        counter: Counter = self.rows.adopt(lock_or_create(self.statements, tables.counters, values, ("name",)))
        return counter

    def take_one(self, name: str) -> int:
        """One statement that locks, takes and writes, where get() and the flush take two."""
        if name in self.rows.loaded:
            return super().take_one(name)
        (taken,) = self.statements.read_together([self.take_one_statement(name)])
        return int(taken["taken"])

    def take_one_statement(self, name: str) -> tuple[Executable, Row]:
        """The statement of `take_one`, for a caller that runs it with others; it answers `taken`."""
        return _TAKE_ONE, {"tenant_id": self.tenant_id, "name": name}

    def is_loaded(self, name: str) -> bool:
        return name in self.rows.loaded


class SqlIdempotencyRepository(ports.IdempotencyRepository):
    """A claim is the key's row with a placeholder result, inserted first thing in the unit of work and
    filled in by `add` at its commit. On PostgreSQL a second insert of the key waits on the first's
    uncommitted row, then finds the committed result (or inserts, if the first rolled back); SQLite runs
    one unit of work at a time. The claim travels with the tenant's scope, in the unit of work's first
    round trip, and the result with the commit."""

    def __init__(self, statements: SqlStatements, tenant_id: UUID, clock: Clock = SYSTEM_CLOCK) -> None:
        self.statements, self.tenant_id, self.clock = statements, tenant_id, clock

    def get(self, key: str) -> StoredResult | None:
        table = tables.idempotency_keys
        statement = table.select().where(table.c.tenant_id == self.tenant_id, table.c.key == key)
        row = self.statements.execute(statement).mappings().first()
        return None if row is None else StoredResult(row["key"], row["fingerprint"], result_from_data(row["result"]))

    def claim(self, key: str, fingerprint: str) -> StoredResult | None:
        placeholder = {_CLAIMED_BY: uuid4().hex}
        values = {"tenant_id": self.tenant_id, "key": key, "fingerprint": fingerprint}
        values |= {"result": placeholder, "created_at": self.clock.now()}
        row = lock_or_create(self.statements, tables.idempotency_keys, values, ("key",))
        if row["result"] == placeholder:
            return None
        if _CLAIMED_BY in row["result"]:  # only a unit of work that committed without `add` leaves this
            raise RuntimeError(f"idempotency key {key!r} was claimed and committed without a result")
        return StoredResult(row["key"], row["fingerprint"], result_from_data(row["result"]))

    def add(self, stored: StoredResult) -> None:
        values = {"key_tenant_id": self.tenant_id, "key_key": stored.key}
        values |= {"fingerprint": stored.fingerprint, "result": stored.result.to_data()}
        self.statements.write(prepared(("ledger_idempotency_keys", "result"), _store_result), values)


_CLAIMED_BY = "claimed_by"


def _store_result() -> Update:
    table = tables.idempotency_keys
    key = and_(table.c.tenant_id == bindparam("key_tenant_id"), table.c.key == bindparam("key_key"))
    return update(table).where(key).values(fingerprint=bindparam("fingerprint"), result=bindparam("result"))
