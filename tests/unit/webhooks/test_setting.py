"""http:// webhooks to this machine are a development setting: production refuses to start with it."""

from __future__ import annotations

import pytest

from gateway.settings import Settings, SettingsError

PRODUCTION = {
    "REGISTRY_ENV": "production",
    "SECRET_KEY": "s" * 40,
    "DATABASE_URL": "postgresql+psycopg://registry@db/registry",
}


def test_loopback_webhooks_are_off_unless_asked_for() -> None:
    assert not Settings.from_env({}).webhooks_allow_loopback
    assert Settings.from_env({"WEBHOOKS_ALLOW_LOOPBACK": "true"}).webhooks_allow_loopback


def test_production_refuses_loopback_webhooks() -> None:
    assert not Settings.from_env(PRODUCTION).webhooks_allow_loopback
    with pytest.raises(SettingsError, match="WEBHOOKS_ALLOW_LOOPBACK"):
        Settings.from_env(PRODUCTION | {"WEBHOOKS_ALLOW_LOOPBACK": "1"})
