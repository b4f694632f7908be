"""The streaming checker finds exactly what the list checks find, in the same order, one row at a time."""

from __future__ import annotations

from datetime import UTC, datetime

from services.reporting.domain import aef, checks
from services.reporting.domain.checker import Checker
from services.reporting.domain.records import Block
from tests.unit.reporting.test_actions_and_checks import VALUES, actions_row, block_data


def in_memory(tables: dict[str, list[aef.Row]], year: int, opening: int) -> list[checks.Finding]:
    """The checks as they ran before rows were streamed: every table whole, in memory."""
    found = [f for name in aef.SHEETS for f in checks.required(name, tables[name])]
    found += checks.identifiers(aef.ACTIONS, tables[aef.ACTIONS], 7)
    found += checks.identifiers(aef.HOLDINGS, tables[aef.HOLDINGS], 4)
    found += checks.controlled(VALUES, tables[aef.ACTIONS], tables[aef.AUTHORIZATIONS])
    found += checks.year_boundaries(year, tables[aef.ACTIONS])
    return found + checks.totals(VALUES, tables[aef.ACTIONS], opening, tables[aef.HOLDINGS])


def streamed(tables: dict[str, list[aef.Row]], year: int, opening: int) -> list[checks.Finding]:
    checker = Checker(VALUES, year, opening)
    for name in aef.SHEETS:
        for row in tables[name]:
            checker.row(name, row)
    return checker.findings()


def test_the_streamed_checks_equal_the_in_memory_checks() -> None:
    holding = aef.holding_row(Block.from_data(block_data(1, 60)).__dict__, None, VALUES)
    bad_holding = [*holding[:4], "GHA-1", *holding[5:]]
    tables = {
        aef.SUBMISSION: [aef.submission_row("GHA", "1.0", 2025, "", (2021, 2030))],
        aef.AUTHORIZATIONS: [],
        aef.ACTIONS: [
            actions_row(),
            actions_row(first_itmo_id="GHA-1", action_subtype="Use for fun"),
            actions_row(vintage=2026),
        ],
        aef.HOLDINGS: [holding, bad_holding],
        aef.ENTITIES: [],
    }

    want = in_memory(tables, 2025, 10)

    assert [(f.table, f.row, f.column) for f in want] == [
        (aef.SUBMISSION, 1, "Date of submission"),
        (aef.ACTIONS, 2, "First ID"),
        (aef.HOLDINGS, 2, "First ID"),
        (aef.ACTIONS, 2, "Action subtype"),
        (aef.ACTIONS, 3, "Vintage"),
        (aef.HOLDINGS, 0, "Quantity (t CO2 eq)"),
    ]
    assert streamed(tables, 2025, 10) == want
    balanced = 120 + 3 * 100  # two holdings of 60 at the end, three uses of 100 during the year
    assert streamed(tables, 2025, balanced) == want[:-1] == in_memory(tables, 2025, balanced)


def test_the_action_date_is_utc_to_the_second_with_a_z() -> None:
    row = actions_row(executed_at=datetime(2025, 3, 4, 5, 6, 7, 891_000, tzinfo=UTC))
    assert row[0] == "2025-03-04T05:06:07Z"


def test_a_blank_cell_is_found_wherever_it_is_except_where_carp_fills_it() -> None:
    """The required-cell check decides the usual all-filled row in one step; any blank still gets its finding."""
    row = actions_row()
    assert checks.required_row(aef.ACTIONS, 1, row) == []
    for index, column in enumerate(aef.COLUMNS[aef.ACTIONS]):
        for blank in (None, ""):
            found = checks.required_row(aef.ACTIONS, 1, [*row[:index], blank, *row[index + 1 :]])
            expected = [] if index in checks.CARP_FILLED[aef.ACTIONS] else [column]
            assert [f.column for f in found] == expected
