"""Finding 2 of issue 19: with the default policy the demo administrator, who has no second factor, could not
register a machine client and was not told how to get there. Registering a client changes how a registry is
reached, so a second factor stays required; the refusal now names the enrolment calls of this registry, and
following them, the administrator registers the client."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from flask import Flask

from gateway.app import create_app
from gateway.bootstrap import platform_of
from gateway.demo import DEMO_TENANTS, seed_demo
from tests.conftest import settings_for, sqlite_urls
from tests.factories.auth import auth_header, realm_path, sign_in
from tests.factories.machines import new_key

PASSWORD = "demo-password-for-tests"
HOST = DEMO_TENANTS[0].command.code


@pytest.fixture
def demo_app(tmp_path: Path) -> Iterator[Flask]:
    app = create_app(settings_for(sqlite_urls(tmp_path)))
    seed_demo(platform_of(app), PASSWORD)
    yield app
    platform_of(app).close()


def test_the_demo_administrator_is_led_to_enrol_a_second_factor_then_registers_a_machine_client(
    demo_app: Flask,
) -> None:
    http, base = demo_app.test_client(), f"http://localhost{realm_path(HOST)}"
    token = sign_in(demo_app, HOST, "demo-admin", password=PASSWORD)["access_token"]
    client = {"name": "Exchange", "roles": ["auditor"], "jwk": new_key().as_dict(private=False)}

    refused = http.post(f"{base}/clients", json=client, headers=auth_header(token))

    assert (refused.status_code, refused.get_json()["code"]) == (403, "auth.mfa_required")
    detail = refused.get_json()["detail"]
    assert f"POST {base}/me/mfa" in detail
    assert f"POST {base}/me/mfa/confirm" in detail

    secret = http.post(f"{base}/me/mfa", headers=auth_header(token)).get_json()["secret"]
    first = pyotp.TOTP(secret).at(time.time() - 30)
    confirmed = http.post(f"{base}/me/mfa/confirm", json={"code": first}, headers=auth_header(token))
    assert confirmed.status_code == 204, confirmed.get_json()
    strong = sign_in(demo_app, HOST, "demo-admin", pyotp.TOTP(secret).now(), password=PASSWORD)["access_token"]

    registered = http.post(f"{base}/clients", json=client, headers=auth_header(strong))

    assert registered.status_code == 201, registered.get_json()
