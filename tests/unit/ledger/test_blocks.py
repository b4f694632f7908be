from datetime import UTC, datetime
from uuid import UUID

import pytest

from services.ledger.domain.blocks import (
    BlockAttributes,
    FirstTransfer,
    FirstTransferTrigger,
    UnitBlock,
    UnitFilter,
    UnitState,
    carve,
    select_units,
)
from services.ledger.domain.errors import CheckFailed
from services.ledger.domain.values import Metric, MitigationType, UnitType
from services.shared.ids import new_id

HOLDER = UUID("00000000-0000-7000-8000-00000000000a")
ATTRIBUTES = BlockAttributes(
    "CA0001",
    "GHA01",
    "GHA",
    2023,
    Metric.ghg(),
    UnitType.MITIGATION_OUTCOME,
    MitigationType.REDUCTIONS,
    project_id=new_id(),
    issuance_id=new_id(),
)
FIRST_TRANSFER = FirstTransfer(datetime(2025, 1, 1, tzinfo=UTC), FirstTransferTrigger.AUTHORIZATION, new_id())


def block(first: int, last: int, **options: object) -> UnitBlock:
    return UnitBlock(
        id=new_id(), serial_first=first, serial_last=last, attributes=ATTRIBUTES, account_id=HOLDER, **options
    )  # type: ignore[arg-type]


def test_a_block_reports_its_first_and_last_itmo_identifiers() -> None:
    units = block(1_000_001, 1_000_500)

    assert units.first_itmo_id == "CA0001-GHA01-GHA-1000001-2023"
    assert units.last_itmo_id == "CA0001-GHA01-GHA-1000500-2023"
    assert units.quantity == 500


def test_a_split_leaves_the_lower_serials_and_moves_the_upper_ones_with_every_attribute() -> None:
    original = block(1, 1_000, first_transfer=FIRST_TRANSFER, underlying_first_unit_id=5_001)
    kept_id = original.id

    moved, split = original.split(300)

    assert (original.id, original.serial_first, original.serial_last) == (kept_id, 1, 700)
    assert (moved.serial_first, moved.serial_last) == (701, 1_000)
    assert moved.id != kept_id
    assert moved.attributes == original.attributes
    assert moved.first_transfer == original.first_transfer == FIRST_TRANSFER
    assert (original.underlying_first_unit_id, original.underlying_last_unit_id) == (5_001, 5_700)
    assert (moved.underlying_first_unit_id, moved.underlying_last_unit_id) == (5_701, 6_000)
    assert (split.block_id, split.new_block_id, split.serial_first, split.serial_last, split.split_at) == (
        kept_id,
        moved.id,
        1,
        1_000,
        701,
    )


@pytest.mark.parametrize("moved", [0, -1, 1_000, 1_001])
def test_a_split_moves_part_of_a_block_never_none_or_all(moved: int) -> None:
    with pytest.raises(CheckFailed) as failure:
        block(1, 1_000).split(moved)
    assert failure.value.code == "LDG-015"


def test_selection_takes_whole_blocks_in_ascending_serial_order_and_splits_only_the_last() -> None:
    third, first, second = block(501, 900), block(1, 100), block(201, 300)

    selection = select_units([third, first, second], 350)

    assert [(b.serial_first, b.serial_last) for b in selection.blocks] == [(1, 100), (201, 300), (751, 900)]
    assert (third.serial_first, third.serial_last) == (501, 750)
    assert selection.new_blocks == (selection.blocks[-1],)
    assert len(selection.splits) == 1
    assert selection.quantity == 350


def test_selection_of_an_exact_total_splits_nothing() -> None:
    selection = select_units([block(1, 100), block(101, 200)], 200)

    assert selection.new_blocks == ()
    assert selection.splits == ()


def test_moving_a_billion_units_from_one_block_is_one_split() -> None:
    huge = block(1, 2_000_000_000)

    selection = select_units([huge], 10**9)

    assert len(selection.blocks) == 1
    assert len(selection.splits) == 1
    assert selection.blocks[0].quantity == 10**9
    assert huge.quantity == 10**9


def test_selection_skips_reserved_blocks_and_refuses_more_than_is_available() -> None:
    reserved = block(1, 100, state=UnitState.PENDING_OUT, reserved_by=new_id())

    with pytest.raises(CheckFailed) as failure:
        select_units([reserved, block(101, 150)], 60)
    assert failure.value.code == "LDG-012"


def test_carving_a_range_out_of_the_middle_keeps_every_serial() -> None:
    original = block(1, 100)

    carved = carve(original, 40, 60)

    [middle] = carved.blocks
    assert (middle.serial_first, middle.serial_last) == (40, 60)
    ranges = sorted((b.serial_first, b.serial_last) for b in (original, *carved.new_blocks))
    assert ranges == [(1, 39), (40, 60), (61, 100)]


def test_carving_outside_the_block_is_refused() -> None:
    with pytest.raises(CheckFailed) as failure:
        carve(block(10, 20), 5, 15)
    assert failure.value.code == "LDG-015"


def test_reserved_units_cannot_be_reserved_again() -> None:
    units = block(1, 10)
    units.reserve(new_id())

    with pytest.raises(CheckFailed) as failure:
        units.reserve(new_id())
    assert failure.value.code == "LDG-013"


@pytest.mark.parametrize("state", [UnitState.USED, UnitState.CANCELLED, UnitState.RETIRED])
def test_used_cancelled_and_retired_units_never_move_again(state: UnitState) -> None:
    units = block(1, 10, state=state)

    for action in (
        lambda: units.reserve(new_id()),
        units.release,
        lambda: units.settle(HOLDER, UnitState.ACTIVE),
        lambda: units.authorize(new_id(), 1),
        lambda: units.mark_first_transferred(FIRST_TRANSFER),
    ):
        with pytest.raises(CheckFailed) as failure:
            action()
        assert failure.value.code == "LDG-014"
    assert units.state is state


def test_units_are_first_transferred_once() -> None:
    units = block(1, 10, first_transfer=FIRST_TRANSFER)

    with pytest.raises(CheckFailed) as failure:
        units.mark_first_transferred(FIRST_TRANSFER)
    assert failure.value.code == "LDG-045"


def test_units_are_authorized_once() -> None:
    units = block(1, 10)
    units.authorize(new_id(), 1)

    with pytest.raises(CheckFailed) as failure:
        units.authorize(new_id(), 1)
    assert failure.value.code == "LDG-039"


@pytest.mark.parametrize(("first", "last"), [(0, 10), (10, 9), (-5, 5)])
def test_a_block_is_a_positive_serial_range(first: int, last: int) -> None:
    with pytest.raises(CheckFailed) as failure:
        block(first, last)
    assert failure.value.code == "LDG-015"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("cooperative_approach_id", "CA01", "LDG-023"),
        ("registry_id", "GHA1", "LDG-023"),
        ("first_transferring_party", "gh", "LDG-023"),
        ("vintage", 23, "LDG-055"),
        ("authorization_version", 1, "LDG-015"),
    ],
)
def test_block_attributes_follow_the_nomenclature(field: str, value: object, code: str) -> None:
    values = dict(vars(ATTRIBUTES)) | {field: value}
    with pytest.raises(CheckFailed) as failure:
        BlockAttributes(**values)  # type: ignore[arg-type]
    assert failure.value.code == code


def test_a_filter_matches_blocks_by_attribute_and_authorization() -> None:
    units = block(1, 10)

    assert UnitFilter(vintage=2023, cooperative_approach_id="CA0001", authorized=False).matches(units)
    assert not UnitFilter(vintage=2024).matches(units)
    assert not UnitFilter(authorized=True).matches(units)
