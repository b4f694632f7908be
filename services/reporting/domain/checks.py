"""Pre-submission checks. Each finding names the table, the row (1 = first data row), the column and
what to do; a submission with findings can still be downloaded, marked as failing.

Every check looks at one row at a time, so `Checker` runs them while the rows stream past; the list
functions below run the same checks on rows already in memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from operator import itemgetter
from typing import Any

from services.reporting.domain import aef
from services.reporting.domain.controlled import ControlledValues

ITMO_ID = re.compile(r"CA\d{4}-[A-Z]{3}\d{2}-[A-Z]{3}-\d+-\d{4}")
CARP_FILLED = {
    aef.SUBMISSION: {4, 5, 8},
    aef.AUTHORIZATIONS: {16},
    aef.ACTIONS: {25},
    aef.HOLDINGS: set(),
    aef.ENTITIES: set(),
}

_REQUIRED_CELLS = {
    table: itemgetter(*(index for index in range(len(columns)) if index not in CARP_FILLED[table]))
    for table, columns in aef.COLUMNS.items()
}


@dataclass(frozen=True)
class Finding:
    table: str
    row: int
    column: str
    problem: str
    fix: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def required_row(table: str, number: int, row: aef.Row) -> list[Finding]:
    cells = _REQUIRED_CELLS[table](row)
    if None not in cells and "" not in cells:
        return []  # the usual case, decided without a Python loop over the cells
    found = []
    for index, cell in enumerate(row):
        if index not in CARP_FILLED[table] and (cell is None or cell == ""):
            column = aef.COLUMNS[table][index]
            found.append(Finding(table, number, column, "empty", f"record the {column} in the ledger or use NA"))
    return found


def identifier_row(table: str, number: int, row: aef.Row, first: int) -> list[Finding]:
    return [
        Finding(
            table,
            number,
            aef.COLUMNS[table][index],
            f"{row[index]!r} is not an ITMO identifier",
            "use <approach>-<registry>-<first transferring Party>-<serial>-<vintage>, e.g. CA0001-GHA01-GHA-1-2023",
        )
        for index in (first, first + 1)
        if not ITMO_ID.fullmatch(str(row[index]))
    ]


def controlled_action(values: ControlledValues, number: int, row: aef.Row) -> list[Finding]:
    found = []
    table, kind, subtype = aef.ACTIONS, row[1], row[2]
    if kind not in values.action_types:
        found.append(_unlisted(table, number, "Action type", kind, values.version))
    elif subtype not in values.subtypes(kind):
        found.append(_unlisted(table, number, "Action subtype", subtype, values.version))
    if row[12] not in values.metrics:
        found.append(_unlisted(table, number, "Metric", row[12], values.version))
    if row[17] not in values.mitigation_types.values():
        found.append(_unlisted(table, number, "Mitigation type", row[17], values.version))
    return found


def controlled_authorization(values: ControlledValues, number: int, row: aef.Row) -> list[Finding]:
    found = []
    if row[10] not in values.purposes:
        found.append(_unlisted(aef.AUTHORIZATIONS, number, "Purposes for authorization", row[10], values.version))
    for sector in str(row[8]).split("; "):
        if sector not in values.sectors:
            found.append(_unlisted(aef.AUTHORIZATIONS, number, "Sector(s)", sector, values.version))
    return found


def required(table: str, rows: Iterable[aef.Row]) -> list[Finding]:
    return [f for number, row in enumerate(rows, start=1) for f in required_row(table, number, row)]


def identifiers(table: str, rows: Iterable[aef.Row], first: int) -> list[Finding]:
    return [f for number, row in enumerate(rows, start=1) for f in identifier_row(table, number, row, first)]


def controlled(values: ControlledValues, actions: list[aef.Row], authorizations: list[aef.Row]) -> list[Finding]:
    found = [f for n, row in enumerate(actions, start=1) for f in controlled_action(values, n, row)]
    return found + [
        f for n, row in enumerate(authorizations, start=1) for f in controlled_authorization(values, n, row)
    ]


def _unlisted(table: str, row: int, column: str, value: Any, version: str) -> Finding:
    return Finding(
        table,
        row,
        column,
        f"{value!r} is not in the controlled list (nomenclature {version})",
        "correct the record in the ledger, or update services/reporting/config/controlled_values.json "
        "when the UNFCCC nomenclature changes",
    )


def year_row(year: int, number: int, row: aef.Row) -> list[Finding]:
    found = []
    if not str(row[0]).startswith(f"{year}-"):
        found.append(
            Finding(aef.ACTIONS, number, "Action date", f"{row[0]} is outside {year}", "report it in its own year")
        )
    if int(row[18]) > year:
        found.append(
            Finding(aef.ACTIONS, number, "Vintage", f"vintage {row[18]} is after {year}", "check the block vintage")
        )
    return found


def year_boundaries(year: int, actions: list[aef.Row]) -> list[Finding]:
    return [f for number, row in enumerate(actions, start=1) for f in year_row(year, number, row)]


def totals(values: ControlledValues, actions: list[aef.Row], opening: int, holdings: list[aef.Row]) -> list[Finding]:
    moved = sum(action_effect(values, row) for row in actions)
    return totals_differ(opening, moved, sum(holding_quantity(row) for row in holdings))


def action_effect(values: ControlledValues, row: aef.Row) -> int:
    return values.effect(row[1], row[2]) * _quantity(row)


def holding_quantity(row: aef.Row) -> int:
    return _quantity(row, offset=0)


def totals_differ(opening: int, moved: int, closing: int) -> list[Finding]:
    """Holdings at the end of the year = holdings at its start + what the year's actions added or took."""
    if opening + moved == closing:
        return []
    return [
        Finding(
            aef.HOLDINGS,
            0,
            "Quantity (t CO2 eq)",
            f"holdings of {closing} differ from {opening} at the start of the year plus {moved} from Table 3",
            "run `registry reconcile` for this registry, then rebuild the projection by replay",
        )
    ]


def _quantity(row: aef.Row, offset: int = 3) -> int:
    """t CO2 eq for GHG rows, the non-GHG quantity otherwise (the two never mix in one block)."""
    ghg, other = row[offset + 12], row[offset + 13]
    return int(ghg) if isinstance(ghg, int) else int(other)
