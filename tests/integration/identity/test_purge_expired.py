"""Expired authorization codes, refresh tokens, revocations and spent proofs are purged: hourly by the relay,
and on demand with `registry users purge-expired`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from click.testing import CliRunner
from sqlalchemy import select
from uuid6 import uuid7

from gateway.bootstrap import Platform
from gateway.cli.events import build_relay
from gateway.cli.main import main
from services.identity.adapters import orm
from services.identity.domain.tokens import PURGE_GRACE, AuthorizationCode, RefreshToken
from services.identity.service_layer import grants
from services.shared.clock import FixedClock
from tests.conftest import TEST_SECRET, DatabaseUrls, new_tenant_command

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def expiries(now: datetime) -> dict[str, datetime]:
    return {
        "old": now - PURGE_GRACE - timedelta(seconds=1),  # expired, and past the grace period
        # expired, but within the grace period for a minute more: the command's test runs on the real clock
        "recent": now - PURGE_GRACE + timedelta(minutes=1),
        "valid": now + timedelta(hours=1),
    }


def issue(platform: Platform, tenant_id: UUID | None, user_id: UUID, name: str, expires_at: datetime) -> None:
    uow = platform.identity.uow(None)
    code = AuthorizationCode(
        code_hash=grants.digest(f"code-{name}"), tenant_id=tenant_id, client_id="registry-console", user_id=user_id,
        redirect_uri="http://localhost/cb", scope="registry", code_challenge="x", code_challenge_method="S256",
        mfa_verified=False, expires_at=expires_at,
    )  # fmt: skip
    refresh = RefreshToken(
        token_hash=grants.digest(f"refresh-{name}"), tenant_id=tenant_id, client_id="registry-console",
        user_id=user_id, scope="registry", mfa_verified=False, issued_at=expires_at - timedelta(hours=8),
        expires_at=expires_at,
    )  # fmt: skip
    grants.save_code(code, uow)
    grants.save_refresh(refresh, uow)
    grants.revoke_access(f"jti-{name}", expires_at, uow, tenant_id)
    assert spend(platform, tenant_id, name, expires_at)


def spend(platform: Platform, tenant_id: UUID | None, name: str, expires_at: datetime) -> bool:
    """A one-time proof (a client assertion's or DPoP proof's jti); False when it was spent before."""
    return grants.spend_proof("proof", "issuer", name, expires_at, platform.identity.uow(tenant_id))


def seeded(platform: Platform, now: datetime = NOW) -> tuple[FixedClock, str]:
    """Rows of each kind in a registry and in the operators' realm: long expired, just expired, still valid."""
    clock = FixedClock(now)
    object.__setattr__(platform.identity.credentials, "clock", clock)
    tenant = platform.catalogue.create(new_tenant_command())
    tag = uuid7().hex  # the PostgreSQL database is shared by the tests of a run
    for tenant_id, realm in ((tenant.id, "registry"), (None, "platform")):
        for name, expires_at in expiries(now).items():
            issue(platform, tenant_id, uuid7(), f"{tag}-{realm}-{name}", expires_at)
    return clock, tag


def surviving(platform: Platform, tag: str) -> dict[str, set[str]]:
    """Which of the seeded rows are still there, by table."""
    ages = ("old", "recent", "valid")
    names = {f"{tag}-{realm}-{age}": f"{realm}-{age}" for realm in ("registry", "platform") for age in ages}
    keys = {
        "authorization_codes": (
            orm.authorization_codes.c.code_hash,
            {grants.digest(f"code-{n}"): v for n, v in names.items()},
        ),
        "refresh_tokens": (
            orm.refresh_tokens.c.token_hash,
            {grants.digest(f"refresh-{n}"): v for n, v in names.items()},
        ),
        "revoked_tokens": (orm.revoked_tokens.c.jti, {f"jti-{n}": v for n, v in names.items()}),
        "spent_proofs": (
            orm.spent_proofs.c.proof_hash,
            {grants.digest(f"proof\nissuer\n{n}"): v for n, v in names.items()},
        ),
    }
    found = {}
    with platform.database.transaction(None) as session:
        for table, (column, seeded_keys) in keys.items():
            query = select(column).where(column.in_(seeded_keys))
            found[table] = {seeded_keys[key] for key in session.scalars(query)}
    return found


def kept(*ages: str) -> dict[str, set[str]]:
    names = {f"{realm}-{age}" for realm in ("registry", "platform") for age in ages}
    return {"authorization_codes": names, "refresh_tokens": names, "revoked_tokens": names, "spent_proofs": names}


def test_the_purge_keeps_what_may_still_be_used(platform: Platform) -> None:
    clock, tag = seeded(platform)
    purged = grants.purge_expired(platform.identity.uow(None), clock)
    assert min(purged.authorization_codes, purged.refresh_tokens, purged.revoked_tokens, purged.spent_proofs) >= 2
    assert surviving(platform, tag) == kept("recent", "valid")
    clock.advance(PURGE_GRACE)
    grants.purge_expired(platform.identity.uow(None), clock)
    assert surviving(platform, tag) == kept("valid")
    assert grants.is_revoked(f"jti-{tag}-registry-valid", platform.identity.uow(None))
    assert not spend(platform, None, f"{tag}-platform-valid", NOW + timedelta(hours=1)), "still a replay"


def test_the_relay_purges_them_with_the_outbox(platform: Platform) -> None:
    _clock, tag = seeded(platform)
    build_relay(platform).purge()
    assert surviving(platform, tag) == kept("recent", "valid")


def test_the_command_purges_them(platform: Platform, database_urls: DatabaseUrls) -> None:
    _clock, tag = seeded(platform, datetime.now(UTC))  # the command runs on the real clock
    env = {"DATABASE_URL": database_urls.app, "DATABASE_OWNER_URL": database_urls.owner, "SECRET_KEY": TEST_SECRET}
    result = CliRunner().invoke(main, ["users", "purge-expired"], env=env)
    assert result.exit_code == 0, result.output
    assert "authorization codes" in result.output
    assert surviving(platform, tag) == kept("recent", "valid")
