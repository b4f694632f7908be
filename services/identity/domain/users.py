"""People who sign in: registry users (one tenant each) and platform operators (no tenant).

Both keep the same guard against guessing: after `max_failures` wrong attempts in a row the account is
locked for `lock_for`; while locked even the right password is refused, with the same message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from services.identity.domain.errors import InvalidUser
from services.identity.domain.roles import TENANT_ROLES, Role

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,99}$")
MIN_PASSWORD_LENGTH = 12


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int = 5
    lock_for: timedelta = timedelta(minutes=15)


@dataclass(kw_only=True)
class Account:
    id: UUID
    username: str
    password_hash: str
    created_at: datetime
    failed_logins: int = 0
    locked_until: datetime | None = None
    totp_secret: str | None = None
    mfa_enabled: bool = False
    totp_last_step: int | None = None  # the newest time step of an accepted one-time code: each works once
    disabled: bool = False

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def can_sign_in(self, now: datetime) -> bool:
        return not self.disabled and not self.is_locked(now)

    def record_failure(self, now: datetime, policy: LockoutPolicy) -> None:
        self.failed_logins += 1
        if self.failed_logins >= policy.max_failures:
            self.locked_until = now + policy.lock_for
            self.failed_logins = 0

    def record_success(self) -> None:
        self.failed_logins = 0
        self.locked_until = None

    def enable(self) -> None:
        """Let the person sign in again, with a clean slate of failed attempts."""
        self.disabled = False
        self.record_success()

    def reset_second_factor(self) -> None:
        """Forget the enrolled TOTP secret: the person signs in with the password and may enrol again."""
        self.totp_secret = None
        self.mfa_enabled = False

    def get_user_id(self) -> str:
        return str(self.id)


@dataclass(kw_only=True)
class User(Account):
    """A person working in one registry, with the roles that registry gave them."""

    roles: list[str] = field(default_factory=list)
    organization_id: UUID | None = None
    display_name: str = ""
    email: str | None = None

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(r) for r in self.roles)


@dataclass(kw_only=True)
class Operator(Account):
    """A platform operator: manages tenants, never holds a tenant role."""


def validate_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME_PATTERN.fullmatch(name):
        raise InvalidUser(
            f"username {username!r} is not valid: use 2-100 lower-case letters, digits or '.', '_', '@', '-'"
        )
    return name


def validate_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidUser(f"the password is too short: use at least {MIN_PASSWORD_LENGTH} characters")


def validate_tenant_roles(roles: frozenset[Role], organization_id: UUID | None) -> None:
    if not roles:
        raise InvalidUser("a user needs at least one role: give one of " + ", ".join(sorted(TENANT_ROLES)))
    if not roles <= TENANT_ROLES:
        raise InvalidUser("the platform operator role cannot be given inside a registry")
    if Role.ACCOUNT_REPRESENTATIVE in roles and organization_id is None:
        raise InvalidUser("an account representative acts for an organization: give its organization_id")
