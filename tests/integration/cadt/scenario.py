"""The worked example: one project, two issuances, units from each, a partial transfer and a partial retirement."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from gateway.bootstrap import Platform
from gateway.bootstrap.cadt import cadt_for
from gateway.cli.events import build_runtime
from services.cadt.service_layer.settings import ConfigureConnection, configure
from services.events.service_layer.consumer import ConsumerRuntime
from services.ledger.domain import commands
from services.ledger.domain.accounts import AccountType
from services.ledger.domain.blocks import UnitFilter
from services.ledger.domain.reference import ProjectStatus
from services.ledger.domain.values import VintageQuantity
from tenants.domain.model import Tenant
from tests.conftest import new_tenant_command
from tests.factories.events import publish_pending_events

ACTOR = UUID("00000000-0000-7000-8000-000000000001")
KEY = "test-key"


@dataclass
class Example:
    platform: Platform
    tenant: Tenant
    ids: dict[str, UUID] = field(default_factory=dict)

    def do(self, command: commands.Command) -> Any:
        return self.platform.ledger.bus(self.platform.ledger_tenant(self.tenant)).handle(command)

    def record(self, key: str, command: commands.Command) -> UUID:
        self.ids[key] = UUID(self.do(command).record_id)
        return self.ids[key]

    def connect(self, url: str, api_key: str = KEY, *, enabled: bool = True, **options: Any) -> None:
        store = cadt_for(self.platform).store(self.tenant.id)
        values = {
            "registry_of_origin": "UNFCCC",
            "public_base_url": f"https://registry.example/{self.tenant.code}",
            "country": "Ghana",
        } | options
        command = ConfigureConnection(url, api_key, "org-1", "v1", enabled, values)
        configure(store, command, party=self.tenant.party, retry=store.retry_refused)

    def relay(self) -> None:
        publish_pending_events(self.platform)

    def runtime(self) -> ConsumerRuntime:
        return build_runtime(self.platform, "cadt")

    def sync(self) -> ConsumerRuntime:
        self.relay()
        runtime = self.runtime()
        runtime.drain(idle_polls=1, timeout_s=0.05)
        return runtime


def reference_data(platform: Platform) -> Example:
    example = Example(platform, platform.catalogue.create(new_tenant_command()))
    party = example.tenant.party
    example.do(
        commands.RecordCooperativeApproach(
            actor_id=ACTOR,
            cooperative_approach_id="CA0001",
            name="Bilateral",
            participating_parties=frozenset({party, "CHE"}),
        )
    )
    example.record(
        "project",
        commands.RecordProject(
            actor_id=ACTOR,
            name="Clean cookstoves",
            developer="Cookstove Ltd",
            sector="Energy",
            project_type="Cookstoves",
            methodology="GS TPDDTEC",
            status=ProjectStatus.REGISTERED,
            country=party,
            cooperative_approach_id="CA0001",
        ),
    )
    for key, year in (("first", 2023), ("second", 2024)):
        example.record(
            key,
            commands.RecordIssuance(
                actor_id=ACTOR,
                project_id=example.ids["project"],
                monitoring_start=date(year, 1, 1),
                monitoring_end=date(year, 12, 31),
                verifier="Verifier GmbH",
                verified_on=date(year + 1, 3, 1),
                issued_on=date(year + 1, 3, 15),
                quantities=(VintageQuantity(year, 1000),),
            ),
        )
    for key, account_type in (
        ("issuance", AccountType.ISSUANCE),
        ("holding", AccountType.PARTY_HOLDING),
        ("retirement", AccountType.RETIREMENT),
    ):
        example.record(key, commands.OpenAccount(actor_id=ACTOR, account_type=account_type, name=f"{key} account"))
    return example


def issue(example: Example) -> None:
    for key, year, quantity in (("first", 2023, 1000), ("second", 2024, 500)):
        example.do(
            commands.IssueUnits(
                actor_id=ACTOR,
                issuance_id=example.ids[key],
                account_id=example.ids["issuance"],
                cooperative_approach_id="CA0001",
                vintage=year,
                quantity=quantity,
            )
        )


def move(example: Example) -> None:
    transfer_first_issuance(example, 400)
    retire_held(example, 100)


def transfer_first_issuance(example: Example, quantity: int) -> None:
    """Units of the first issuance from the issuance account to the holding account."""
    example.do(
        commands.TransferUnits(
            actor_id=ACTOR,
            source_account_id=example.ids["issuance"],
            destination_account_id=example.ids["holding"],
            quantity=quantity,
            unit_filter=UnitFilter(issuance_id=example.ids["first"]),
        )
    )


def retire_held(example: Example, quantity: int) -> None:
    """Units of the holding account retired for Acme Airlines."""
    example.do(
        commands.RetireUnits(
            actor_id=ACTOR,
            source_account_id=example.ids["holding"],
            retirement_account_id=example.ids["retirement"],
            quantity=quantity,
            beneficiary="Acme Airlines",
            reason="2025 climate claim",
        )
    )


def worked_example(platform: Platform) -> Example:
    example = reference_data(platform)
    issue(example)
    move(example)
    return example


def own(outcomes: dict[UUID, str], tenant_id: UUID) -> dict[UUID, str]:
    """A retry timer's outcomes for one registry: the session's database holds other tests' registries too."""
    return {tenant: outcome for tenant, outcome in outcomes.items() if tenant == tenant_id}
