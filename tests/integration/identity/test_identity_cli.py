"""`registry users create-admin`, `registry users create-operator` and `registry keys rotate`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from gateway.app import create_app
from gateway.bootstrap import Platform, platform_of
from gateway.cli.main import main
from tests.conftest import TEST_SECRET, DatabaseUrls, new_tenant_command, settings_for
from tests.factories.auth import sign_in

PASSWORD = "a long enough password"


@pytest.fixture
def env(database_urls: DatabaseUrls) -> dict[str, str]:
    return {"DATABASE_URL": database_urls.app, "DATABASE_OWNER_URL": database_urls.owner, "SECRET_KEY": TEST_SECRET}


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.output


def test_create_admin_then_sign_in(env: dict[str, str], platform: Platform, database_urls: DatabaseUrls) -> None:
    tenant = platform.catalogue.create(new_tenant_command())
    code, output = run(
        env, "users", "create-admin", "--tenant", tenant.code, "--username", "boss", "--password", PASSWORD
    )
    assert code == 0, output
    app = create_app(settings_for(database_urls))
    try:
        assert sign_in(app, tenant.code, "boss", password=PASSWORD)["access_token"]
    finally:
        platform_of(app).close()
    again, message = run(
        env, "users", "create-admin", "--tenant", tenant.code, "--username", "b2", "--password", PASSWORD
    )
    assert again == 2
    assert "has an administrator already" in message


def test_bad_input_exits_2_with_one_line(env: dict[str, str], platform: Platform) -> None:
    tenant = platform.catalogue.create(new_tenant_command())
    code, output = run(env, "users", "create-admin", "--tenant", tenant.code, "--username", "x", "--password", "short")
    assert code == 2
    assert output.count("error:") == 1


def test_create_operator_and_rotate_keys(env: dict[str, str], platform: Platform) -> None:
    assert run(env, "users", "create-operator", "--username", "ops", "--password", PASSWORD)[0] == 0
    first = run(env, "keys", "rotate")
    second = run(env, "keys", "rotate")
    assert first[0] == second[0] == 0
    kids = [output.split()[3] for _code, output in (first, second)]
    published = {k["kid"] for k in platform.identity.keys.published(platform.identity.uow(None))}
    assert set(kids) <= published
