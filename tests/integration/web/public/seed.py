"""A registry with public information, recorded through the real ledger service layer (the bus)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from gateway.bootstrap import Platform
from gateway.cli.events import build_runtime
from services.ledger.domain import commands
from services.ledger.domain.accounts import AccountType
from services.ledger.domain.authorizations import AuthorizationTerms, Purpose, Timeframe
from services.ledger.domain.reference import ProjectStatus
from services.ledger.domain.values import Metric, VintageQuantity
from services.ledger.service_layer.results import RecordResult, TransactionResult
from services.shared.messages import Command
from tenants.domain.model import Tenant
from tests.conftest import new_tenant_command
from tests.factories.events import publish_pending_events
from tests.factories.resources import new_approach_id

ACTOR = UUID("00000000-0000-7000-8000-0000000000a1")
NO_APPROVALS: dict[str, Any] = {"approval_policy": {"four_eyes": []}}
BENEFICIARY = "Acme Airlines"


@dataclass
class Seeded:
    tenant: Tenant
    approach_id: str
    project_id: UUID
    retirement_id: UUID
    retired_first_itmo_id: str
    serial: int
    accounts: dict[str, UUID] = field(default_factory=dict)


def record(bus: Any, command: Command) -> UUID:
    result = bus.handle(command)
    assert isinstance(result, RecordResult)
    return UUID(result.record_id)


def transact(bus: Any, command: Command) -> UUID:
    result = bus.handle(command)
    assert isinstance(result, TransactionResult)
    return result.transaction_id


def registry(platform: Platform, **settings: Any) -> Tenant:
    return platform.catalogue.create(new_tenant_command(settings={**NO_APPROVALS, **settings}))


def seed(platform: Platform, tenant: Tenant, other_projects: int = 0) -> Seeded:
    """A cooperative approach, a cookstoves project (and `other_projects` more), 1,000 units issued,
    an authorization, and 10 units retired on behalf of Acme Airlines."""
    bus = platform.ledger.bus(platform.ledger_tenant(tenant))
    party, approach = tenant.party, new_approach_id()
    partner = "CHE" if party != "CHE" else "SWE"
    bus.handle(
        commands.RecordCooperativeApproach(
            actor_id=ACTOR,
            cooperative_approach_id=approach,
            name="Cookstoves pact",
            participating_parties=frozenset({party, partner}),
        )
    )
    project = record(bus, _project(party, approach, "Clean cookstoves in Ashanti", "Energy"))
    for number in range(other_projects):
        bus.handle(_project(party, approach, f"Forest {number:02d}", "Forestry"))
    issuance = record(
        bus,
        commands.RecordIssuance(
            actor_id=ACTOR,
            project_id=project,
            monitoring_start=date(2023, 1, 1),
            monitoring_end=date(2023, 12, 31),
            verifier="Verifier GmbH",
            verified_on=date(2024, 3, 1),
            issued_on=date(2024, 3, 15),
            quantities=(VintageQuantity(2023, 1000),),
        ),
    )
    accounts = {
        key: record(bus, commands.OpenAccount(actor_id=ACTOR, account_type=kind, name=key))
        for key, kind in (
            ("issuance", AccountType.ISSUANCE),
            ("party", AccountType.PARTY_HOLDING),
            ("retirement", AccountType.RETIREMENT),
        )
    }
    bus.handle(
        commands.IssueUnits(
            actor_id=ACTOR,
            issuance_id=issuance,
            account_id=accounts["issuance"],
            cooperative_approach_id=approach,
            vintage=2023,
            quantity=1000,
        )
    )
    bus.handle(
        commands.TransferUnits(
            actor_id=ACTOR,
            source_account_id=accounts["issuance"],
            destination_account_id=accounts["party"],
            quantity=1000,
        )
    )
    bus.handle(commands.RecordAuthorization(actor_id=ACTOR, reference=f"{party}-A-1", terms=_terms(party, approach)))
    retired = transact(
        bus,
        commands.RetireUnits(
            actor_id=ACTOR,
            source_account_id=accounts["party"],
            retirement_account_id=accounts["retirement"],
            quantity=10,
            beneficiary=BENEFICIARY,
            reason="Offsetting 2024 flights",
        ),
    )
    with platform.ledger.uow(platform.ledger_tenant(tenant)) as uow:
        transaction = uow.transactions.get(retired)
        assert transaction is not None
        moved = transaction.changes[0]
    return Seeded(tenant, approach, project, retired, moved.first_itmo_id, moved.serial_first, accounts)


def project_events(platform: Platform) -> None:
    """Runs the relay and the reporting consumer once, as the embedded workers do in a live server."""
    publish_pending_events(platform)
    build_runtime(platform, "reporting").drain()


def _project(party: str, approach: str, name: str, sector: str) -> commands.RecordProject:
    return commands.RecordProject(
        actor_id=ACTOR,
        name=name,
        developer="Stoves Ltd",
        sector=sector,
        project_type="Cookstoves" if sector == "Energy" else "Afforestation",
        methodology="GS TPDDTEC",
        status=ProjectStatus.REGISTERED,
        country=party,
        cooperative_approach_id=approach,
    )


def _terms(party: str, approach: str) -> AuthorizationTerms:
    return AuthorizationTerms(
        version=1,
        authorized_on=date(2024, 4, 1),
        cooperative_approach_id=approach,
        authorizing_party=party,
        metric=Metric.ghg(),
        purposes=frozenset({Purpose.NDC}),
        timeframe=Timeframe(2021, 2030),
        gwp_values=("AR5",),
        authorized_quantity=800,
    )
