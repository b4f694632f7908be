"""The demo's Article 6 deal: demo-host authorizes ITMOs and first transfers them to demo-buyer, which
acquires them and uses some towards its NDC.

The transfer abroad travels as it does in production: the host's outbox, the relay, the inter-registry
consumer and the buyer's acquisition, run here to completion before the demo server starts.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from gateway.bootstrap import Platform
from gateway.cli.events import build_relay, build_runtime
from gateway.demo_data import approved, open_account, record
from services.ledger.domain import commands
from services.ledger.domain.accounts import AccountType
from services.ledger.domain.authorizations import AuthorizationTerms, Purpose, Timeframe
from services.ledger.domain.values import Metric
from services.ledger.service_layer.messagebus import LedgerBus
from services.shared.ids import new_id
from tenants.domain.model import Tenant

APPROACH = "CA0001"
AUTHORIZED = 20_000
FIRST_TRANSFERRED = 7_000
USED_TOWARDS_NDC = 2_000
NDC_YEAR = 2030  # the buyer's single-year NDC target year
DELIVERY_ROUNDS = 5


def seed_deal(platform: Platform, host: Tenant, buyer: Tenant, host_issuing: UUID) -> None:
    """Authorize, first transfer to the buyer, deliver, and use part of the acquisition towards its NDC."""
    host_bus, buyer_bus = _bus(platform, host), _bus(platform, buyer)
    initiator, approver = new_id(), new_id()
    buyer_holding, buyer_ndc = buyer_accounts(buyer_bus, initiator, host, buyer)
    party = open_account(host_bus, initiator, AccountType.PARTY_HOLDING, f"Government of {host.party} (DEMO)")
    external = open_account(
        host_bus,
        initiator,
        AccountType.EXTERNAL,
        buyer.name,
        external_party=buyer.party,
        external_registry_id=buyer.registry_id,
    )
    host_bus.handle(
        commands.TransferUnits(
            actor_id=initiator, source_account_id=host_issuing, destination_account_id=party, quantity=AUTHORIZED
        )
    )
    authorized = record(host_bus, authorization(initiator, host, buyer))
    approved(host_bus, approver, commands.AuthorizeUnits(
        actor_id=initiator, account_id=party, authorization_id=authorized, quantity=AUTHORIZED
    ))  # fmt: skip
    approved(host_bus, approver, commands.RequestInternationalTransfer(
        actor_id=initiator, source_account_id=party, external_account_id=external, quantity=FIRST_TRANSFERRED
    ))  # fmt: skip
    _deliver(platform)
    buyer_bus.handle(
        commands.UseUnitsTowardsNdc(
            actor_id=initiator,
            source_account_id=buyer_holding,
            ndc_account_id=buyer_ndc,
            ndc_year=NDC_YEAR,
            quantity=USED_TOWARDS_NDC,
        )
    )
    _deliver(platform)  # nothing of the deal is left in the outbox when the server starts


def buyer_accounts(bus: LedgerBus, actor: UUID, host: Tenant, buyer: Tenant, label: str = "DEMO") -> tuple[UUID, UUID]:
    """The buyer's side of the approach; answers its Party holding (which acquires) and NDC use account."""
    bus.handle(
        commands.RecordCooperativeApproach(
            actor_id=actor,
            cooperative_approach_id=APPROACH,
            name=f"{host.party}-{buyer.party} bilateral cooperation ({label})",
            participating_parties=frozenset({host.party, buyer.party}),
        )
    )
    holding = open_account(bus, actor, AccountType.PARTY_HOLDING, f"Government of {buyer.party} ({label})")
    ndc = open_account(bus, actor, AccountType.NDC_USE, f"NDC use {NDC_YEAR} ({label})", ndc_year=NDC_YEAR)
    return holding, ndc


def authorization(actor: UUID, host: Tenant, buyer: Tenant, label: str = "DEMO") -> commands.RecordAuthorization:
    terms = AuthorizationTerms(
        version=1,
        authorized_on=date(2025, 3, 20),
        cooperative_approach_id=APPROACH,
        authorizing_party=host.party,
        metric=Metric.ghg(),
        purposes=frozenset({Purpose.NDC}),
        timeframe=Timeframe(2023, 2024),
        authorized_quantity=AUTHORIZED,
        gwp_values=("AR5",),
        sectors=frozenset({"Energy generation"}),
        activity_types=frozenset({"Cookstoves"}),
        authorized_parties=frozenset({buyer.party}),
        terms=f"Clean cookstove emission reductions for {buyer.party}'s NDC ({label})",
    )
    return commands.RecordAuthorization(actor_id=actor, reference=f"{host.party}-A-2025-001", terms=terms)


def _deliver(platform: Platform) -> None:
    """Relay and the inter-registry consumer until the request, the acquisition and the answer are through."""
    relay, runtime = build_relay(platform, "demo-seed"), build_runtime(platform, "interregistry")
    for _ in range(DELIVERY_ROUNDS):
        while relay.publish_pending():
            pass
        runtime.drain(idle_polls=1, timeout_s=0.05)


def _bus(platform: Platform, tenant: Tenant) -> LedgerBus:
    return platform.ledger.bus(platform.ledger_tenant(tenant))
