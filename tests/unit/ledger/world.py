"""A tenant's ledger on the fake unit of work, with the reference data most examples need."""

import copy
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from services.ledger.domain import commands
from services.ledger.domain.accounts import AccountType, OimpAction
from services.ledger.domain.authorizations import AuthorizationTerms, FirstTransferDefinition, Purpose, Timeframe
from services.ledger.domain.blocks import UnitBlock
from services.ledger.domain.reference import ProjectStatus
from services.ledger.domain.registry import ApprovalPolicy, NdcPeriod, RegistrySettings
from services.ledger.domain.values import Metric, VintageQuantity
from services.ledger.service_layer.messagebus import LedgerBus
from services.ledger.service_layer.results import RecordResult, TransactionResult
from services.shared.clock import FixedClock
from services.shared.ids import new_id

from .fakes import FakeLedgerStore, FakeLedgerUnitOfWork, TenantState

NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
REPRESENTATIVE = UUID("00000000-0000-7000-8000-000000000001")
APPROVER = UUID("00000000-0000-7000-8000-000000000002")
ADMINISTRATOR = UUID("00000000-0000-7000-8000-000000000003")
GHANA = RegistrySettings(party="GHA", registry_id="GHA01", ndc_period=NdcPeriod(2021, 2030))
SWITZERLAND = RegistrySettings(party="CHE", registry_id="CHE01", ndc_period=NdcPeriod(2021, 2030))


def terms(
    *,
    purposes: frozenset[Purpose] = frozenset({Purpose.NDC}),
    version: int = 1,
    party: str = "GHA",
    definition: FirstTransferDefinition | None = None,
    quantity: int | None = None,
    vintages: tuple[int, int] = (2021, 2030),
    valid_until: date | None = None,
    authorized_parties: frozenset[str] = frozenset(),
    authorized_entities: frozenset[UUID] = frozenset(),
    metric: Metric | None = None,
    approach: str = "CA0001",
    **extra: Any,
) -> AuthorizationTerms:
    metric = metric or Metric.ghg()
    return AuthorizationTerms(
        version=version,
        authorized_on=date(2024, 1, 15),
        cooperative_approach_id=approach,
        authorizing_party=party,
        metric=metric,
        purposes=purposes,
        timeframe=Timeframe(*vintages, valid_until=valid_until),
        authorized_quantity=quantity,
        oimp_first_transfer=definition,
        gwp_values=("AR5",),
        conversion_factor=None if metric.is_ghg else Decimal("0.5"),
        authorized_parties=authorized_parties,
        authorized_entities=authorized_entities,
        **extra,
    )


class World:
    def __init__(
        self, registry: RegistrySettings = GHANA, *, store: FakeLedgerStore | None = None, tenant_id: UUID | None = None
    ) -> None:
        self.registry = registry
        self.clock = FixedClock(NOW)
        self.uow = FakeLedgerUnitOfWork(tenant_id, store)
        self.bus = LedgerBus(self.uow, registry, self.clock)

    def do(self, command: commands.Command) -> Any:
        return self.bus.handle(command)

    def with_policy(self, policy: ApprovalPolicy) -> "World":
        self.bus.registry = self.registry = replace(self.registry, approval_policy=policy)
        return self

    @property
    def state(self) -> TenantState:
        return self.uow.committed

    def snapshot(self) -> TenantState:
        return copy.deepcopy(self.state)

    def blocks_of(self, account_id: UUID) -> list[UnitBlock]:
        return sorted(
            (b for b in self.state.blocks.values() if b.account_id == account_id), key=lambda b: b.serial_first
        )

    def held(self, account_id: UUID) -> int:
        return sum(b.quantity for b in self.blocks_of(account_id))

    # Reference data

    def approach(self, approach_id: str = "CA0001", parties: frozenset[str] = frozenset({"GHA", "CHE"})) -> str:
        self.do(
            commands.RecordCooperativeApproach(
                actor_id=ADMINISTRATOR,
                cooperative_approach_id=approach_id,
                name="Ghana-Switzerland",
                participating_parties=parties,
            )
        )
        return approach_id

    def project(self, approach_id: str | None = "CA0001") -> UUID:
        result: RecordResult = self.do(
            commands.RecordProject(
                actor_id=ADMINISTRATOR,
                name="Clean cookstoves in the Ashanti region",
                developer="Cookstove Ltd",
                sector="Energy",
                project_type="Cookstoves",
                methodology="GS TPDDTEC",
                status=ProjectStatus.REGISTERED,
                country=self.registry.party,
                cooperative_approach_id=approach_id,
            )
        )
        return UUID(result.record_id)

    def issuance(self, project_id: UUID, quantities: dict[int, int] | None = None) -> UUID:
        quantities = quantities or {2023: 1_000_000, 2024: 500_000}
        result: RecordResult = self.do(
            commands.RecordIssuance(
                actor_id=ADMINISTRATOR,
                project_id=project_id,
                monitoring_start=date(2023, 1, 1),
                monitoring_end=date(2024, 12, 31),
                verifier="Verifier GmbH",
                verified_on=date(2025, 3, 1),
                issued_on=date(2025, 3, 15),
                quantities=tuple(VintageQuantity(v, q) for v, q in quantities.items()),
            )
        )
        return UUID(result.record_id)

    def account(self, account_type: AccountType, name: str | None = None, **details: Any) -> UUID:
        result: RecordResult = self.do(
            commands.OpenAccount(
                actor_id=ADMINISTRATOR,
                account_type=account_type,
                name=name or f"{account_type} account",
                **details,
            )
        )
        return UUID(result.record_id)

    def authorization(self, **options: Any) -> UUID:
        result: RecordResult = self.do(
            commands.RecordAuthorization(
                actor_id=ADMINISTRATOR,
                reference=options.pop("reference", f"GHA-A-{len(self.state.authorizations) + 1}"),
                terms=terms(party=self.registry.party, **options),
            )
        )
        return UUID(result.record_id)

    # Unit actions

    def issue(self, quantity: int, vintage: int = 2023, **options: Any) -> TransactionResult:
        result: TransactionResult = self.do(
            commands.IssueUnits(
                actor_id=REPRESENTATIVE,
                issuance_id=options.pop("issuance_id", self.issuance_id),
                account_id=options.pop("account_id", self.issuance_account),
                cooperative_approach_id="CA0001",
                vintage=vintage,
                quantity=quantity,
                **options,
            )
        )
        return result

    def transfer(self, quantity: int, source: UUID, destination: UUID, **options: Any) -> TransactionResult:
        result: TransactionResult = self.do(
            commands.TransferUnits(
                actor_id=REPRESENTATIVE,
                source_account_id=source,
                destination_account_id=destination,
                quantity=quantity,
                **options,
            )
        )
        return result

    def authorize(self, quantity: int, authorization_id: UUID, account_id: UUID, **options: Any) -> TransactionResult:
        result: TransactionResult = self.do(
            commands.AuthorizeUnits(
                actor_id=REPRESENTATIVE,
                account_id=account_id,
                authorization_id=authorization_id,
                quantity=quantity,
                **options,
            )
        )
        return result


def ghana() -> World:
    """Ghana's registry: cooperative approach CA0001 with Switzerland, one project, its issuance,
    and an account of each type."""
    world = World(GHANA)
    world.approach()
    world.project_id = world.project()
    world.issuance_id = world.issuance(world.project_id)
    world.issuance_account = world.account(AccountType.ISSUANCE)
    world.party_holding = world.account(AccountType.PARTY_HOLDING, "Government of Ghana")
    world.developer = new_id()
    world.developer_holding = world.account(AccountType.ENTITY_HOLDING, "Cookstove Ltd", holder_id=world.developer)
    world.ndc_2025 = world.account(AccountType.NDC_USE, ndc_year=2025)
    world.corsia_use = world.account(AccountType.OIMP, oimp_purpose="CORSIA", oimp_action=OimpAction.USE)
    world.other_cancellation = world.account(
        AccountType.OIMP, oimp_purpose="Voluntary claims", oimp_action=OimpAction.CANCELLATION
    )
    world.voluntary = world.account(AccountType.VOLUNTARY_CANCELLATION)
    world.omge = world.account(AccountType.OMGE_CANCELLATION)
    world.retirement = world.account(AccountType.RETIREMENT)
    world.switzerland = world.account(
        AccountType.EXTERNAL, "Swiss registry", external_party="CHE", external_registry_id="CHE01"
    )
    return world
