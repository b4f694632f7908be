"""The fictional data a training registry starts with, and again after each reset.

Built from the demo's own seeding (gateway/demo_data.py, gateway/demo_deal.py): a cooperative approach
with a partner training registry, projects, issuances, accounts of several organizations, an
authorization with units authorized for the partner, and one person for each role. Passwords are made
fresh on every seeding and answered once: the platform keeps only their hashes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid5

from gateway.bootstrap import Platform
from gateway.demo_data import DemoPerson, approved, open_account, record, seed_ledger
from gateway.demo_deal import authorization, buyer_accounts
from gateway.training.errors import NotTrainingRegistry
from gateway.training.partner import ensure_partner
from services.identity.domain.roles import Role
from services.identity.service_layer import accounts
from services.ledger.domain import commands
from services.ledger.domain.accounts import AccountType
from services.ledger.domain.reference import ProjectStatus
from services.ledger.domain.values import VintageQuantity
from services.ledger.service_layer.messagebus import LedgerBus
from services.shared.ids import new_id
from tenants.domain.model import Tenant

LABEL = "TRAINING"
APPROACH = "CA0001"
AUTHORIZED = 20_000

PEOPLE = (
    DemoPerson("trainee-admin", frozenset({Role.REGISTRY_ADMIN}), "registry administrator"),
    DemoPerson("trainee-officer", frozenset({Role.AUTHORIZING_OFFICER}), "authorizing officer"),
    DemoPerson("trainee-approver", frozenset({Role.APPROVER}), "approver: the second pair of eyes"),
    DemoPerson("trainee-holder", frozenset({Role.ACCOUNT_REPRESENTATIVE}), "account holder for Cookstove Ltd"),
    DemoPerson("trainee-auditor", frozenset({Role.AUDITOR}), "auditor: reads the audit log"),
)
PARTNER_PEOPLE = (
    DemoPerson("partner-admin", frozenset({Role.REGISTRY_ADMIN, Role.AUTHORIZING_OFFICER}), "partner administrator"),
    DemoPerson("partner-approver", frozenset({Role.APPROVER}), "partner approver"),
)
ORGANIZATIONS = {
    "developer": "Cookstove Ltd (TRAINING)",
    "solar": "Solar Villages Cooperative (TRAINING)",
    "mangrove": "Mangrove Restoration Trust (TRAINING)",
}


@dataclass(frozen=True)
class TrainingSeed:
    """What a seeding made: the partner registry and each person's password, to be shown once."""

    registry: str
    partner: str
    passwords: dict[str, str]
    partner_passwords: dict[str, str]

    def people(self) -> list[dict[str, str]]:
        """Every person made, with the registry to sign in to and the password."""
        own = [{"registry": self.registry, "username": u, "password": p} for u, p in self.passwords.items()]
        theirs = [{"registry": self.partner, "username": u, "password": p} for u, p in self.partner_passwords.items()]
        return own + theirs


def seed_training_registry(platform: Platform, tenant: Tenant, partner: Tenant | None = None) -> TrainingSeed:
    """Seed an empty training registry; with no `partner`, a partner training registry is made for it."""
    if not tenant.is_training:
        raise NotTrainingRegistry(f"{tenant.code} is a production registry: only training registries are seeded")
    partner = ensure_partner(platform, tenant, partner)
    passwords = _seed_people(platform, tenant, PEOPLE)
    issuing = seed_ledger(
        platform, tenant, _organization(platform, tenant, "developer"), LABEL, (partner.party, partner.name)
    )
    if issuing is None:
        raise NotTrainingRegistry(f"{tenant.code} already has a ledger history: reset it instead of seeding it")
    bus = platform.ledger.bus(platform.ledger_tenant(tenant))
    _second_project(platform, tenant, bus, issuing)
    _authorized_for_partner(platform, tenant, partner, bus, issuing)
    return TrainingSeed(tenant.code, partner.code, passwords, _seed_partner(platform, tenant, partner))


def _seed_people(platform: Platform, tenant: Tenant, people: tuple[DemoPerson, ...]) -> dict[str, str]:
    identity = platform.identity
    uow = identity.uow(tenant.id)
    passwords = {}
    for person in people:
        with uow:
            exists = uow.users.by_username(person.username) is not None
        if exists:
            continue
        password = f"training-{secrets.token_urlsafe(12)}"
        represents = (
            _organization(platform, tenant, "developer") if Role.ACCOUNT_REPRESENTATIVE in person.roles else None
        )
        accounts.create_user(
            accounts.CreateUser(person.username, password, person.roles, represents), uow, identity.credentials
        )
        passwords[person.username] = password
    return passwords


def _organization(platform: Platform, tenant: Tenant, key: str) -> UUID:
    """The same id for the same registry on every seeding, so a reset finds the organizations it kept."""
    organization_id = uuid5(tenant.id, key)
    identity = platform.identity
    accounts.ensure_organization(organization_id, ORGANIZATIONS[key], identity.uow(tenant.id), identity.clock.now())
    return organization_id


def _second_project(platform: Platform, tenant: Tenant, bus: LedgerBus, issuing: UUID) -> None:
    """A solar project with its own issuance, and accounts of the other organizations."""
    actor, solar = new_id(), _organization(platform, tenant, "solar")
    mangrove = _organization(platform, tenant, "mangrove")
    project = record(
        bus,
        commands.RecordProject(
            actor_id=actor,
            name=f"Solar mini-grids for rural villages ({LABEL})",
            developer=ORGANIZATIONS["solar"],
            sector="Energy",
            project_type="Solar",
            methodology="AMS-I.L.",
            status=ProjectStatus.REGISTERED,
            country=tenant.party,
            cooperative_approach_id=APPROACH,
        ),
    )
    issuance = record(
        bus,
        commands.RecordIssuance(
            actor_id=actor,
            project_id=project,
            monitoring_start=date(2024, 1, 1),
            monitoring_end=date(2024, 12, 31),
            verifier=f"Verification Partners SA ({LABEL})",
            verified_on=date(2025, 4, 1),
            issued_on=date(2025, 4, 20),
            quantities=(VintageQuantity(2024, 150_000),),
        ),
    )
    approved(bus, new_id(), commands.IssueUnits(
        actor_id=actor, issuance_id=issuance, account_id=issuing, cooperative_approach_id=APPROACH, vintage=2024,
        quantity=150_000,
    ))  # fmt: skip
    holding = open_account(bus, actor, AccountType.ENTITY_HOLDING, ORGANIZATIONS["solar"], holder_id=solar)
    open_account(bus, actor, AccountType.ENTITY_HOLDING, ORGANIZATIONS["mangrove"], holder_id=mangrove)
    approved(bus, new_id(), commands.TransferUnits(
        actor_id=actor, source_account_id=issuing, destination_account_id=holding, quantity=40_000
    ))  # fmt: skip


def _authorized_for_partner(platform: Platform, tenant: Tenant, partner: Tenant, bus: LedgerBus, issuing: UUID) -> None:
    """The Party's holding with units authorized for the partner's NDC, and the partner's external account."""
    initiator, approver = new_id(), new_id()
    party = open_account(bus, initiator, AccountType.PARTY_HOLDING, f"Government of {tenant.party} ({LABEL})")
    open_account(
        bus,
        initiator,
        AccountType.EXTERNAL,
        partner.name,
        external_party=partner.party,
        external_registry_id=partner.registry_id,
    )
    approved(bus, approver, commands.TransferUnits(
        actor_id=initiator, source_account_id=issuing, destination_account_id=party, quantity=AUTHORIZED
    ))  # fmt: skip
    authorized = record(bus, authorization(initiator, tenant, partner, LABEL))
    approved(bus, approver, commands.AuthorizeUnits(
        actor_id=initiator, account_id=party, authorization_id=authorized, quantity=AUTHORIZED
    ))  # fmt: skip


def _seed_partner(platform: Platform, tenant: Tenant, partner: Tenant) -> dict[str, str]:
    """The partner's side of the approach (once per partner): accounts to acquire into, and its people."""
    passwords = _seed_people(platform, partner, PARTNER_PEOPLE)
    bus = platform.ledger.bus(platform.ledger_tenant(partner))
    uow = platform.ledger.uow(platform.ledger_tenant(partner))
    with uow:
        has_approach = uow.reference.approach(APPROACH) is not None
    if not has_approach:
        buyer_accounts(bus, new_id(), tenant, partner, LABEL)
    return passwords
