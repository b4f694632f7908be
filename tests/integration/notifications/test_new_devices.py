"""A sign-in from a device the person has not used tells them by e-mail; a known device does not."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from gateway.app import create_app
from gateway.auth.devices import COOKIE
from gateway.bootstrap import Platform, platform_of
from services.identity.adapters.orm import devices
from services.identity.domain.devices import KnownDevice, device_key
from services.identity.domain.roles import Role
from services.identity.domain.users import User
from services.shared.clock import FixedClock
from tenants.domain.model import Tenant
from tests.conftest import DatabaseUrls
from tests.factories.auth import realm_path
from tests.integration.identity.test_login import query
from tests.integration.notifications.conftest import START, Notifying, SmtpServer, notifying_settings

PASSWORD = "a long enough password"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"


@pytest.fixture
def app(database_urls: DatabaseUrls, smtp: SmtpServer) -> Iterator[Flask]:
    built = create_app(notifying_settings(database_urls, smtp.port))
    yield built
    platform_of(built).close()


@pytest.fixture
def notices(app: Flask) -> Notifying:
    platform: Platform = platform_of(app)
    return Notifying(platform, FixedClock(START))


def sign_in(browser: FlaskClient, tenant: Tenant, user: User) -> None:
    url = f"{realm_path(tenant.code)}/oauth/authorize"
    page = browser.get(url, query_string=query(tenant)).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    form = {"csrf_token": token, "username": user.username, "password": PASSWORD}
    answer = browser.post(url, query_string=query(tenant), data=form, headers={"User-Agent": FIREFOX})
    assert answer.status_code == 302, answer.get_data(as_text=True)


def known_devices(platform: Platform, tenant: Tenant, user: User) -> int:
    with platform.database.transaction(tenant.id) as session:
        return len(session.execute(select(devices).where(devices.c.user_id == user.id)).all())


def test_a_new_device_tells_the_person_and_a_known_one_does_not(
    app: Flask, notices: Notifying, smtp: SmtpServer
) -> None:
    tenant = notices.registry()
    person = notices.person(tenant, {Role.AUDITOR}, None, "auditor@registry.example.org")
    colleague = notices.person(tenant, {Role.AUDITOR}, None, "colleague@registry.example.org")
    laptop = app.test_client()

    sign_in(laptop, tenant, person)
    notices.deliver()
    [message] = smtp.mailbox.to("auditor@registry.example.org")
    assert message["Subject"] == f"A sign-in to {tenant.name} from a new device"
    assert f"Device: {FIREFOX}" in message.get_content()
    assert laptop.get_cookie(COOKIE) is not None
    smtp.mailbox.clear()

    sign_in(laptop, tenant, person)  # the same browser, its cookie kept
    notices.deliver()
    assert smtp.mailbox.messages == []

    sign_in(app.test_client(), tenant, person)  # another browser
    notices.deliver()
    assert smtp.mailbox.recipients() == ["auditor@registry.example.org"]  # the colleague hears nothing
    assert known_devices(notices.platform, tenant, person) == 2
    assert known_devices(notices.platform, tenant, colleague) == 0


def test_a_forged_device_cookie_is_a_new_device(app: Flask, notices: Notifying, smtp: SmtpServer) -> None:
    tenant = notices.registry()
    person = notices.person(tenant, {Role.AUDITOR}, None, "auditor@registry.example.org")
    browser = app.test_client()
    sign_in(browser, tenant, person)
    signed = browser.get_cookie(COOKIE)
    assert signed is not None
    browser.set_cookie(COOKIE, signed.value[:-2] + "xx")

    sign_in(browser, tenant, person)
    notices.deliver()
    assert len(smtp.mailbox.to("auditor@registry.example.org")) == 2


def test_a_device_remembered_by_a_concurrent_sign_in_is_not_added_again(notices: Notifying) -> None:
    tenant = notices.registry()
    person = notices.person(tenant, {Role.AUDITOR}, None, "auditor@registry.example.org")
    device = KnownDevice(user_id=person.id, key=device_key("d"), description="x", first_seen=START, last_seen=START)
    identity = notices.platform.identity
    with identity.uow(tenant.id) as uow:
        assert uow.devices.add(device)
        uow.commit()
    with identity.uow(tenant.id) as uow:
        assert not uow.devices.add(device)  # no error: the second sign-in goes on, and tells no one again
        uow.commit()
    assert known_devices(notices.platform, tenant, person) == 1
