"""Pure domain rules: federation mapping, key publication, roles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from services.identity.domain.errors import InvalidIdentityProvider
from services.identity.domain.federation import IdentityProvider, validate_provider
from services.identity.domain.roles import Role, parse_roles
from services.identity.domain.tokens import SigningKey

NOW = datetime(2026, 11, 25, tzinfo=UTC)


def provider(**changes: object) -> IdentityProvider:
    values: dict[str, object] = {
        "id": uuid4(),
        "issuer": "https://login.example.gov",
        "audience": "registry",
        "jwks_url": "https://login.example.gov/jwks",
        "created_at": NOW,
        "role_claim": "groups",
        "role_mapping": {"registry-admins": "registry_admin", "auditors": "auditor"},
    }
    values.update(changes)
    return IdentityProvider(**values)  # type: ignore[arg-type]


def test_claims_map_to_roles_and_unknown_groups_give_nothing() -> None:
    mapped = provider().roles_from({"groups": ["auditors", "staff", "registry-admins"]})
    assert mapped == {Role.AUDITOR, Role.REGISTRY_ADMIN}
    assert provider().roles_from({"groups": "staff"}) == frozenset()
    assert provider().roles_from({}) == frozenset()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"jwks_url": "http://login.example.gov/jwks"}, "https"),
        ({"issuer": "ftp://x"}, "https"),
        ({"audience": " "}, "audience"),
        ({"role_mapping": {"ops": "platform_operator"}}, "not registry roles"),
        ({"algorithms": ["HS256"]}, "algorithms"),
    ],
)
def test_a_provider_must_be_pinned_safely(changes: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidIdentityProvider, match=message):
        validate_provider(provider(**changes))


def test_a_loopback_test_issuer_may_use_http() -> None:
    validate_provider(provider(issuer="http://127.0.0.1:8080", jwks_url="http://127.0.0.1:8080/jwks"))


def test_a_retired_key_stays_published_until_its_tokens_expire() -> None:
    key = SigningKey(kid="k", algorithm="ES256", public_jwk={}, private_jwk_encrypted=b"", created_at=NOW)
    assert key.is_published(NOW, 300)
    key.retired_at = NOW
    assert key.is_published(NOW + timedelta(seconds=300), 300)
    assert not key.is_published(NOW + timedelta(seconds=361), 300)


def test_unknown_role_values_are_dropped() -> None:
    assert parse_roles(["auditor", "superuser", 3]) == {Role.AUDITOR}
    assert parse_roles("auditor") == frozenset()
