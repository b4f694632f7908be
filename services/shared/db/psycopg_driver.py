"""The psycopg connection under a SQLAlchemy one: the platform's one way down to the driver.

`statements.py` builds the ledger's pipelined unit of work on it. For bulk reads and writes (the AEF job: a
million-row year spends its time per row), `stream` reads from the driver's server-side cursor as plain
dicts, and `execute_pipelined` sends batches in pipeline mode, so the server inserts one batch while
Python builds the next. The session still opens the transaction and sets the tenant for row-level
security; the SQL still comes from SQLAlchemy Core.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, cast

import psycopg
from psycopg.rows import dict_row
from sqlalchemy import Connection
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement


def driver_of(connection: Connection) -> psycopg.Connection[Any]:
    """The psycopg connection under a SQLAlchemy one."""
    return cast("psycopg.Connection[Any]", connection.connection.driver_connection)


def connection(session: Session) -> psycopg.Connection[Any]:
    """The driver connection of the session's transaction (begun, so the tenant setting is in place)."""
    return driver_of(session.connection())


def stream(session: Session, query: ClauseElement, rows_per_fetch: int) -> Iterator[dict[str, Any]]:
    """The query's rows, fetched `rows_per_fetch` at a time through a server-side cursor, in UTC."""
    compiled = query.compile(dialect=session.get_bind().dialect, compile_kwargs={"render_postcompile": True})
    driver = connection(session)
    driver.execute("SET LOCAL TIME ZONE 'UTC'")
    with driver.cursor(name="reporting_stream", row_factory=dict_row) as cursor:
        cursor.itersize = rows_per_fetch
        cursor.execute(str(compiled), compiled.params)
        yield from cursor


def execute_pipelined(session: Session, sql: str, parameters: Iterable[Mapping[str, Any]]) -> None:
    """Runs `sql` once per parameter set without waiting for each result; errors surface at the end."""
    driver = connection(session)
    with driver.pipeline(), driver.cursor() as cursor:
        for values in parameters:
            cursor.execute(sql, values)
