"""`registry tenants ...` as an operator uses it, including every refused input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gateway.cli.main import main
from gateway.platform import Platform
from tests.conftest import TEST_SECRET, DatabaseUrls, settings_for, sqlite_urls


@pytest.fixture
def urls(tmp_path: Path) -> DatabaseUrls:
    return sqlite_urls(tmp_path)


def registry(urls: DatabaseUrls, *args: str) -> Result:
    env = {"DATABASE_URL": urls.app, "DATABASE_OWNER_URL": urls.owner, "SECRET_KEY": TEST_SECRET}
    return CliRunner().invoke(main, list(args), env=env)


def create(
    urls: DatabaseUrls, *extra: str, code: str = "ghana", party: str = "GHA", registry_id: str = "GHA01"
) -> Result:
    return registry(
        urls,
        "tenants",
        "create",
        "--code",
        code,
        "--party",
        party,
        "--registry-id",
        registry_id,
        "--name",
        "Ghana registry",
        *extra,
    )


def tenant_count(urls: DatabaseUrls) -> int:
    platform = Platform.from_settings(settings_for(urls))
    try:
        return len(platform.catalogue.list())
    finally:
        platform.close()


def test_create_list_show_and_the_whole_lifecycle(urls: DatabaseUrls) -> None:
    assert create(urls).exit_code == 0
    listed = registry(urls, "tenants", "list")
    assert "ghana" in listed.output
    assert "active" in listed.output
    shown = json.loads(registry(urls, "tenants", "show", "ghana").output)
    assert shown["registry_id"] == "GHA01"
    assert shown["settings"]["ndc_implementation_period"] == {"first_year": 2021, "last_year": 2030}
    for command, status in [
        ("suspend", "suspended"),
        ("resume", "active"),
        ("suspend", "suspended"),
        ("archive", "archived"),
    ]:
        result = registry(urls, "tenants", command, "ghana")
        assert result.exit_code == 0, result.output
        assert f"now {status}" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"party": "GH"}, "not an ISO 3166-1 alpha-3 code"),
        ({"party": "GHA", "registry_id": "CHE01"}, "does not belong to party GHA"),
        ({"code": "Not A Slug"}, "not a URL slug"),
    ],
)
def test_malformed_identity_is_refused_with_one_line_and_status_2(
    urls: DatabaseUrls, args: dict[str, str], message: str
) -> None:
    result = create(urls, **args)
    assert result.exit_code == 2
    assert message in result.output
    assert result.output.count("\n") == 1
    assert tenant_count(urls) == 0


def test_duplicate_code_or_registry_id_is_refused(urls: DatabaseUrls) -> None:
    assert create(urls).exit_code == 0
    same_code = create(urls, code="ghana", registry_id="GHA02")
    same_registry = create(urls, code="ghana-two", registry_id="GHA01")
    assert (same_code.exit_code, same_registry.exit_code) == (2, 2)
    assert "code 'ghana' exists already" in same_code.output
    assert "registry id 'GHA01' is taken by tenant 'ghana'" in same_registry.output
    assert tenant_count(urls) == 1


def test_invalid_settings_file_is_refused(urls: DatabaseUrls, tmp_path: Path) -> None:
    bad = tmp_path / "settings.json"
    bad.write_text(json.dumps({"time_zone": "Nowhere/Atlantis"}))
    result = create(urls, "--settings", str(bad))
    assert result.exit_code == 2
    assert "settings field time_zone" in result.output
    assert tenant_count(urls) == 0


def test_lifecycle_refuses_to_skip_states(urls: DatabaseUrls) -> None:
    create(urls)
    result = registry(urls, "tenants", "archive", "ghana")
    assert result.exit_code == 2
    assert "archive needs it to be provisioning, suspended" in result.output
    assert "ghana" in registry(urls, "tenants", "list").output


def test_unknown_tenant_says_how_to_find_one(urls: DatabaseUrls) -> None:
    result = registry(urls, "tenants", "show", "atlantis")
    assert result.exit_code == 2
    assert "registry tenants list" in result.output


def test_the_operator_freezes_and_reopens_transfers_abroad(urls: DatabaseUrls) -> None:
    assert create(urls).exit_code == 0

    frozen = registry(urls, "tenants", "freeze-abroad", "ghana", "--reason", "incident 42")
    assert frozen.exit_code == 0, frozen.output
    shown = json.loads(registry(urls, "tenants", "show", "ghana").output)
    assert shown["settings"]["transfers_abroad_frozen"]["reason"] == "incident 42"
    assert registry(urls, "tenants", "freeze-abroad", "ghana", "--reason", " ").exit_code != 0
    assert registry(urls, "tenants", "unfreeze-abroad", "ghana").exit_code == 0
    shown = json.loads(registry(urls, "tenants", "show", "ghana").output)
    assert "transfers_abroad_frozen" not in shown["settings"]
