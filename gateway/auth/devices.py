"""The device cookie: a random identifier per browser, signed with SECRET_KEY, kept for 400 days.

At each password sign-in to a registry the person's device is looked up by the cookie's identifier; a
device they have not used before is remembered and they are told by e-mail (docs/identity.md, New devices).
A missing, forged or unreadable cookie is a new device, which gets a new identifier.
"""

from __future__ import annotations

import secrets

from flask import Response, current_app, make_response, request
from itsdangerous import BadSignature, URLSafeSerializer

from gateway.auth.realm import identity, path_tenant
from services.identity.domain.users import Account
from services.identity.service_layer.devices import recognise_device

COOKIE = "registry_device"
MAX_AGE_S = 400 * 24 * 3600  # the longest browsers keep a cookie
SALT = "registry-device"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def current_device() -> str:
    """The identifier of this browser's device cookie, or a new one if it has none that verifies."""
    sent = request.cookies.get(COOKIE, "")
    try:
        found = _serializer().loads(sent) if sent else None
    except BadSignature:
        found = None
    return found if isinstance(found, str) and found else secrets.token_urlsafe(32)


def note_sign_in(account: Account) -> str | None:
    """Record a registry user's sign-in from this device; the identifier to keep in the cookie, or None for
    a platform operator (they have no registry to be told by)."""
    tenant = path_tenant()
    if tenant is None:
        return None
    device = current_device()
    ring = identity()
    recognise_device(ring.uow(tenant.id), account.id, device, request.user_agent.string, tenant.code, ring.clock.now())
    return device


def with_device_cookie(answer: Response | tuple[str, int], device: str | None) -> Response:
    response: Response = make_response(answer)
    if device is not None:
        response.set_cookie(
            COOKIE,
            _serializer().dumps(device),
            max_age=MAX_AGE_S,
            path="/",
            secure=request.is_secure,
            httponly=True,
            samesite="Lax",
        )
    return response
