"""Two hosted registries, A and B, with what an international transfer from A to B needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import select

from gateway.bootstrap import Platform
from services.events.adapters.orm import outbox
from services.ledger.domain import commands
from services.ledger.domain.accounts import AccountType
from services.ledger.domain.authorizations import Purpose
from services.ledger.domain.registry import NdcPeriod, RegistrySettings
from services.ledger.service_layer.results import TransactionResult
from tenants.domain.model import Tenant, TenantKind
from tests.conftest import new_tenant_command
from tests.unit.ledger.world import REPRESENTATIVE, World, terms

NO_APPROVALS: dict[str, Any] = {"approval_policy": {"four_eyes": [], "delay_minutes": {}}}


def world_of(platform: Platform, tenant: Tenant, partner: str) -> World:
    world = World(
        RegistrySettings(party=tenant.party, registry_id=tenant.registry_id, ndc_period=NdcPeriod(2021, 2030))
    )
    world.bus = platform.ledger.bus(platform.ledger_tenant(tenant))
    world.uow = world.bus.uow  # type: ignore[assignment]
    world.approach(parties=frozenset({tenant.party, partner}))
    return world


@dataclass
class TwoRegistries:
    platform: Platform
    a: Tenant
    b: Tenant
    a_world: World
    b_world: World
    a_holding: UUID
    a_external: UUID
    b_holding: UUID | None

    def request_transfer(self, quantity: int = 250) -> TransactionResult:
        result: TransactionResult = self.a_world.do(
            commands.RequestInternationalTransfer(
                actor_id=REPRESENTATIVE,
                source_account_id=self.a_holding,
                external_account_id=self.a_external,
                quantity=quantity,
            )
        )
        return result

    def events_of(self, tenant: Tenant) -> list[str]:
        with self.platform.database.session(None) as session:
            rows = session.execute(
                select(outbox.c.event_type).where(outbox.c.tenant_id == tenant.id).order_by(outbox.c.id)
            )
            return [row[0] for row in rows]

    def payloads_of(self, tenant: Tenant, event_type: str) -> list[dict[str, Any]]:
        import json

        with self.platform.database.session(None) as session:
            rows = session.execute(
                select(outbox.c.payload).where(outbox.c.tenant_id == tenant.id, outbox.c.event_type == event_type)
            )
            return [json.loads(bytes(row[0])) for row in rows]

    def held(self, world: World, account_id: UUID) -> int:
        with world.uow:
            return sum(block.quantity for block in world.uow.blocks.held_by(account_id))

    def status_of(self, transaction_id: UUID) -> str:
        with self.a_world.uow:
            transaction = self.a_world.uow.transactions.get(transaction_id)
            return "" if transaction is None else str(transaction.status)

    def journal_types(self, world: World) -> list[str]:
        with world.uow:
            return [f"{r.payload['type']}:{r.payload['status']}" for r in world.uow.journal.records()]


def two_registries(
    platform: Platform,
    *,
    b_has_holding: bool = True,
    a_kind: TenantKind = TenantKind.PRODUCTION,
    b_kind: TenantKind = TenantKind.PRODUCTION,
) -> TwoRegistries:
    a = platform.catalogue.create(new_tenant_command(settings=NO_APPROVALS, kind=a_kind))
    b = platform.catalogue.create(new_tenant_command(settings=NO_APPROVALS, kind=b_kind))
    a_world, b_world = world_of(platform, a, b.party), world_of(platform, b, a.party)
    a_world.project_id = a_world.project()
    a_world.issuance_id = a_world.issuance(a_world.project_id)
    a_world.issuance_account = a_world.account(AccountType.ISSUANCE)
    a_holding = a_world.account(AccountType.PARTY_HOLDING, f"Government of {a.party}")
    external = a_world.account(
        AccountType.EXTERNAL, f"Registry of {b.party}", external_party=b.party, external_registry_id=b.registry_id
    )
    a_world.issue(1_000)
    a_world.transfer(1_000, a_world.issuance_account, a_holding)
    recorded = a_world.do(
        commands.RecordAuthorization(
            actor_id=REPRESENTATIVE,
            reference=f"{a.party}-A-1",
            terms=terms(party=a.party, purposes=frozenset({Purpose.NDC}), authorized_parties=frozenset({b.party})),
        )
    )
    authorization = UUID(recorded.record_id)
    a_world.authorize(1_000, authorization, a_holding)
    b_holding = b_world.account(AccountType.PARTY_HOLDING, f"Government of {b.party}") if b_has_holding else None
    return TwoRegistries(platform, a, b, a_world, b_world, a_holding, external, b_holding)
