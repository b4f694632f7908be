from datetime import UTC, datetime

import pytest
from uuid6 import uuid7

from tenants.domain.errors import InvalidTenant, TenantStateConflict
from tenants.domain.model import Tenant, TenantStatus, validate_identity
from tenants.settings_schema import validate_settings

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def a_tenant(status: TenantStatus = TenantStatus.PROVISIONING) -> Tenant:
    return Tenant(uuid7(), "ghana", "GHA", "GHA01", "Ghana", NOW, status=status)


def test_lifecycle_runs_provisioning_active_suspended_archived() -> None:
    tenant = a_tenant()
    for command, expected in [
        ("activate", "active"),
        ("suspend", "suspended"),
        ("resume", "active"),
        ("suspend", "suspended"),
        ("archive", "archived"),
    ]:
        tenant.move(command, NOW)
        assert tenant.status.value == expected


@pytest.mark.parametrize(
    ("status", "command"),
    [
        ("active", "resume"),
        ("active", "archive"),
        ("archived", "resume"),
        ("archived", "activate"),
        ("suspended", "suspend"),
        ("provisioning", "suspend"),
    ],
)
def test_lifecycle_refuses_moves_that_skip_a_state(status: str, command: str) -> None:
    tenant = a_tenant(TenantStatus(status))
    with pytest.raises(TenantStateConflict, match=command):
        tenant.move(command, NOW)
    assert tenant.status.value == status


def test_only_an_active_tenant_accepts_writes() -> None:
    assert a_tenant(TenantStatus.ACTIVE).accepts_writes
    assert not a_tenant(TenantStatus.SUSPENDED).accepts_writes
    assert a_tenant(TenantStatus.SUSPENDED).is_served
    assert not a_tenant(TenantStatus.ARCHIVED).is_served


@pytest.mark.parametrize(
    ("code", "party", "registry_id", "message"),
    [
        ("Ghana", "GHA", "GHA01", "not a URL slug"),
        ("ghana", "GH", "GHA01", "not an ISO 3166-1 alpha-3"),
        ("ghana", "gha", "GHA01", "not an ISO 3166-1 alpha-3"),
        ("ghana", "GHA", "GHA1", "plus two digits"),
        ("ghana", "GHA", "CHE01", "does not belong to party GHA"),
    ],
)
def test_identity_errors_say_what_to_fix(code: str, party: str, registry_id: str, message: str) -> None:
    with pytest.raises(InvalidTenant, match=message):
        validate_identity(code, party, registry_id)


def test_settings_merge_over_defaults() -> None:
    merged = validate_settings({"time_zone": "Africa/Accra"})
    assert merged["time_zone"] == "Africa/Accra"
    assert merged["ndc_implementation_period"] == {"first_year": 2021, "last_year": 2030}


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"languages": ["de"]}, "languages/0"),
        ({"unknown": 1}, "Additional properties"),
        ({"ndc_implementation_period": {"first_year": 2030, "last_year": 2021}}, "first_year must not be after"),
        ({"default_language": "es", "languages": ["en"]}, "default_language"),
        ({"approval_policy": {"four_eyes": ["teleport"]}}, "approval_policy/four_eyes/0"),
    ],
)
def test_invalid_settings_name_the_field(settings: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidTenant, match=message):
        validate_settings(settings)


def test_example_settings_files_are_valid() -> None:
    import json
    from pathlib import Path

    examples = sorted(Path("tenants/config/examples").glob("*.json"))
    assert examples
    for example in examples:
        validate_settings(json.loads(example.read_text()))
