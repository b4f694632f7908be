"""How a ledger statement is handed to psycopg: compiled once, values processed as SQLAlchemy would, and
left to SQLAlchemy when only its own execution can run it."""

from datetime import UTC, datetime
from uuid import UUID

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, bindparam, insert, select
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg

from services.ledger.adapters import tables
from services.shared.db.statements import driver_form

DIALECT = PGDialect_psycopg()
scratch = MetaData()
with_default = Table("with_default", scratch, Column("id", Integer), Column("n", Integer, default=lambda: 5))


def test_a_kept_statement_is_compiled_once_per_set_of_value_names() -> None:
    statement = insert(tables.counters)
    first = driver_form(DIALECT, statement, ("tenant_id", "name", "next_value"))
    assert first is not None
    assert driver_form(DIALECT, statement, ("tenant_id", "name", "next_value")) is first
    assert first.sql.startswith("INSERT INTO ledger_counters (tenant_id, name, next_value) VALUES (%(tenant_id)s")


def test_values_go_through_the_column_types_own_processing() -> None:
    j = tables.journal.c
    form = driver_form(DIALECT, select(tables.journal).where(j.recorded_at >= bindparam("since")), ("since",))
    assert form is not None
    aware = datetime(2026, 1, 1, tzinfo=UTC)
    assert form.parameters({"since": aware}) == {"since": aware}
    with pytest.raises(ValueError, match="naive datetime"):
        form.parameters({"since": datetime(2026, 1, 1)})  # noqa: DTZ001 - the point


def test_values_written_into_a_statement_travel_with_it_and_result_rows_are_keyed_by_column() -> None:
    c = tables.unit_blocks.c
    statement = select(tables.unit_blocks).where(c.state != "retired", c.account_id == bindparam("account_id"))
    form = driver_form(DIALECT, statement, ("account_id",))
    assert form is not None
    account = UUID(int=7)
    assert form.parameters({"account_id": account}) == {"account_id": account, "state_1": "retired"}
    row = form.row([None] * len(tables.unit_blocks.c))
    assert list(row) == list(tables.unit_blocks.c.keys())


def test_expanding_lists_and_python_side_defaults_are_left_to_sqlalchemy() -> None:
    c = tables.unit_blocks.c
    assert driver_form(DIALECT, select(tables.unit_blocks).where(c.state.in_(["used", "retired"])), ()) is None
    assert driver_form(DIALECT, insert(with_default), ("id",)) is None
    named = select(tables.counters).where(tables.counters.c.name == bindparam("name"))
    assert driver_form(DIALECT, named, ()) is None  # a value the caller did not give
    assert driver_form(DIALECT, insert(with_default), ("id", "n")) is not None
