"""Users and operators: creation, sign-in with lockout, and the TOTP second factor."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from services.identity.domain.errors import (
    AdministratorExists,
    DuplicateUser,
    InvalidCredentials,
    InvalidUser,
    MfaError,
    UserNotFound,
)
from services.identity.domain.model import Organization, OrganizationKind
from services.identity.domain.roles import Role
from services.identity.domain.users import (
    Account,
    LockoutPolicy,
    Operator,
    User,
    validate_password,
    validate_tenant_roles,
    validate_username,
)
from services.identity.service_layer.ports import IdentityUnitOfWork, PasswordHasher, SecretBox, Totp
from services.shared.clock import Clock
from services.shared.ids import new_id


@dataclass(frozen=True)
class CreateUser:
    username: str
    password: str
    roles: frozenset[Role]
    organization_id: UUID | None = None
    display_name: str = ""
    email: str | None = None


@dataclass(frozen=True)
class SignedIn:
    account: Account
    mfa_verified: bool


@dataclass(frozen=True)
class Credentials:
    """What the identity service needs to check a password and a one-time code."""

    hasher: PasswordHasher
    totp: Totp
    box: SecretBox
    clock: Clock
    policy: LockoutPolicy = field(default_factory=LockoutPolicy)


def create_user(command: CreateUser, uow: IdentityUnitOfWork, credentials: Credentials) -> User:
    username = validate_username(command.username)
    validate_password(command.password)
    validate_tenant_roles(command.roles, command.organization_id)
    with uow:
        if uow.users.by_username(username) is not None:
            raise DuplicateUser(f"user {username!r} exists already in this registry: choose another username")
        if command.organization_id is not None and uow.organizations.get(command.organization_id) is None:
            raise InvalidUser("organization_id names no organization of this registry: create the organization first")
        user = User(
            id=new_id(),
            username=username,
            password_hash=credentials.hasher.hash(command.password),
            created_at=credentials.clock.now(),
            roles=sorted(r.value for r in command.roles),
            organization_id=command.organization_id,
            display_name=command.display_name.strip() or username,
            email=command.email,
        )
        uow.users.add(user)
        uow.commit()
    return user


def bootstrap_admin(command: CreateUser, uow: IdentityUnitOfWork, credentials: Credentials) -> User:
    """The first registry administrator of a tenant; refused once the tenant has one."""
    with uow:
        if uow.users.anyone_with(Role.REGISTRY_ADMIN):
            raise AdministratorExists("this registry has an administrator already: ask them to create further users")
    return create_user(
        CreateUser(command.username, command.password, frozenset({Role.REGISTRY_ADMIN}), None, command.display_name),
        uow,
        credentials,
    )


def create_operator(username: str, password: str, uow: IdentityUnitOfWork, credentials: Credentials) -> Operator:
    name = validate_username(username)
    validate_password(password)
    with uow:
        if uow.operators.by_username(name) is not None:
            raise DuplicateUser(f"operator {name!r} exists already: choose another username")
        operator = Operator(
            id=new_id(),
            username=name,
            password_hash=credentials.hasher.hash(password),
            created_at=credentials.clock.now(),
        )
        uow.operators.add(operator)
        uow.commit()
    return operator


def ensure_organization(organization_id: UUID, name: str, uow: IdentityUnitOfWork, now: datetime) -> None:
    with uow:
        if uow.organizations.get(organization_id) is None:
            uow.organizations.add(Organization(organization_id, name, OrganizationKind.OTHER, "XXX", now))
            uow.commit()


def sign_in(
    username: str, password: str, one_time_code: str | None, uow: IdentityUnitOfWork, credentials: Credentials
) -> SignedIn:
    """Check the password and, for an enrolled account, the one-time code; count failures."""
    with uow:
        account = _find_account(uow, username)
        now = credentials.clock.now()
        if account is None or not account.can_sign_in(now):
            credentials.hasher.waste_time()  # the same cost as a real check, so timing reveals nothing
            raise InvalidCredentials()
        verified = _check(account, password, one_time_code, credentials, now, uow)
        if verified is None:
            account.record_failure(now, credentials.policy)
            uow.commit()
            raise InvalidCredentials()
        account.record_success()
        uow.commit()
        return SignedIn(account, verified)


def _find_account(uow: IdentityUnitOfWork, username: str) -> Account | None:
    name = username.strip().lower()
    if uow.tenant_id is None:
        return uow.operators.by_username(name)
    return uow.users.by_username(name)


def _check(
    account: Account, password: str, code: str | None, credentials: Credentials, now: datetime, uow: IdentityUnitOfWork
) -> bool | None:
    """None for a wrong factor, else whether a second factor was verified."""
    if not credentials.hasher.verify(account.password_hash, password):
        return None
    if not account.mfa_enabled:
        return False
    if not code or account.totp_secret is None:
        return None
    step = credentials.totp.accepted_step(_totp_secret(account.totp_secret, account, credentials), code, now)
    repository = uow.users if uow.tenant_id else uow.operators
    return True if step is not None and repository.claim_totp_step(account.id, step) else None


def _totp_secret(sealed: str, account: Account, credentials: Credentials) -> str:
    return credentials.box.decrypt(sealed.encode(), f"totp:{account.id}").decode()


def start_totp_enrolment(
    account_id: UUID, issuer: str, uow: IdentityUnitOfWork, credentials: Credentials
) -> tuple[str, str]:
    """A new TOTP secret for the account, not yet required at sign-in: (secret, otpauth URI)."""
    with uow:
        account = _account(uow, account_id)
        if account.mfa_enabled:
            raise MfaError("a second factor is enrolled already: ask an administrator to reset it")
        secret = credentials.totp.new_secret()
        account.totp_secret = credentials.box.encrypt(secret.encode(), f"totp:{account.id}").decode()
        uow.commit()
        return secret, credentials.totp.provisioning_uri(secret, account.username, issuer)


def confirm_totp(account_id: UUID, code: str, uow: IdentityUnitOfWork, credentials: Credentials) -> None:
    with uow:
        account = _account(uow, account_id)
        if account.totp_secret is None:
            raise MfaError("no enrolment in progress: start one with POST .../me/mfa first")
        secret = _totp_secret(account.totp_secret, account, credentials)
        step = credentials.totp.accepted_step(secret, code, credentials.clock.now())
        if step is None:
            raise MfaError("the one-time code is wrong: check the authenticator's clock and try the next code")
        account.mfa_enabled = True
        account.totp_last_step = step  # the confirming code is used up: signing in needs the next one
        uow.commit()


def _account(uow: IdentityUnitOfWork, account_id: UUID) -> Account:
    account: Account | None = uow.users.get(account_id) if uow.tenant_id else uow.operators.get(account_id)
    if account is None:
        raise UserNotFound("no such user in this registry: check the identifier")
    return account


def list_users(uow: IdentityUnitOfWork) -> list[User]:
    with uow:
        return uow.users.list()


def get_user(user_id: UUID, uow: IdentityUnitOfWork) -> User:
    with uow:
        found = uow.users.get(user_id)
    if found is None:
        raise UserNotFound("no such user in this registry: check the identifier")
    return found
