"""Engines and tenant-bound sessions.

A session is opened for exactly one tenant (or for none, for platform work on the catalogue). Three
guards keep it inside that tenant, so that forgetting a WHERE clause cannot leak another country's data:

- every ORM query on a tenant-owned class gets a `tenant_id = :tenant` criterion (both backends);
- a new tenant-owned object takes the session's tenant, and one carrying another tenant is refused;
- on PostgreSQL each tenant's transaction sets `app.tenant_id`, which the row-level security policies
  read; with no tenant set, the policies return no rows. The setting is local to its transaction, so a
  platform transaction begins without one and sends nothing.

A connection from `connect` (Core statements only, each naming its tenant) keeps the last guard: its
caller sends the setting `connect` hands back before anything else.

Routing. A tenant whose catalogue row names a `database_url` (a dedicated database, the data-residency
tier) has its data there: `session`, `transaction`, `connect` and `snapshot` with its id open on that
database; with no tenant (the catalogue, platform tables) they open on this one. The route is read from
the catalogue and kept for `ROUTE_TTL` seconds; every catalogue read refreshes it (`remember_route`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    ForeignKey,
    MetaData,
    Table,
    bindparam,
    create_engine,
    event,
    exc,
    false,
    inspect,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.orm import ORMExecuteState, Session, registry, sessionmaker, with_loader_criteria
from sqlalchemy.pool import NullPool
from sqlalchemy.sql.base import ExecutableOption
from sqlalchemy.types import Uuid

T = TypeVar("T")
TENANT_OWNED = "tenant_owned"
APPEND_ONLY = "append_only"

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
mapper_registry = registry(metadata=metadata)


class CrossTenantWrite(RuntimeError):
    """An object of one tenant was added to a session bound to another."""


def tenant_table(name: str, *columns: Any, append_only: bool = False, **kwargs: Any) -> Table:
    """A table owned by a tenant: `tenant_id` leads its columns, keys and indexes."""
    tenant_id = Column("tenant_id", Uuid, ForeignKey("tenants.id"), nullable=False)
    info = {TENANT_OWNED: True, APPEND_ONLY: append_only}
    return Table(name, metadata, tenant_id, *columns, info=info, **kwargs)


def tenant_tables() -> list[Table]:
    return [t for t in metadata.sorted_tables if t.info.get(TENANT_OWNED)]


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


ROUTE_TTL = 5.0


class Database:
    def __init__(self, url: str, *, pool_size: int = 10, routes: bool = True) -> None:
        """`routes=False` makes a dedicated tenant database: it serves what it holds and routes nowhere."""
        self.url = url
        self.engine = _create_engine(url, pool_size)
        self._pool_size = pool_size
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self._sessions, "do_orm_execute", _scope_query_to_tenant)
        event.listen(self._sessions, "before_flush", _stamp_tenant_on_new_objects)
        if self.is_postgres:
            event.listen(self._sessions, "after_begin", _set_postgres_tenant)
        self._routes_enabled = routes
        self._routes: dict[UUID, tuple[str | None, float]] = {}
        self._dedicated: dict[str, Database] = {}
        self._dedicated_urls: tuple[list[str], float] = ([], -ROUTE_TTL)
        self._lock = threading.Lock()
        self._lookups: Engine | None = None

    @property
    def is_postgres(self) -> bool:
        return is_postgres(self.url)

    def session(self, tenant_id: UUID | None) -> Session:
        return self.for_tenant(tenant_id)._sessions(info={"tenant_id": tenant_id})

    def connect(self, tenant_id: UUID) -> tuple[Connection, TenantScope | None]:
        """A connection with a transaction begun, for adapters that only run Core statements and name the
        tenant in each (the ORM guards above do not apply, row-level security does), and the statement
        that binds the transaction to the tenant on PostgreSQL (psycopg SQL and parameters). The caller
        sends it before anything else, and may send it with its first statements, one round trip sooner;
        until it runs, row-level security shows no rows and accepts none."""
        target = self.for_tenant(tenant_id)
        connection = target.engine.connect()
        connection.begin()
        return connection, (_SET_TENANT_SQL, {"tenant": str(tenant_id)}) if target.is_postgres else None

    @contextmanager
    def transaction(self, tenant_id: UUID | None) -> Iterator[Session]:
        with self.session(tenant_id) as session, session.begin():
            yield session

    @contextmanager
    def snapshot(self, tenant_id: UUID) -> Iterator[Connection]:
        """One read-only transaction that sees the tenant's data as of a single moment: REPEATABLE READ on
        PostgreSQL, bound to the tenant for row-level security; on SQLite one deferred transaction (WAL
        readers keep the snapshot of their first read)."""
        target = self.for_tenant(tenant_id)
        if target.is_postgres:
            options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
            with target.engine.connect().execution_options(**options) as connection, connection.begin():
                connection.execute(_SET_TENANT, {"tenant": str(tenant_id)})
                yield connection
            return
        with target.engine.connect() as connection, connection.begin():
            connection.exec_driver_sql("BEGIN")
            yield connection

    def for_tenant(self, tenant_id: UUID | None) -> Database:
        """The database that holds this tenant's data."""
        if tenant_id is None or not self._routes_enabled:
            return self
        url = self._route(tenant_id)
        return self if url is None else self.dedicated(url)

    @property
    def _catalogue_engine(self) -> Engine:
        """A small engine of its own for route look-ups: they take no connection from the tenants' pool and
        add no statement to what a unit of work sends on it."""
        if ":memory:" in self.url:
            return self.engine
        with self._lock:
            if self._lookups is None:
                self._lookups = _create_engine(self.url, 1)
            return self._lookups

    def dedicated(self, url: str) -> Database:
        """The engine of a dedicated tenant database, made once per URL."""
        if not url or same_database(url, self.url):
            return self
        with self._lock:
            found = self._dedicated.get(url)
            if found is None:
                found = self._dedicated[url] = Database(url, pool_size=self._pool_size, routes=False)
            return found

    def databases(self) -> list[Database]:
        """This database and every dedicated one the catalogue names, for platform work that spans them
        (the relay, consumer replays); the list is read again after ROUTE_TTL seconds."""
        if not self._routes_enabled:
            return [self]
        listed, at = self._dedicated_urls
        if time.monotonic() - at >= ROUTE_TTL:
            with self.engine.connect() as connection:
                listed = sorted(connection.execute(_DEDICATED_URLS).scalars())
            self._dedicated_urls = listed, time.monotonic()
        found = [self]
        for url in listed:
            dedicated = self.dedicated(url)
            if dedicated not in found:
                found.append(dedicated)
        return found

    def remember_route(self, tenant_id: UUID, database_url: str | None) -> None:
        self._routes[tenant_id] = (database_url, time.monotonic())

    def _route(self, tenant_id: UUID) -> str | None:
        known = self._routes.get(tenant_id)
        if known is not None and time.monotonic() - known[1] < ROUTE_TTL:
            return known[0]
        with self._catalogue_engine.connect() as connection:
            url = connection.execute(_ROUTE, {"tenant": tenant_id}).scalar()
        self.remember_route(tenant_id, url)
        return url

    def ping(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("select 1"))

    def dispose(self) -> None:
        self.engine.dispose()
        if self._lookups is not None:
            self._lookups.dispose()
        for dedicated in list(self._dedicated.values()):
            dedicated.dispose()


def tenants_by_database(database: Database, tenant_ids: Iterable[UUID]) -> list[tuple[Database, list[UUID]]]:
    """The tenants grouped by the database that holds them (the shared one, or a dedicated one)."""
    by_database: dict[int, tuple[Database, list[UUID]]] = {}
    for tenant_id in tenant_ids:
        target = database.for_tenant(tenant_id)
        by_database.setdefault(id(target), (target, []))[1].append(tenant_id)
    return list(by_database.values())


def read_each_tenant(
    database: Database, tenant_ids: Iterable[UUID], read: Callable[[Connection, UUID], T]
) -> dict[UUID, T]:
    """`read(connection, tenant_id)` for each tenant, in one transaction per database instead of one per tenant:
    for periodic looks over every registry. Row-level security is pointed at each tenant in turn before its
    read; `read` runs Core statements naming its tenant."""
    answers: dict[UUID, T] = {}
    for target, tenants in tenants_by_database(database, tenant_ids):
        with target.engine.connect() as connection, connection.begin():
            for tenant_id in tenants:
                if target.is_postgres:
                    connection.execute(_SET_TENANT, {"tenant": str(tenant_id)})
                answers[tenant_id] = read(connection, tenant_id)
    return answers


def same_database(first: str, second: str) -> bool:
    """Whether two URLs name one database (credentials aside)."""
    a, b = make_url(first), make_url(second)
    return (a.get_backend_name(), a.host, a.port, a.database) == (b.get_backend_name(), b.host, b.port, b.database)


_DEDICATED_URLS = text("select distinct database_url from tenants where database_url is not null")
_ROUTE = text("select database_url from tenants where id = :tenant").bindparams(bindparam("tenant", type_=Uuid))


def _create_engine(url: str, pool_size: int) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, poolclass=NullPool if ":memory:" not in url else None)
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    engine = create_engine(url, pool_size=pool_size, max_overflow=pool_size)
    event.listen(engine, "connect", _note_checkin)
    event.listen(engine, "checkin", _note_checkin)
    event.listen(engine, "checkout", _pinging_if_idle(engine.dialect))
    return engine


# A connection idle for longer than this is pinged before it is handed out; one in steady use is not. SQLAlchemy's
# `pool_pre_ping` pinged every checkout: a round trip per unit of work, a sixth of a worker's time under load
# (bench/README.md, issue 17). A connection broken while in steady use (a database restart) fails its next
# statement instead: SQLAlchemy then recycles the whole pool, and the request answers 503 with Retry-After
# (gateway/errors.py), which a client retries with the same Idempotency-Key.
IDLE_PING_S = 5.0


def _note_checkin(_dbapi_connection: Any, record: Any) -> None:
    record.info["checked_in_at"] = time.monotonic()


def _pinging_if_idle(dialect: Any) -> Callable[[Any, Any, Any], None]:
    def ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        checked_in_at = record.info.get("checked_in_at")
        if checked_in_at is not None and time.monotonic() - checked_in_at < IDLE_PING_S:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:  # any failure of the ping means this connection is gone
            raise exc.DisconnectionError(f"a connection idle {IDLE_PING_S:.0f} s or more failed its ping") from error

    return ping_if_idle


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _is_tenant_owned(selectable: object) -> bool:
    return isinstance(selectable, Table) and bool(selectable.info.get(TENANT_OWNED))


def _tenant_of(session: Session) -> UUID | None:
    tenant: UUID | None = session.info.get("tenant_id")
    return tenant


def _scope_query_to_tenant(state: ORMExecuteState) -> None:
    if state.is_column_load or state.is_relationship_load:
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    mappers = mapper_registry.mappers
    state.statement = state.statement.options(*_tenant_criteria(_tenant_of(state.session), len(mappers)))


@lru_cache(maxsize=4096)
def _tenant_criteria(tenant: UUID | None, _mapper_count: int) -> tuple[ExecutableOption, ...]:
    """The criteria of a tenant's sessions, built once per tenant (and again when more classes are mapped):
    plain criteria whose tenant value SQLAlchemy's statement cache extracts like any bound parameter,
    where a lambda's closure would be analysed on every query."""
    options = []
    for mapper in mapper_registry.mappers:
        if not _is_tenant_owned(mapper.local_table):
            continue
        criterion = false() if tenant is None else mapper.class_.tenant_id == tenant
        options.append(with_loader_criteria(mapper.class_, criterion, include_aliases=True))
    return tuple(options)


def _stamp_tenant_on_new_objects(session: Session, _context: Any, _instances: Any) -> None:
    tenant = _tenant_of(session)
    for obj in session.new:
        if not _is_tenant_owned(inspect(obj).mapper.local_table):
            continue
        if tenant is None:
            raise CrossTenantWrite(f"cannot write {type(obj).__name__} outside a tenant session")
        current = getattr(obj, "tenant_id", None)
        if current is None:
            obj.tenant_id = tenant
        elif current != tenant:
            raise CrossTenantWrite(f"{type(obj).__name__} belongs to another tenant than this session")


_SET_TENANT = text("select set_config('app.tenant_id', :tenant, true)")
_SET_TENANT_SQL = "select set_config('app.tenant_id', %(tenant)s, true)"
TenantScope = tuple[str, dict[str, str]]


def _set_postgres_tenant(session: Session, _transaction: Any, connection: Connection) -> None:
    """Binds a tenant's transaction. A platform transaction needs nothing sent: every binding is local to its
    transaction (`set_config(..., true)`), so each transaction begins unbound, seeing no tenant's rows."""
    tenant = _tenant_of(session)
    if tenant is not None:
        connection.execute(_SET_TENANT, {"tenant": str(tenant)})
