"""Demo data for the embedded platform: people to sign in as and a small ledger history to look at.

Everything here is fictitious and only ever written by `registry demo` (embedded SQLite). The demo
password is random per demo database, kept beside it, and printed at start-up.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from uuid import UUID

from gateway.bootstrap import Platform
from services.identity.domain.roles import Role
from services.identity.service_layer import accounts
from services.ledger.domain import commands
from services.ledger.domain.accounts import AccountType
from services.ledger.domain.reference import ProjectStatus
from services.ledger.domain.transactions import TransactionStatus
from services.ledger.domain.values import VintageQuantity
from services.ledger.service_layer.messagebus import LedgerBus
from services.ledger.service_layer.results import RecordResult, TransactionResult
from services.shared.ids import new_id
from services.shared.messages import Command
from tenants.domain.model import Tenant


@dataclass(frozen=True)
class DemoPerson:
    username: str
    roles: frozenset[Role]
    what: str


HOST_PEOPLE = (
    DemoPerson("demo-admin", frozenset({Role.REGISTRY_ADMIN, Role.AUTHORIZING_OFFICER}), "registry administrator"),
    DemoPerson("demo-approver", frozenset({Role.APPROVER}), "second pair of eyes for approvals"),
    DemoPerson("demo-holder", frozenset({Role.ACCOUNT_REPRESENTATIVE}), "represents Cookstove Ltd's account"),
    DemoPerson("demo-auditor", frozenset({Role.AUDITOR}), "reads the audit log"),
)
BUYER_PEOPLE = (
    DemoPerson("demo-admin", frozenset({Role.REGISTRY_ADMIN, Role.AUTHORIZING_OFFICER}), "registry administrator"),
    DemoPerson("demo-approver", frozenset({Role.APPROVER}), "second pair of eyes for approvals"),
    DemoPerson("demo-auditor", frozenset({Role.AUDITOR}), "reads the audit log"),
)
OPERATOR = "demo-operator"


def demo_password(folder: Path) -> str:
    """The demo password of this demo database: made once, kept in var/, never a built-in value."""
    path = folder / "demo-password"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(f"demo-{secrets.token_urlsafe(9)}\n")
        path.chmod(0o600)
    return path.read_text().strip()


def seed_people(platform: Platform, host: Tenant, password: str) -> UUID:
    """Demo users of the host registry and one platform operator; answers the developer organization."""
    identity = platform.identity
    developer = UUID("00000000-0000-7000-8000-00000000c0de")
    accounts.ensure_organization(developer, "Cookstove Ltd (DEMO)", identity.uow(host.id), identity.clock.now())
    seed_registry_people(platform, host, password, HOST_PEOPLE, developer)
    operators = identity.uow(None)
    with operators:
        exists = operators.operators.by_username(OPERATOR) is not None
    if not exists:
        accounts.create_operator(OPERATOR, password, operators, identity.credentials)
    return developer


def seed_registry_people(
    platform: Platform, tenant: Tenant, password: str, people: tuple[DemoPerson, ...], organization: UUID | None
) -> None:
    """The demo users of one registry; an account representative belongs to `organization`."""
    identity = platform.identity
    uow = identity.uow(tenant.id)
    for person in people:
        with uow:
            exists = uow.users.by_username(person.username) is not None
        if not exists:
            represents = organization if Role.ACCOUNT_REPRESENTATIVE in person.roles else None
            command = accounts.CreateUser(person.username, password, person.roles, represents)
            accounts.create_user(command, uow, identity.credentials)


def seed_ledger(
    platform: Platform,
    host: Tenant,
    developer: UUID,
    label: str = "DEMO",
    partner: tuple[str, str] = ("CHE", "Switzerland"),
) -> UUID | None:
    """A cooperative approach, a project with an issuance, issued units, a transfer and a retirement.

    Every name carries `label`; `partner` is the other Party of the approach (code, name). Answers the
    issuance account, or None when the registry already has a history (a restarted demo)."""
    bus = platform.ledger.bus(platform.ledger_tenant(host))
    actor = new_id()
    if _has_history(platform, host):
        return None
    approach = "CA0001"
    bus.handle(
        commands.RecordCooperativeApproach(
            actor_id=actor,
            cooperative_approach_id=approach,
            name=f"{host.party}-{partner[1]} bilateral cooperation ({label})",
            participating_parties=frozenset({host.party, partner[0]}),
        )
    )
    project = record(
        bus,
        commands.RecordProject(
            actor_id=actor,
            name=f"Clean cookstoves in the Ashanti region ({label})",
            developer="Cookstove Ltd",
            sector="Energy",
            project_type="Cookstoves",
            methodology="GS TPDDTEC",
            status=ProjectStatus.REGISTERED,
            country=host.party,
            cooperative_approach_id=approach,
        ),
    )
    issuance = _issuance(bus, actor, project, label)
    issuing = open_account(bus, actor, AccountType.ISSUANCE, "Issuance account")
    holding = open_account(bus, actor, AccountType.ENTITY_HOLDING, "Cookstove Ltd holding", holder_id=developer)
    retirement = open_account(bus, actor, AccountType.RETIREMENT, "Retirement account")
    for vintage, quantity in ((2023, 600_000), (2024, 400_000)):
        approved(
            bus,
            new_id(),
            commands.IssueUnits(
                actor_id=actor,
                issuance_id=issuance,
                account_id=issuing,
                cooperative_approach_id=approach,
                vintage=vintage,
                quantity=quantity,
            ),
        )
    bus.handle(
        commands.TransferUnits(
            actor_id=actor, source_account_id=issuing, destination_account_id=holding, quantity=250_000
        )
    )
    bus.handle(
        commands.RetireUnits(
            actor_id=actor,
            source_account_id=holding,
            retirement_account_id=retirement,
            quantity=12_500,
            beneficiary=f"Accra Schools Trust ({label})",
            reason="Voluntary climate commitment 2025",
        ),
    )
    return issuing


def _issuance(bus: LedgerBus, actor: UUID, project: UUID, label: str) -> UUID:
    return record(
        bus,
        commands.RecordIssuance(
            actor_id=actor,
            project_id=project,
            monitoring_start=date(2023, 1, 1),
            monitoring_end=date(2024, 12, 31),
            verifier=f"Verifier GmbH ({label})",
            verified_on=date(2025, 3, 1),
            issued_on=date(2025, 3, 15),
            quantities=(VintageQuantity(2023, 600_000), VintageQuantity(2024, 400_000)),
        ),
    )


def open_account(bus: LedgerBus, actor: UUID, account_type: AccountType, name: str, **details: object) -> UUID:
    command = commands.OpenAccount(actor_id=actor, account_type=account_type, name=name, **details)  # type: ignore[arg-type]
    return record(bus, command)


def record(bus: LedgerBus, command: Command) -> UUID:
    result = bus.handle(command)
    if not isinstance(result, RecordResult):
        raise TypeError(f"{type(command).__name__} recorded nothing")
    return UUID(result.record_id)


def _has_history(platform: Platform, host: Tenant) -> bool:
    uow = platform.ledger.uow(platform.ledger_tenant(host))
    with uow:
        return uow.journal.last() is not None


def approved(bus: LedgerBus, approver: UUID, command: Command) -> TransactionResult:
    """Propose, then approve as a second person when the registry's policy holds it (four eyes)."""
    result = bus.handle(command)
    if not isinstance(result, TransactionResult):
        raise TypeError(f"{type(command).__name__} made no transaction")
    if result.status != TransactionStatus.AWAITING_APPROVAL:
        return result
    approved = bus.handle(commands.ApproveTransaction(actor_id=approver, transaction_id=result.transaction_id))
    if not isinstance(approved, TransactionResult):
        raise TypeError("an approval made no transaction")
    return approved
