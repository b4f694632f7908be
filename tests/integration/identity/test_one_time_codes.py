"""A one-time code signs in once: a second use within its 30-second step, or an older code, is refused."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from gateway.bootstrap import Platform
from services.identity.adapters.totp import PyOtpTotp
from services.identity.domain.errors import InvalidCredentials
from services.identity.domain.roles import Role
from services.identity.service_layer import accounts
from services.shared.clock import FixedClock
from tenants.domain.model import Tenant
from tests.conftest import new_tenant_command
from tests.factories.auth import PASSWORD

STEP = timedelta(seconds=30)
START = datetime(2026, 12, 7, 12, 0, 10, tzinfo=UTC)  # ten seconds into a step


def enrolled(platform: Platform, tenant: Tenant, clock: FixedClock) -> tuple[str, str]:
    """(username, TOTP secret) of a new user whose second factor was confirmed one step before START."""
    identity = platform.identity
    object.__setattr__(identity.credentials, "clock", clock)
    uow = identity.uow(tenant.id)
    command = accounts.CreateUser(f"otp-{tenant.code}", PASSWORD, frozenset({Role.AUDITOR}))
    user = accounts.create_user(command, uow, identity.credentials)
    secret, _uri = accounts.start_totp_enrolment(user.id, "tests", uow, identity.credentials)
    clock.set(START - STEP)
    accounts.confirm_totp(user.id, PyOtpTotp.code_at(secret, clock.now()), uow, identity.credentials)
    clock.set(START)
    return user.username, secret


def attempt(platform: Platform, tenant: Tenant, username: str, code: str) -> bool:
    identity = platform.identity
    try:
        signed_in = accounts.sign_in(username, PASSWORD, code, identity.uow(tenant.id), identity.credentials)
    except InvalidCredentials:
        return False
    return signed_in.mfa_verified


@pytest.fixture
def tenant(platform: Platform) -> Tenant:
    return platform.catalogue.create(new_tenant_command())


def test_a_code_signs_in_once(platform: Platform, tenant: Tenant) -> None:
    clock = FixedClock(START)
    username, secret = enrolled(platform, tenant, clock)
    code = PyOtpTotp.code_at(secret, START)
    assert attempt(platform, tenant, username, code)
    clock.advance(timedelta(seconds=5))
    assert not attempt(platform, tenant, username, code)  # the same code, the same step
    clock.advance(STEP)
    assert not attempt(platform, tenant, username, code)  # still within the drift window, but used
    assert attempt(platform, tenant, username, PyOtpTotp.code_at(secret, clock.now()))


def test_an_older_code_is_refused_after_a_newer_one(platform: Platform, tenant: Tenant) -> None:
    clock = FixedClock(START)
    username, secret = enrolled(platform, tenant, clock)
    clock.advance(STEP)
    assert attempt(platform, tenant, username, PyOtpTotp.code_at(secret, clock.now()))
    assert not attempt(platform, tenant, username, PyOtpTotp.code_at(secret, clock.now() - STEP))


def test_the_code_that_confirmed_enrolment_cannot_sign_in(platform: Platform, tenant: Tenant) -> None:
    clock = FixedClock(START)
    username, secret = enrolled(platform, tenant, clock)
    assert not attempt(platform, tenant, username, PyOtpTotp.code_at(secret, START - STEP))


class RacingTotp(PyOtpTotp):
    """Holds every check until both sign-ins have read the account, so they claim the step together."""

    def __init__(self) -> None:
        self.barrier = threading.Barrier(2, timeout=20)

    def accepted_step(self, secret: str, code: str, now: datetime) -> int | None:
        self.barrier.wait()
        return super().accepted_step(secret, code, now)


@pytest.mark.postgres
def test_two_simultaneous_sign_ins_with_one_code_let_one_in(postgres_platform: Platform) -> None:
    tenant = postgres_platform.catalogue.create(new_tenant_command())
    clock = FixedClock(START)
    username, secret = enrolled(postgres_platform, tenant, clock)
    object.__setattr__(postgres_platform.identity.credentials, "totp", RacingTotp())
    code = PyOtpTotp.code_at(secret, START)
    results: list[bool] = []

    def sign_in() -> None:
        results.append(attempt(postgres_platform, tenant, username, code))

    threads = [threading.Thread(target=sign_in) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [False, True]
