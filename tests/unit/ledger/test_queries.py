from datetime import timedelta

import pytest

from services.ledger.domain import commands
from services.ledger.domain.blocks import UnitState
from services.ledger.domain.errors import CheckFailed
from services.ledger.domain.identifiers import AccountNumber
from services.ledger.domain.transactions import TransactionType
from services.ledger.service_layer import queries
from services.shared.ids import new_id

from .world import REPRESENTATIVE, World, ghana

DAY = timedelta(days=1)


def a_month_of_trading() -> tuple[World, list[object]]:
    world = ghana()
    moments = [world.clock.now()]
    world.issue(1_000)
    world.transfer(1_000, world.issuance_account, world.party_holding)
    for quantity in (300, 200):
        world.clock.advance(DAY)
        moments.append(world.clock.now())
        world.transfer(quantity, world.party_holding, world.developer_holding)
    world.clock.advance(DAY)
    moments.append(world.clock.now())
    world.do(
        commands.RetireUnits(
            actor_id=REPRESENTATIVE,
            source_account_id=world.developer_holding,
            retirement_account_id=world.retirement,
            quantity=50,
            beneficiary="A school",
        )
    )
    return world, moments


def test_holdings_today_come_from_the_blocks_by_approach_vintage_and_state() -> None:
    world, _ = a_month_of_trading()

    holdings = queries.holdings(world.uow, world.developer_holding)

    assert holdings.total == 450
    assert [(line.cooperative_approach_id, line.vintage, line.state) for line in holdings.lines] == [
        ("CA0001", 2023, UnitState.ACTIVE)
    ]
    assert queries.holdings(world.uow, world.retirement).lines[0].state is UnitState.RETIRED


def test_past_holdings_are_replayed_from_completed_transactions() -> None:
    world, moments = a_month_of_trading()
    day_0, *_, day_3 = moments

    totals = [queries.holdings(world.uow, world.developer_holding, as_of=m).total for m in moments]

    assert totals == [0, 300, 500, 450]
    assert queries.holdings(world.uow, world.party_holding, as_of=day_0).total == 1_000
    assert queries.holdings(world.uow, world.party_holding, as_of=day_0 - DAY).total == 0
    assert queries.holdings(world.uow, world.party_holding, as_of=day_3).total == 500


def test_holdings_of_an_unknown_account_are_refused() -> None:
    with pytest.raises(CheckFailed) as failure:
        queries.holdings(ghana().uow, new_id())
    assert failure.value.code == "LDG-001"


def test_the_history_of_a_unit_follows_it_from_issuance_to_retirement() -> None:
    world, _ = a_month_of_trading()
    [retired] = world.blocks_of(world.retirement)

    history = queries.unit_history(world.uow, retired.last_itmo_id)

    assert [entry.transaction_type for entry in history.entries] == [
        TransactionType.ISSUANCE,
        TransactionType.TRANSFER_DOMESTIC,
        TransactionType.TRANSFER_DOMESTIC,
        TransactionType.RETIREMENT,
    ]
    assert history.entries[-1].state is UnitState.RETIRED
    assert history.current is not None
    assert history.current.state == "retired"


def test_the_history_of_a_unit_never_issued_is_empty() -> None:
    history = queries.unit_history(ghana().uow, "CA0001-GHA01-GHA-999999-2023")

    assert history.entries == ()
    assert history.current is None


def test_a_statement_shows_units_in_and_out_with_running_balances() -> None:
    world, moments = a_month_of_trading()

    statement = queries.statement(world.uow, world.developer_holding, start=moments[1] - DAY / 2, end=moments[3])

    assert statement.opening_balance == 0
    assert [(line.units_in, line.units_out, line.balance) for line in statement.lines] == [
        (300, 0, 300),
        (200, 0, 500),
        (0, 50, 450),
    ]
    assert statement.closing_balance == 450


def test_an_account_is_found_by_its_number_once_the_number_is_checked() -> None:
    world = ghana()
    number = str(world.state.accounts[world.retirement].number)

    assert queries.account_by_number(world.uow, number).id == world.retirement
    with pytest.raises(CheckFailed) as mistyped:
        queries.account_by_number(world.uow, number[:-2] + ("00" if number[-2:] != "00" else "01"))
    with pytest.raises(CheckFailed) as unknown:
        queries.account_by_number(world.uow, str(AccountNumber("GHA", 100, 999_999)))
    assert mistyped.value.code == "LDG-004"
    assert unknown.value.code == "LDG-001"
