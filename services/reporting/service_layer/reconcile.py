"""Runs the three phases against two readers of the same shape: the ledger's tables and the projection."""

from __future__ import annotations

from typing import Any, Protocol

from services.reporting.domain.reconciliation import Report, compare, live_or_terminal


class HoldingsReader(Protocol):
    def blocks(self) -> list[dict[str, Any]]: ...

    def journal(self) -> dict[int, str]: ...


def _totals(blocks: list[dict[str, Any]]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for block in blocks:
        key = f"{block['account_type']} {block['vintage']}"
        totals[key] = totals.get(key, 0) + int(block["serial_last"]) - int(block["serial_first"]) + 1
    return totals


def _blocks(blocks: list[dict[str, Any]]) -> dict[str, str]:
    return {
        str(b["block_id"]): (
            f"account {b['account_id']} serials {b['serial_first']}-{b['serial_last']} "
            f"{live_or_terminal(b['state'])} authorization {b['authorization_id']} v{b['authorization_version']}"
        )
        for b in blocks
    }


def reconcile(ledger: HoldingsReader, projection: HoldingsReader) -> Report:
    ledger_blocks, projected_blocks = ledger.blocks(), projection.blocks()
    ledger_journal, projected_journal = ledger.journal(), projection.journal()
    return Report(
        totals=compare("totals", _totals(ledger_blocks), _totals(projected_blocks)),
        blocks=compare("blocks", _blocks(ledger_blocks), _blocks(projected_blocks)),
        journal=compare(
            "journal",
            {f"#{seq}": number for seq, number in ledger_journal.items()},
            {f"#{seq}": number for seq, number in projected_journal.items()},
        ),
    )
