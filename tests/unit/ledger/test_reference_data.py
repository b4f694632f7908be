from datetime import date
from uuid import UUID

import pytest

from services.ledger.domain import commands
from services.ledger.domain.accounts import AccountStatus, AccountType
from services.ledger.domain.errors import CheckFailed
from services.ledger.domain.identifiers import AccountNumber
from services.ledger.domain.reference import (
    ApproachStatus,
    CreditingPeriod,
    Issuance,
    Location,
    Project,
    ProjectStatus,
)
from services.ledger.domain.values import VintageQuantity
from services.shared.ids import new_id

from .world import ADMINISTRATOR, World, ghana, terms


def test_a_project_keeps_the_cad_trust_fields() -> None:
    world = ghana()
    project_id = world.project()

    with world.uow as uow:
        project = uow.reference.project(project_id)
    assert project is not None
    assert (project.name, project.country, project.status) == (
        "Clean cookstoves in the Ashanti region",
        "GHA",
        ProjectStatus.REGISTERED,
    )


@pytest.mark.parametrize(
    "options",
    [
        {"name": " "},
        {"country": "Ghana"},
        {"locations": (Location("GH"),)},
        {"crediting_periods": (CreditingPeriod(date(2025, 1, 1), date(2024, 1, 1)),)},
        {"cooperative_approach_id": "CA1"},
    ],
)
def test_an_incomplete_project_is_refused(options: dict[str, object]) -> None:
    values = {
        "id": new_id(),
        "name": "P",
        "developer": "D",
        "sector": "Energy",
        "project_type": "Solar",
        "methodology": "AMS-I.D",
        "status": ProjectStatus.LISTED,
        "country": "GHA",
    }
    with pytest.raises(CheckFailed) as failure:
        Project(**values | options)  # type: ignore[arg-type]
    assert failure.value.code in {"LDG-028", "LDG-023"}


def test_an_issuance_gives_each_vintage_once_with_a_positive_quantity() -> None:
    values = {
        "id": new_id(),
        "project_id": new_id(),
        "monitoring_start": date(2023, 1, 1),
        "monitoring_end": date(2023, 12, 31),
        "verifier": "V",
        "verified_on": date(2024, 1, 1),
        "issued_on": date(2024, 1, 2),
    }
    for quantities in [(), (VintageQuantity(2023, 1), VintageQuantity(2023, 2)), (VintageQuantity(2023, 0),)]:
        with pytest.raises(CheckFailed):
            Issuance(**values, quantities=quantities)  # type: ignore[arg-type]
    issuance = Issuance(**values, quantities=(VintageQuantity(2023, 10),))  # type: ignore[arg-type]
    issuance.issue(2023, 7)
    assert issuance.remaining(2023) == 3


def test_a_cooperative_approach_is_recorded_then_suspended() -> None:
    world = World()
    world.approach()

    world.do(
        commands.RecordCooperativeApproach(
            actor_id=ADMINISTRATOR,
            cooperative_approach_id="CA0001",
            name="Ghana-Switzerland",
            participating_parties=frozenset({"GHA", "CHE", "SGP"}),
            status=ApproachStatus.SUSPENDED,
        )
    )

    with world.uow as uow:
        approach = uow.reference.approach("CA0001")
    assert approach is not None
    assert approach.status is ApproachStatus.SUSPENDED
    assert approach.includes("SGP")
    assert [e.type for e in world.state.outbox].count("ledger.cooperative_approach.recorded.v1") == 2


def test_an_authorization_is_recorded_in_versions() -> None:
    world = ghana()
    first = world.do(commands.RecordAuthorization(actor_id=ADMINISTRATOR, reference="GHA-2025-01", terms=terms()))

    second = world.do(
        commands.RecordAuthorization(
            actor_id=ADMINISTRATOR,
            reference="GHA-2025-01",
            authorization_id=UUID(first.record_id),
            terms=terms(version=2, quantity=5_000),
        )
    )

    assert (first.version, second.version, second.number) == (1, 2, "GHA-2025-01")
    [authorization] = world.state.authorizations.values()
    assert authorization.current.authorized_quantity == 5_000


def test_an_account_number_is_issued_per_tenant_with_its_type_code() -> None:
    world = ghana()

    result = world.do(
        commands.OpenAccount(actor_id=ADMINISTRATOR, account_type=AccountType.RETIREMENT, name="Retirements 2")
    )

    number = AccountNumber.parse(result.number)
    assert (number.party, number.type_code) == ("GHA", 300)
    assert str(number) == str(world.state.accounts[UUID(result.record_id)].number)


def test_an_account_is_suspended_reopened_and_closed_for_good() -> None:
    world = ghana()
    for status in (AccountStatus.SUSPENDED, AccountStatus.OPEN, AccountStatus.CLOSED):
        world.do(commands.ChangeAccountStatus(actor_id=ADMINISTRATOR, account_id=world.voluntary, status=status))

    assert world.state.accounts[world.voluntary].status is AccountStatus.CLOSED
    assert [e.to_data()["status"] for e in world.state.outbox[-3:]] == ["suspended", "open", "closed"]


def test_an_entity_authorization_is_revoked() -> None:
    world = ghana()
    recorded = world.do(
        commands.RecordAuthorizedEntity(
            actor_id=ADMINISTRATOR,
            cooperative_approach_id="CA0001",
            name="Cookstove Ltd",
            country_of_incorporation="GHA",
            identification_number="CS-1",
            authorized_on=date(2024, 2, 1),
        )
    )
    entity_id = UUID(recorded.record_id)

    world.do(
        commands.RecordAuthorizedEntity(
            actor_id=ADMINISTRATOR,
            cooperative_approach_id="CA0001",
            name="Cookstove Ltd",
            country_of_incorporation="GHA",
            identification_number="CS-1",
            authorized_on=date(2024, 2, 1),
            entity_id=entity_id,
        )
    )

    with world.uow as uow:
        entity = uow.reference.entity(entity_id)
    assert entity is not None
    assert entity.revoked_at == world.clock.now()
    assert not entity.is_active(world.clock.now())
