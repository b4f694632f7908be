"""Runs the pre-submission checks on rows as they stream past, keeping only findings and running totals.

Findings come out in the order the list checks give them (required cells of every table, identifiers,
controlled values, year boundaries, totals), so a streamed build reports exactly what a built-in-memory
one would.
"""

from __future__ import annotations

from services.reporting.domain import aef, checks
from services.reporting.domain.controlled import ControlledValues

_IDENTIFIER_COLUMN = {aef.ACTIONS: 7, aef.HOLDINGS: 4}


class Checker:
    def __init__(self, values: ControlledValues, year: int, opening: int) -> None:
        self.values, self.year, self.opening = values, year, opening
        self.numbers = dict.fromkeys(aef.SHEETS, 0)
        self.required: dict[str, list[checks.Finding]] = {name: [] for name in aef.SHEETS}
        self.identifiers: dict[str, list[checks.Finding]] = {aef.ACTIONS: [], aef.HOLDINGS: []}
        self.controlled: dict[str, list[checks.Finding]] = {aef.ACTIONS: [], aef.AUTHORIZATIONS: []}
        self.years: list[checks.Finding] = []
        self.moved = 0
        self.closing = 0

    def row(self, table: str, row: aef.Row) -> None:
        number = self.numbers[table] = self.numbers[table] + 1
        missing = checks.required_row(table, number, row)
        if missing:
            self.required[table] += missing
        if table == aef.ACTIONS:
            self._action(number, row)
        elif table == aef.HOLDINGS:
            self.identifiers[table] += checks.identifier_row(table, number, row, _IDENTIFIER_COLUMN[table])
            self.closing += checks.holding_quantity(row)
        elif table == aef.AUTHORIZATIONS:
            self.controlled[table] += checks.controlled_authorization(self.values, number, row)

    def _action(self, number: int, row: aef.Row) -> None:
        """The checks of a Table 3 row; a finding is rare, so each list grows only when there is one."""
        found = checks.identifier_row(aef.ACTIONS, number, row, _IDENTIFIER_COLUMN[aef.ACTIONS])
        if found:
            self.identifiers[aef.ACTIONS] += found
        found = checks.controlled_action(self.values, number, row)
        if found:
            self.controlled[aef.ACTIONS] += found
        found = checks.year_row(self.year, number, row)
        if found:
            self.years += found
        self.moved += checks.action_effect(self.values, row)

    def findings(self) -> list[checks.Finding]:
        found = [f for name in aef.SHEETS for f in self.required[name]]
        found += self.identifiers[aef.ACTIONS] + self.identifiers[aef.HOLDINGS]
        found += self.controlled[aef.ACTIONS] + self.controlled[aef.AUTHORIZATIONS]
        found += self.years
        return found + checks.totals_differ(self.opening, self.moved, self.closing)
