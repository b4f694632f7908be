"""A second factor enrolled at sign-in: a registry administrator without one, in a registry whose policy
requires second factors, is shown a new TOTP secret after the password and confirms it with a first code
before the sign-in goes on, instead of meeting `auth.mfa_required` at the first action that needs it.

Between the two steps the session remembers whose enrolment it is (signed cookie, ten minutes); the
secret itself stays encrypted in the database.
"""

from __future__ import annotations

import time
from typing import Any
from uuid import UUID

from flask import render_template, session

from gateway.auth.realm import identity, path_tenant, realm_uow
from services.identity.domain.errors import MfaError
from services.identity.domain.roles import Role
from services.identity.domain.users import Account, User
from services.identity.service_layer import accounts
from tenants.domain.model import TenantStatus

PENDING = "mfa_enrolment"
PENDING_SECONDS = 600


def is_required(account: Account, mfa_verified: bool) -> bool:
    tenant = path_tenant()
    return (
        tenant is not None
        and tenant.status == TenantStatus.ACTIVE  # a suspended registry takes sign-ins, not enrolments
        and isinstance(account, User)
        and not mfa_verified
        and not account.mfa_enabled
        and Role.REGISTRY_ADMIN in account.roles
        and bool(tenant.settings.get("mfa_required_for"))
    )


def start(account: Account, csrf_token: str, error: str | None = None) -> tuple[str, int]:
    """A new secret and the page that shows it with the form for the first code."""
    tenant = path_tenant()
    issuer = tenant.name if tenant else "Carbon Registry Platform"
    secret, uri = accounts.start_totp_enrolment(account.id, issuer, realm_uow(), identity().credentials)
    session[PENDING] = {"account": str(account.id), "tenant": str(tenant.id if tenant else ""), "at": time.time()}
    page = render_template("enrol_mfa.html", secret=secret, otpauth_uri=uri, csrf_token=csrf_token, error=error)
    return page, 400 if error else 200


def pending() -> Account | None:
    """The account whose enrolment this session started, while it is fresh and in this realm."""
    started: dict[str, Any] | None = session.get(PENDING)
    tenant = path_tenant()
    if not started or tenant is None or started.get("tenant") != str(tenant.id):
        return None
    if time.time() - float(started.get("at", 0)) > PENDING_SECONDS:
        return None
    with realm_uow() as uow:
        account: Account | None = uow.users.get(UUID(started["account"]))
    return account if account is not None and not account.disabled else None


def confirm(account: Account, code: str) -> bool:
    try:
        accounts.confirm_totp(account.id, code, realm_uow(), identity().credentials)
    except MfaError:
        return False
    finish()
    return True


def finish() -> None:
    session.pop(PENDING, None)
