"""The SQL selection of an action's units agrees with the domain's `UnitFilter.matches`, on both databases.

Random blocks (attributes, state, holder) and random filters; every field of `UnitFilter` is drawn, read
from the class itself, so a field added to the filter is compared here without touching this test.
"""

from dataclasses import dataclass, fields
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gateway.bootstrap import Platform
from services.ledger.bootstrap import LedgerTenant
from services.ledger.domain import commands
from services.ledger.domain.accounts import AccountType
from services.ledger.domain.blocks import TERMINAL_STATES, BlockAttributes, UnitBlock, UnitFilter, UnitState
from services.ledger.domain.values import Metric, MitigationType, UnitType
from services.shared.ids import new_id
from tests.conftest import new_tenant_command
from tests.unit.ledger.world import ADMINISTRATOR, World, terms

EXAMPLES = 40


@dataclass
class Scene:
    platform: Platform
    tenant: LedgerTenant
    accounts: tuple[UUID, UUID]
    authorizations: tuple[UUID, ...]
    values: dict[str, list[Any]]  # what each filtered attribute may be, on blocks and in filters


@pytest.fixture
def scene(platform: Platform) -> Scene:
    """A tenant with two holding accounts and two authorizations: what blocks must point at."""
    tenant = platform.ledger_tenant(platform.catalogue.create(new_tenant_command()))
    bus = platform.ledger.bus(tenant)
    world = World(bus.registry)
    world.uow, world.bus = bus.uow, bus  # type: ignore[assignment]
    world.approach(parties=frozenset({tenant.party, "CHE"}))
    accounts = (world.account(AccountType.PARTY_HOLDING, "One"), world.account(AccountType.PARTY_HOLDING, "Two"))
    recorded = [
        commands.RecordAuthorization(
            actor_id=ADMINISTRATOR, reference=f"{tenant.party}-A-{n}", terms=terms(party=tenant.party)
        )
        for n in (1, 2)
    ]
    authorizations = tuple(UUID(world.do(command).record_id) for command in recorded)
    values = {
        "cooperative_approach_id": ["CA0001", "CA0002"],
        "registry_id": [tenant.registry_id, "ZZZ99"],
        "vintage": [2021, 2023],
        "project_id": [None, new_id(), new_id()],
        "issuance_id": [None, new_id(), new_id()],
        "authorization_id": [None, *authorizations],
    }
    return Scene(platform, tenant, accounts, authorizations, values)


def filters(scene: Scene) -> st.SearchStrategy[UnitFilter]:
    """Each field of the filter unset or set to a value blocks may have; `authorized` either way."""
    drawn: dict[str, st.SearchStrategy[Any]] = {}
    for field in fields(UnitFilter):
        if field.name == "authorized":
            drawn[field.name] = st.sampled_from([None, True, False])
        else:
            set_to = [value for value in scene.values[field.name] if value is not None]
            drawn[field.name] = st.one_of(st.none(), st.sampled_from(set_to))
    return st.builds(UnitFilter, **drawn)


@st.composite
def blocks(draw: st.DrawFn, scene: Scene) -> list[UnitBlock]:
    """Up to eight blocks on distinct serials, of random attributes, states and holders."""
    found = []
    for number in range(draw(st.integers(0, 8))):
        chosen = {name: draw(st.sampled_from(options)) for name, options in scene.values.items()}
        version = None if chosen["authorization_id"] is None else 1
        attributes = BlockAttributes(
            chosen.pop("cooperative_approach_id"),
            chosen.pop("registry_id"),
            scene.tenant.party,
            chosen.pop("vintage"),
            Metric.ghg(),
            UnitType.MITIGATION_OUTCOME,
            MitigationType.REDUCTIONS,
            authorization_version=version,
            **chosen,
        )
        found.append(
            UnitBlock(
                id=new_id(),
                serial_first=number * 100 + 1,
                serial_last=number * 100 + 50,
                attributes=attributes,
                account_id=draw(st.sampled_from(scene.accounts)),
                state=draw(st.sampled_from(list(UnitState))),
            )
        )
    return found


def selected(scene: Scene, added: list[UnitBlock], unit_filter: UnitFilter) -> list[UUID]:
    """What the SQL repository selects from the first account, in a unit of work that writes nothing."""
    with scene.platform.ledger.uow(scene.tenant) as uow:
        for block in added:
            uow.blocks.add(block)
        found = [block.id for block in uow.blocks.for_update(scene.accounts[0], unit_filter)]
        uow.rollback()
    return found


def test_the_sql_selection_takes_exactly_the_live_blocks_the_filter_matches(scene: Scene) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def compare(data: st.DataObject) -> None:
        added = data.draw(blocks(scene), label="blocks")
        unit_filter = data.draw(filters(scene), label="filter")
        live = [b for b in added if b.account_id == scene.accounts[0] and b.state not in TERMINAL_STATES]
        expected = [b.id for b in sorted(live, key=lambda b: (b.serial_first, b.id)) if unit_filter.matches(b)]

        assert selected(scene, added, unit_filter) == expected

    compare()
