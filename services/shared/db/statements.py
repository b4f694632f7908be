"""How the statements of one unit of work reach the database (the ledger's, and any that joins one).

`SqlStatements` runs each statement through SQLAlchemy as it comes: SQLite, and any driver but psycopg.

`PsycopgStatements` (PostgreSQL with psycopg) uses the driver connection underneath the unit of work's
SQLAlchemy connection, in the same database transaction:

- writes are queued and go out together in one psycopg pipeline: at the unit of work's flush, or ahead
  of the next read, in its round trip, so it sees them. One network round trip carries all the rows of a
  flush, where a statement at a time cost a round trip each, and woke the client and the server once each;
- `commit` sends the last writes and the COMMIT in one trip, so the rows every transaction of a tenant
  locks (its transaction counter and journal head) are held for one trip after they are taken;
- reads run on a driver cursor, without SQLAlchemy's per-execution work (execution context, result
  metadata), which cost a ledger transaction more processor time than its SQL did.

The statements are still SQLAlchemy Core, compiled once per process for the dialect; values go through
the column types' own bind and result processing, as `Connection.execute` would apply them. A statement
whose text depends on its values (an expanding IN list) runs through SQLAlchemy. A failed statement
raises SQLAlchemy's error (`IntegrityError`, say) when its batch is sent; the unit of work then rolls
back. Each driver round trip is a span named after its first statement, since the SQLAlchemy
instrumentation does not see them.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import psycopg
from opentelemetry import trace
from sqlalchemy import Connection, CursorResult, Dialect, Executable, exc
from sqlalchemy.sql.compiler import Compiled

from services.shared.db.psycopg_driver import driver_of

Row = dict[str, Any]
Rows = Row | Sequence[Row]
Processor = Callable[[Any], Any] | None

_tracer = trace.get_tracer(__name__)


class SqlStatements:
    """Every statement at once, through SQLAlchemy."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def execute(self, statement: Executable, parameters: Any = None) -> CursorResult[Any]:
        """Any statement through SQLAlchemy, after the queued writes, so it sees them."""
        self.send()
        return self.connection.execute(statement, parameters)

    def read(self, statement: Executable, parameters: Row) -> list[Row]:
        return [dict(row) for row in self.execute(statement, parameters).mappings()]

    def read_together(self, queries: Sequence[tuple[Executable, Row]]) -> list[Row]:
        """The first row of each query, run in order."""
        return [self.read(statement, parameters)[0] for statement, parameters in queries]

    def write(self, statement: Executable, rows: Rows) -> None:
        self.connection.execute(statement, rows)

    def write_driver_sql(self, sql: str, parameters: Row) -> None:
        """A statement in the driver's own SQL (psycopg's placeholders): PostgreSQL only."""
        self.connection.exec_driver_sql(sql, parameters)

    def send(self) -> None:
        """Nothing is queued here."""

    def commit(self) -> None:
        """The caller's connection commits."""

    def discard(self) -> None:
        """Nothing is queued here."""


@dataclass(frozen=True)
class DriverForm:
    """A statement as psycopg takes it: its text, and the processing of its values in and out."""

    sql: str
    binds: tuple[tuple[str, Processor], ...]
    constants: Mapping[str, Any]
    results: tuple[tuple[str, Processor], ...]

    def parameters(self, values: Mapping[str, Any]) -> Row:
        found = dict(self.constants)
        for name, process in self.binds:
            value = values[name]
            found[name] = value if process is None else process(value)
        return found

    def row(self, values: Sequence[Any]) -> Row:
        return {
            name: value if process is None else process(value)
            for (name, process), value in zip(self.results, values, strict=True)
        }


_FORMS: weakref.WeakKeyDictionary[Executable, dict[tuple[str, ...], DriverForm | None]] = weakref.WeakKeyDictionary()


def driver_form(dialect: Dialect, statement: Executable, keys: tuple[str, ...]) -> DriverForm | None:
    """The statement compiled for `keys` (the names of the values it is given), or None if its text
    depends on the values. Kept while the statement lives (the adapters keep theirs for good)."""
    forms = _FORMS.setdefault(statement, {})
    if keys not in forms:
        forms[keys] = _compile(dialect, statement, keys)
    return forms[keys]


def _compile(dialect: Dialect, statement: Executable, keys: tuple[str, ...]) -> DriverForm | None:
    compiled: Compiled = statement.compile(dialect=dialect, column_keys=list(keys))  # type: ignore[attr-defined]
    if _needs_sqlalchemy(compiled):
        return None
    binds, constants = [], {}
    for bind, name in compiled.bind_names.items():  # type: ignore[attr-defined]
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if name in keys:
            binds.append((name, process))
        elif bind.required or bind.callable is not None:
            return None
        else:  # a value written into the statement, such as a state it compares with
            constants[name] = bind.value if process is None else process(bind.value)
    columns = getattr(statement, "selected_columns", ())
    results = tuple((c.key, c.type.dialect_impl(dialect).result_processor(dialect, None)) for c in columns)
    return DriverForm(compiled.string, tuple(binds), constants, results)


def _needs_sqlalchemy(compiled: Any) -> bool:
    """Values spliced into the text at execution (expanding IN lists), or column defaults that SQLAlchemy
    computes per execution: only its own execution does those."""
    expanding = compiled.post_compile_params or compiled.literal_execute_params
    return bool(expanding or getattr(compiled, "insert_prefetch", ()) or getattr(compiled, "update_prefetch", ()))


class PsycopgStatements(SqlStatements):
    """Writes queued and sent in one pipeline; reads on a driver cursor. See the module's docstring."""

    observers: ClassVar[list[Callable[[str], None]]] = []  # each SQL text sent to the driver (tests count them)

    def __init__(self, connection: Connection) -> None:
        super().__init__(connection)
        self.queued: list[tuple[str, list[Row]]] = []

    @property
    def driver(self) -> psycopg.Connection[Any]:
        return driver_of(self.connection)

    def read(self, statement: Executable, parameters: Row) -> list[Row]:
        """The rows of a query, sent with the queued writes ahead of it, in one round trip."""
        form = driver_form(self.connection.dialect, statement, tuple(parameters))
        if form is None:
            return super().read(statement, parameters)
        if not self.queued:  # no pipeline needed, and a plain execution costs the client less
            self._sent(form.sql)
            with self._round_trip(form.sql), self.driver.cursor() as cursor:
                rows = cursor.execute(form.sql, form.parameters(parameters)).fetchall()
            return [form.row(row) for row in rows]
        return self._read_after_writes([(form, parameters)])[0]

    def write(self, statement: Executable, rows: Rows) -> None:
        rows = [rows] if isinstance(rows, Mapping) else rows
        form = driver_form(self.connection.dialect, statement, tuple(rows[0]))
        if form is None:
            self.send()
            super().write(statement, rows)
        else:
            self.queued.append((form.sql, [form.parameters(row) for row in rows]))

    def write_driver_sql(self, sql: str, parameters: Row) -> None:
        self.queued.append((sql, [parameters]))

    def read_together(self, queries: Sequence[tuple[Executable, Row]]) -> list[Row]:
        """The first row of each query, after the queued writes, all in one round trip."""
        dialect = self.connection.dialect
        forms = [(driver_form(dialect, statement, tuple(parameters)), parameters) for statement, parameters in queries]
        known = [(form, parameters) for form, parameters in forms if form is not None]
        if len(known) < len(forms):
            return super().read_together(queries)
        return [rows[0] for rows in self._read_after_writes(known)]

    def _read_after_writes(self, queries: Sequence[tuple[DriverForm, Row]]) -> list[list[Row]]:
        driver, found = self.driver, []
        with self._round_trip(queries[0][0].sql), driver.pipeline() as pipeline:  # named after what it reads
            self._queue_writes(driver)
            cursors = [driver.cursor() for _ in queries]
            for cursor, (form, parameters) in zip(cursors, queries, strict=True):
                self._sent(form.sql)
                cursor.execute(form.sql, form.parameters(parameters))
            pipeline.sync()
            for cursor, (form, _) in zip(cursors, queries, strict=True):
                found.append([form.row(row) for row in cursor.fetchall()])
                cursor.close()
        return found

    def send(self) -> None:
        if self.queued:
            self._send_writes(commit=False)

    def commit(self) -> None:
        """The queued writes and the COMMIT in one round trip; the connection's commit then finds nothing to do."""
        self._send_writes(commit=True)

    def _send_writes(self, *, commit: bool) -> None:
        driver = self.driver
        with self._round_trip(self.queued[0][0] if self.queued else "COMMIT"), driver.pipeline():
            self._queue_writes(driver)
            if commit:
                driver.commit()

    def discard(self) -> None:
        self.queued.clear()

    def _queue_writes(self, driver: psycopg.Connection[Any]) -> None:
        queued, self.queued = self.queued, []
        with driver.cursor() as cursor:
            for sql, rows in queued:
                self._sent(sql)
                if len(rows) == 1:
                    cursor.execute(sql, rows[0])
                else:
                    cursor.executemany(sql, rows)

    def _sent(self, sql: str) -> None:
        for observe in self.observers:
            observe(sql)

    def _round_trip(self, first_sql: str) -> _RoundTrip:
        return _RoundTrip(first_sql)


class _RoundTrip:
    """A span around one trip to the server, inside a recorded trace only (outside one, even a no-op span
    costs a ledger transaction a measurable share of its time); a driver error leaves as SQLAlchemy's."""

    def __init__(self, first_sql: str) -> None:
        self.first_sql = first_sql
        self.span: Any = None

    def __enter__(self) -> None:
        if trace.get_current_span().is_recording():
            name, attributes = self.first_sql.split(maxsplit=1)[0], {"db.system": "postgresql"}
            self.span = _tracer.start_as_current_span(name, kind=trace.SpanKind.CLIENT, attributes=attributes)
            self.span.__enter__()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, traceback: Any) -> None:
        if self.span is not None:
            self.span.__exit__(kind, error, traceback)
        if isinstance(error, psycopg.Error):
            raise exc.DBAPIError.instance(self.first_sql, None, error, psycopg.Error) from error


def statements_on(connection: Connection) -> SqlStatements:
    """The statements of a unit of work on `connection`: pipelined on psycopg, one by one elsewhere."""
    if connection.dialect.driver == "psycopg":
        return PsycopgStatements(connection)
    return SqlStatements(connection)
