"""A worked example on the real platform: two registries, two years, every AEF action type.

Host (Party H) authorizes, first transfers to Buyer (Party B), uses, cancels and retires; Buyer acquires,
transfers on to a third Party and uses. Every step runs at a fixed UTC time through the ledger bus.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select

from gateway.bootstrap import Platform
from gateway.cli.events import build_runtime
from services.events.adapters.orm import outbox
from services.ledger.domain import commands
from services.ledger.domain.accounts import AccountType, OimpAction
from services.ledger.domain.authorizations import AuthorizationTerms, FirstTransferDefinition, Purpose, Timeframe
from services.ledger.domain.blocks import UnitFilter
from services.ledger.domain.reference import ProjectStatus
from services.ledger.domain.values import Metric, VintageQuantity
from services.ledger.service_layer.incoming import acquisition_from_request
from services.shared.clock import FixedClock
from services.shared.messages import Command
from tenants.domain.model import Tenant
from tests.conftest import new_tenant_command
from tests.factories.events import publish_pending_events

ACTOR = UUID("00000000-0000-7000-8000-000000000001")
APPROVER = UUID("00000000-0000-7000-8000-000000000002")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@dataclass
class Registry:
    platform: Platform
    tenant: Tenant
    clock: FixedClock
    accounts: dict[str, UUID] = field(default_factory=dict)
    numbers: dict[str, str] = field(default_factory=dict)

    def do(self, when: str, command: Command) -> Any:
        self.clock.set(at(when))
        bus = self.platform.ledger.bus(self.platform.ledger_tenant(self.tenant))
        result: Any = bus.handle(command)
        if getattr(result, "status", None) == "awaiting_approval":
            result = bus.handle(commands.ApproveTransaction(actor_id=APPROVER, transaction_id=result.transaction_id))
        return result

    def open(self, when: str, key: str, account_type: AccountType, **details: Any) -> None:
        result = self.do(when, commands.OpenAccount(actor_id=ACTOR, account_type=account_type, name=key, **details))
        self.accounts[key] = UUID(result.record_id)


def terms(party: str, approach: str, purposes: set[Purpose], on: date, **extra: Any) -> AuthorizationTerms:
    return AuthorizationTerms(
        version=extra.pop("version", 1),
        authorized_on=on,
        cooperative_approach_id=approach,
        authorizing_party=party,
        metric=Metric.ghg(),
        purposes=frozenset(purposes),
        timeframe=Timeframe(2021, 2030),
        gwp_values=("AR5",),
        sectors=frozenset({"Energy generation"}),
        activity_types=frozenset({"Cookstoves"}),
        terms="Reported annually",
        **extra,
    )


def requested_event(platform: Platform, tenant: Tenant) -> dict[str, Any]:
    with platform.database.session(None) as session:
        payloads = session.scalars(
            select(outbox.c.payload)
            .where(outbox.c.tenant_id == tenant.id, outbox.c.event_type == "ledger.transfer.international_requested.v1")
            .order_by(outbox.c.id.desc())
        ).all()
    data: dict[str, Any] = json.loads(payloads[0])["data"]
    return data


def new_registry(platform: Platform, clock: FixedClock, settings: dict[str, Any] | None = None) -> Registry:
    tenant = platform.catalogue.create(new_tenant_command(settings=settings or {}))
    return Registry(platform, tenant, clock)


def build(platform: Platform, host_settings: dict[str, Any] | None = None) -> tuple[Registry, Registry, dict[str, Any]]:
    """Runs the example; returns host, buyer and the facts the expected tables are written from."""
    clock = FixedClock(at("2024-01-10T08:00:00"))
    platform.ledger.clock = clock
    host, buyer = new_registry(platform, clock, host_settings), new_registry(platform, clock)
    h, b = host.tenant.party, buyer.tenant.party
    third = "ZZZ" if "ZZZ" not in (h, b) else "ZZY"
    for registry in (host, buyer):
        registry.do(
            "2024-01-10T08:00:00",
            commands.RecordCooperativeApproach(
                actor_id=ACTOR,
                cooperative_approach_id="CA0001",
                name="Cookstoves pact",
                participating_parties=frozenset({h, b, third}),
            ),
        )
    project = host.do(
        "2024-01-10T08:00:00",
        commands.RecordProject(
            actor_id=ACTOR,
            name="Cookstoves",
            developer="Stoves Ltd",
            sector="Energy",
            project_type="Cookstoves",
            methodology="GS TPDDTEC",
            status=ProjectStatus.REGISTERED,
            country=h,
            cooperative_approach_id="CA0001",
        ),
    )
    issuance = host.do(
        "2024-01-10T08:00:00",
        commands.RecordIssuance(
            actor_id=ACTOR,
            project_id=UUID(project.record_id),
            monitoring_start=date(2023, 1, 1),
            monitoring_end=date(2023, 12, 31),
            verifier="Verifier GmbH",
            verified_on=date(2024, 1, 5),
            issued_on=date(2024, 1, 10),
            quantities=(VintageQuantity(2023, 1000),),
        ),
    )
    host.open("2024-01-10T08:00:00", "issuance", AccountType.ISSUANCE)
    host.open("2024-01-10T08:00:00", "party", AccountType.PARTY_HOLDING)
    host.open("2024-01-10T08:00:00", "entity", AccountType.ENTITY_HOLDING, holder_id=ACTOR)
    host.open("2024-01-10T08:00:00", "corsia", AccountType.OIMP, oimp_purpose="CORSIA", oimp_action=OimpAction.USE)
    host.open(
        "2024-01-10T08:00:00",
        "other",
        AccountType.OIMP,
        oimp_purpose="Voluntary claims",
        oimp_action=OimpAction.CANCELLATION,
    )
    host.open("2024-01-10T08:00:00", "voluntary", AccountType.VOLUNTARY_CANCELLATION)
    host.open("2024-01-10T08:00:00", "omge", AccountType.OMGE_CANCELLATION)
    host.open("2024-01-10T08:00:00", "retirement", AccountType.RETIREMENT)
    host.open("2024-01-10T08:00:00", "buyer", AccountType.EXTERNAL, external_party=b, external_registry_id=f"{b}01")
    buyer.open("2024-01-10T08:00:00", "party", AccountType.PARTY_HOLDING)
    buyer.open("2024-01-10T08:00:00", "ndc2024", AccountType.NDC_USE, ndc_year=2024)
    buyer.open("2024-01-10T08:00:00", "ndc2025", AccountType.NDC_USE, ndc_year=2025)
    buyer.open(
        "2024-01-10T08:00:00", "third", AccountType.EXTERNAL, external_party=third, external_registry_id=f"{third}01"
    )
    entity = host.do(
        "2024-02-01T09:00:00",
        commands.RecordAuthorizedEntity(
            actor_id=ACTOR,
            cooperative_approach_id="CA0001",
            name="Stoves Ltd",
            country_of_incorporation=h,
            identification_number="REG-42",
            authorized_on=date(2024, 2, 1),
            conditions="Cookstoves only",
        ),
    )
    ha = host.accounts
    host.do(
        "2024-03-01T10:00:00",
        commands.IssueUnits(
            actor_id=ACTOR,
            issuance_id=UUID(issuance.record_id),
            account_id=ha["issuance"],
            cooperative_approach_id="CA0001",
            vintage=2023,
            quantity=1000,
        ),
    )
    host.do(
        "2024-03-02T10:00:00",
        commands.TransferUnits(
            actor_id=ACTOR, source_account_id=ha["issuance"], destination_account_id=ha["party"], quantity=1000
        ),
    )
    ndc = host.do(
        "2024-04-01T10:00:00",
        commands.RecordAuthorization(
            actor_id=ACTOR,
            reference=f"{h}-A-1",
            terms=terms(h, "CA0001", {Purpose.NDC}, date(2024, 4, 1), authorized_quantity=800),
        ),
    )
    host.do(
        "2024-04-02T10:00:00",
        commands.AuthorizeUnits(
            actor_id=ACTOR, account_id=ha["party"], authorization_id=UUID(ndc.record_id), quantity=600
        ),
    )
    oimp = host.do(
        "2024-05-01T10:00:00",
        commands.RecordAuthorization(
            actor_id=ACTOR,
            reference=f"{h}-A-2",
            terms=terms(
                h,
                "CA0001",
                {Purpose.OIMP},
                date(2024, 5, 1),
                oimp_first_transfer=FirstTransferDefinition.USE_OR_CANCELLATION,
            ),
        ),
    )
    host.do(
        "2024-05-02T10:00:00",
        commands.AuthorizeUnits(
            actor_id=ACTOR, account_id=ha["party"], authorization_id=UUID(oimp.record_id), quantity=400
        ),
    )
    only_ndc, only_oimp = (
        UnitFilter(authorization_id=UUID(ndc.record_id)),
        UnitFilter(authorization_id=UUID(oimp.record_id)),
    )
    # A domestic movement: not an Article 6 action.
    host.do(
        "2024-05-03T10:00:00",
        commands.TransferUnits(
            actor_id=ACTOR,
            source_account_id=ha["party"],
            destination_account_id=ha["entity"],
            quantity=100,
            unit_filter=only_ndc,
        ),
    )
    transfer = host.do(
        "2024-06-01T10:00:00",
        commands.RequestInternationalTransfer(
            actor_id=ACTOR, source_account_id=ha["entity"], external_account_id=ha["buyer"], quantity=100
        ),
    )
    host.do(
        "2024-06-02T10:00:00",
        commands.CompleteInternationalTransfer(actor_id=ACTOR, transaction_id=transfer.transaction_id),
    )
    request = requested_event(platform, host.tenant)
    buyer.clock.set(at("2024-06-02T11:00:00"))
    buyer.platform.ledger.bus(platform.ledger_tenant(buyer.tenant)).handle(
        acquisition_from_request(
            request, actor_id=ACTOR, account_id=buyer.accounts["party"], accepted_at=at("2024-06-02T11:00:00")
        )
    )
    # One minute before the new year in UTC: reported in 2024.
    buyer.do(
        "2024-12-31T23:59:00",
        commands.UseUnitsTowardsNdc(
            actor_id=ACTOR,
            source_account_id=buyer.accounts["party"],
            ndc_account_id=buyer.accounts["ndc2024"],
            ndc_year=2024,
            quantity=30,
        ),
    )
    # 2025: the Use for OIMP is also the First transfer of those units (definition use or cancellation).
    host.do(
        "2025-01-01T00:30:00",
        commands.UseUnitsForOimp(
            actor_id=ACTOR,
            source_account_id=ha["party"],
            oimp_account_id=ha["corsia"],
            quantity=300,
            unit_filter=only_oimp,
        ),
    )
    host.do(
        "2025-01-15T10:00:00",
        commands.UseUnitsForOimp(
            actor_id=ACTOR,
            source_account_id=ha["party"],
            oimp_account_id=ha["other"],
            quantity=50,
            unit_filter=only_oimp,
        ),
    )
    host.do(
        "2025-02-01T10:00:00",
        commands.CancelUnits(
            actor_id=ACTOR,
            source_account_id=ha["party"],
            cancellation_account_id=ha["voluntary"],
            quantity=30,
            unit_filter=only_ndc,
        ),
    )
    host.do(
        "2025-03-01T10:00:00",
        commands.CancelUnits(
            actor_id=ACTOR,
            source_account_id=ha["party"],
            cancellation_account_id=ha["omge"],
            quantity=20,
            unit_filter=only_ndc,
        ),
    )
    host.do(
        "2025-04-01T10:00:00",
        commands.RetireUnits(
            actor_id=ACTOR,
            source_account_id=ha["party"],
            retirement_account_id=ha["retirement"],
            quantity=10,
            beneficiary="Acme Airlines",
            unit_filter=only_ndc,
        ),
    )
    onward = buyer.do(
        "2025-05-01T10:00:00",
        commands.RequestInternationalTransfer(
            actor_id=ACTOR,
            source_account_id=buyer.accounts["party"],
            external_account_id=buyer.accounts["third"],
            quantity=40,
        ),
    )
    buyer.do(
        "2025-05-02T10:00:00",
        commands.CompleteInternationalTransfer(actor_id=ACTOR, transaction_id=onward.transaction_id),
    )
    buyer.do(
        "2025-06-01T10:00:00",
        commands.UseUnitsTowardsNdc(
            actor_id=ACTOR,
            source_account_id=buyer.accounts["party"],
            ndc_account_id=buyer.accounts["ndc2025"],
            ndc_year=2025,
            quantity=25,
        ),
    )
    facts = {"third": third, "entity_id": entity.record_id, "ndc": ndc.record_id, "oimp": oimp.record_id}
    return host, buyer, facts


def project(platform: Platform) -> None:
    publish_pending_events(platform)
    build_runtime(platform, "reporting").drain()
