import dataclasses
import inspect
import json
import re

from services.ledger.domain import commands, events
from services.ledger.domain.accounts import AccountStatus
from services.shared.messages import Event

from .test_worked_examples import swiss_registry_acquires
from .world import ADMINISTRATOR, REPRESENTATIVE, ghana

EVENT_CLASSES = [
    cls for _, cls in inspect.getmembers(events, inspect.isclass) if issubclass(cls, Event) and cls is not Event
]


def test_event_types_are_versioned_past_tense_names_under_ledger() -> None:
    types = [cls.type for cls in EVENT_CLASSES]

    assert len(types) == len(set(types))
    for event_type in types:
        assert re.fullmatch(r"ledger(\.[a-z_]+){2}\.v[1-9]\d*", event_type), event_type
        assert event_type.split(".")[-2].endswith(("ed", "held_for_approval", "held_for_release", "frozen")), event_type


def test_events_are_frozen_and_documented() -> None:
    for cls in EVENT_CLASSES:
        assert dataclasses.is_dataclass(cls)
        assert cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
        assert (cls.__doc__ or "").strip(), cls.__name__


def test_every_event_a_busy_day_records_travels_as_plain_json() -> None:
    world = ghana()
    swiss, _ = swiss_registry_acquires(world)
    world.do(
        commands.ChangeAccountStatus(actor_id=ADMINISTRATOR, account_id=world.voluntary, status=AccountStatus.SUSPENDED)
    )
    world.do(
        commands.RetireUnits(
            actor_id=REPRESENTATIVE,
            source_account_id=world.party_holding,
            retirement_account_id=world.retirement,
            quantity=5,
            beneficiary="A school",
        )
    )

    recorded = world.state.outbox + swiss.state.outbox
    for event in recorded:
        data = event.to_data()
        assert json.loads(json.dumps(data)) == data
    assert {e.type for e in recorded} >= {
        "ledger.units.issued.v1",
        "ledger.units.transferred.v1",
        "ledger.units.authorized.v1",
        "ledger.units.first_transferred.v1",
        "ledger.transfer.international_requested.v1",
        "ledger.transfer.international_completed.v1",
        "ledger.units.retired.v1",
        "ledger.account.status_changed.v1",
        "ledger.transaction.completed.v1",
        "ledger.authorization.recorded.v1",
        "ledger.account.opened.v1",
    }


def test_a_block_in_an_event_names_its_first_and_last_itmo() -> None:
    world = ghana()
    world.issue(10)

    [issued] = [e for e in world.state.outbox if isinstance(e, events.UnitsIssued)]
    [block] = issued.to_data()["blocks"]  # type: ignore[misc]

    assert block["first_itmo_id"] == "CA0001-GHA01-GHA-1-2023"  # type: ignore[index]
    assert block["last_itmo_id"] == "CA0001-GHA01-GHA-10-2023"  # type: ignore[index]
    assert block["metric"] == "t CO2 eq"  # type: ignore[index]
