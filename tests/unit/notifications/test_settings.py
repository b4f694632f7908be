"""SMTP settings come from the environment; a password has no default and a server needs a sender."""

from __future__ import annotations

import pytest

from gateway.settings import Settings, SettingsError

SERVER = {"SMTP_HOST": "smtp.example.org", "SMTP_SENDER": "registry@example.org"}


def test_without_a_host_no_mail_is_sent_and_nothing_else_is_needed() -> None:
    smtp = Settings.from_env({}).smtp
    assert not smtp.enabled
    assert (smtp.port, smtp.starttls, smtp.username, smtp.password) == (587, True, "", "")


def test_every_setting_is_read() -> None:
    env = {**SERVER, "SMTP_PORT": "2525", "SMTP_STARTTLS": "false", "SMTP_USERNAME": "u", "SMTP_PASSWORD": "s3cret-pw"}
    smtp = Settings.from_env(env).smtp
    assert (smtp.host, smtp.port, smtp.starttls, smtp.username, smtp.password, smtp.sender) == (
        "smtp.example.org", 2525, False, "u", "s3cret-pw", "registry@example.org"
    )  # fmt: skip
    assert "s3cret-pw" not in repr(smtp)  # never printed with the settings


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SMTP_HOST": "smtp.example.org"}, "SMTP_SENDER"),
        ({**SERVER, "SMTP_USERNAME": "registry"}, "SMTP_PASSWORD"),
        ({**SERVER, "SMTP_STARTTLS": "maybe"}, "SMTP_STARTTLS"),
        ({**SERVER, "SMTP_PORT": "smtp"}, "SMTP_PORT"),
    ],
)
def test_an_incomplete_or_malformed_setting_is_refused_by_name(env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        Settings.from_env(env)


def test_links_point_at_the_public_url() -> None:
    assert Settings.from_env({"REGISTRY_PUBLIC_URL": "https://r.example.org"}).public_url == "https://r.example.org"
