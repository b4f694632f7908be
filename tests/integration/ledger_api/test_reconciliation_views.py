"""The ledger's query port answers what reconciliation compares: today's blocks and the journal's numbers."""

from __future__ import annotations

from uuid import UUID

from gateway.bootstrap import Platform, platform_of
from tests.integration.ledger_api.world import Registry, issue, transfer


def test_the_query_port_lists_each_block_where_it_is_and_each_journal_record_by_number(ghana: Registry) -> None:
    issued = issue(ghana, 100)
    moved = transfer(ghana, 60, "issuance", "party")
    platform: Platform = platform_of(ghana.app)
    views = platform.ledger.views(Platform.ledger_tenant(ghana.tenant))

    blocks = views.block_holdings()
    numbers = views.journal_numbers()

    held = {(b.account_type, b.account_id, b.serial_last - b.serial_first + 1, b.state) for b in blocks}
    assert held == {
        ("issuance", UUID(ghana.accounts["issuance"]), 40, "active"),
        ("party_holding", UUID(ghana.accounts["party"]), 60, "active"),
    }
    assert {issued["number"], moved["number"]} <= set(numbers.values())
    assert sorted(numbers) == list(range(1, len(numbers) + 1))
