"""Users, sign-in, lockout and the second factor, through the service layer with fakes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from services.identity.domain.errors import (
    AdministratorExists,
    DuplicateUser,
    InvalidCredentials,
    InvalidUser,
    MfaError,
)
from services.identity.domain.roles import Role
from services.identity.domain.users import LockoutPolicy
from services.identity.service_layer import accounts
from services.identity.service_layer.accounts import CreateUser, Credentials
from services.shared.clock import FixedClock
from tests.unit.identity.fakes import FakeBox, FakeHasher, FakeTotp, FakeUnitOfWork

PASSWORD = "a long enough password"
START = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def credentials(clock: FixedClock) -> Credentials:
    policy = LockoutPolicy(max_failures=3, lock_for=timedelta(minutes=10))
    return Credentials(FakeHasher(), FakeTotp(), FakeBox(), clock, policy)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(tenant_id=uuid4())


def make_user(uow: FakeUnitOfWork, credentials: Credentials, name: str = "ama", **extra: object) -> object:
    return accounts.create_user(CreateUser(name, PASSWORD, frozenset({Role.APPROVER}), **extra), uow, credentials)  # type: ignore[arg-type]


def test_a_user_is_stored_with_a_hash_never_the_password(uow: FakeUnitOfWork, credentials: Credentials) -> None:
    make_user(uow, credentials, "Ama.Owusu")
    stored = uow.users.by_username("ama.owusu")
    assert stored is not None
    assert stored.password_hash != PASSWORD
    assert stored.roles == ["approver"]


@pytest.mark.parametrize(
    ("username", "password", "roles", "message"),
    [
        ("x", PASSWORD, {Role.APPROVER}, "username"),
        ("kofi", "short", {Role.APPROVER}, "too short"),
        ("kofi", PASSWORD, set(), "at least one role"),
        ("kofi", PASSWORD, {Role.PLATFORM_OPERATOR}, "platform operator"),
        ("kofi", PASSWORD, {Role.ACCOUNT_REPRESENTATIVE}, "organization"),
    ],
)
def test_invalid_users_are_refused_with_what_to_do(
    uow: FakeUnitOfWork, credentials: Credentials, username: str, password: str, roles: set[Role], message: str
) -> None:
    with pytest.raises(InvalidUser, match=message):
        accounts.create_user(CreateUser(username, password, frozenset(roles)), uow, credentials)
    assert uow.users.list() == []


def test_a_username_is_taken_once_per_registry(uow: FakeUnitOfWork, credentials: Credentials) -> None:
    make_user(uow, credentials)
    with pytest.raises(DuplicateUser):
        make_user(uow, credentials)


def test_an_account_representative_needs_an_existing_organization(
    uow: FakeUnitOfWork, credentials: Credentials
) -> None:
    command = CreateUser("rep", PASSWORD, frozenset({Role.ACCOUNT_REPRESENTATIVE}), organization_id=uuid4())
    with pytest.raises(InvalidUser, match="create the organization first"):
        accounts.create_user(command, uow, credentials)


def test_the_first_administrator_only_once(uow: FakeUnitOfWork, credentials: Credentials) -> None:
    admin = accounts.bootstrap_admin(CreateUser("admin", PASSWORD, frozenset()), uow, credentials)
    assert admin.roles == ["registry_admin"]
    with pytest.raises(AdministratorExists):
        accounts.bootstrap_admin(CreateUser("admin2", PASSWORD, frozenset()), uow, credentials)


def test_sign_in_with_the_right_password(uow: FakeUnitOfWork, credentials: Credentials) -> None:
    make_user(uow, credentials)
    signed_in = accounts.sign_in("ama", PASSWORD, None, uow, credentials)
    assert signed_in.account.username == "ama"
    assert signed_in.mfa_verified is False


@pytest.mark.parametrize(("username", "password"), [("ama", "wrong password!"), ("nobody", PASSWORD)])
def test_bad_credentials_say_only_that_they_are_wrong(
    uow: FakeUnitOfWork, credentials: Credentials, username: str, password: str
) -> None:
    make_user(uow, credentials)
    with pytest.raises(InvalidCredentials) as raised:
        accounts.sign_in(username, password, None, uow, credentials)
    assert str(raised.value) == "the username, password or one-time code is wrong"


def test_repeated_failures_lock_the_account_even_against_the_right_password(
    uow: FakeUnitOfWork, credentials: Credentials, clock: FixedClock
) -> None:
    make_user(uow, credentials)
    for _ in range(3):
        with pytest.raises(InvalidCredentials):
            accounts.sign_in("ama", "wrong password!", None, uow, credentials)
    with pytest.raises(InvalidCredentials):
        accounts.sign_in("ama", PASSWORD, None, uow, credentials)
    clock.advance(timedelta(minutes=11))
    assert accounts.sign_in("ama", PASSWORD, None, uow, credentials).account.username == "ama"


def test_a_success_resets_the_failure_count(uow: FakeUnitOfWork, credentials: Credentials) -> None:
    make_user(uow, credentials)
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            accounts.sign_in("ama", "wrong password!", None, uow, credentials)
    accounts.sign_in("ama", PASSWORD, None, uow, credentials)
    with pytest.raises(InvalidCredentials):
        accounts.sign_in("ama", "wrong password!", None, uow, credentials)
    assert accounts.sign_in("ama", PASSWORD, None, uow, credentials).account.failed_logins == 0


def test_an_enrolled_second_factor_is_required_and_verified(
    uow: FakeUnitOfWork, credentials: Credentials, clock: FixedClock
) -> None:
    user = make_user(uow, credentials)
    secret, uri = accounts.start_totp_enrolment(user.id, "Registry", uow, credentials)  # type: ignore[attr-defined]
    assert uri.startswith("otpauth://")
    with pytest.raises(MfaError):
        accounts.confirm_totp(user.id, "000000", uow, credentials)  # type: ignore[attr-defined]
    accounts.confirm_totp(user.id, f"{secret}-ok", uow, credentials)  # type: ignore[attr-defined]
    with pytest.raises(InvalidCredentials):
        accounts.sign_in("ama", PASSWORD, None, uow, credentials)
    with pytest.raises(InvalidCredentials):  # the step whose code confirmed the enrolment is used up
        accounts.sign_in("ama", PASSWORD, f"{secret}-ok", uow, credentials)
    clock.advance(timedelta(seconds=30))
    assert accounts.sign_in("ama", PASSWORD, f"{secret}-ok", uow, credentials).mfa_verified is True


def test_the_totp_secret_is_stored_encrypted(uow: FakeUnitOfWork, credentials: Credentials) -> None:
    user = make_user(uow, credentials)
    secret, _ = accounts.start_totp_enrolment(user.id, "Registry", uow, credentials)  # type: ignore[attr-defined]
    assert uow.users.get(user.id).totp_secret != secret  # type: ignore[attr-defined, union-attr]


def test_operators_sign_in_outside_any_registry(credentials: Credentials) -> None:
    platform = FakeUnitOfWork(tenant_id=None)
    accounts.create_operator("ops", PASSWORD, platform, credentials)
    assert accounts.sign_in("ops", PASSWORD, None, platform, credentials).account.username == "ops"
