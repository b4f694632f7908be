"""Browser sessions for the web pages: the gateway signs people in through its own authorization server
(authorization code + PKCE, the console client) and keeps their tokens in the signed, HttpOnly session
cookie. The code is exchanged in-process through the real token endpoint (same checks, audit and limits).

A session belongs to one realm (a registry, or the platform). Pages of another realm see no session
and send the person to that realm's sign-in page; an expired access token is refreshed once with the
refresh token, and when that fails too the person signs in again and comes back to the page.
"""

from __future__ import annotations

import hmac
import secrets
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from flask import current_app, g, redirect, request, session
from werkzeug.test import Client
from werkzeug.wrappers import Response

from gateway.auth.clients import CONSOLE_CLIENT_ID
from gateway.auth.errors import forbidden
from gateway.auth.realm import issuer_for, path_tenant, public_base
from gateway.auth.tokens import peek
from gateway.errors import Problem

AUTH_KEY = "web_auth"
LOGIN_KEY = "web_login"
CSRF_KEY = "csrf"
EXPIRY_MARGIN_SECONDS = 30


def realm_key() -> str:
    tenant = path_tenant()
    return f"registry:{tenant.code}" if tenant else "platform"


def pages_root() -> str:
    tenant = path_tenant()
    return f"/registries/{tenant.code}/console" if tenant else "/operator"


def callback_url() -> str:
    return f"{public_base()}{pages_root()}/callback"


def csrf_token() -> str:
    token = session.get(CSRF_KEY)
    if not token:
        token = session[CSRF_KEY] = secrets.token_urlsafe(32)
    return str(token)


def check_csrf() -> None:
    expected = session.get(CSRF_KEY)
    sent = request.form.get("csrf_token", "") or request.headers.get("X-CSRF-Token", "")
    if not expected or not hmac.compare_digest(str(expected), sent):
        raise forbidden("the form expired or was not sent from this site: reload the page and try again", "web.csrf")


def access_token() -> str | None:
    """The signed-in person's access token for this realm, refreshed when it has expired."""
    stored: dict[str, Any] | None = session.get(AUTH_KEY)
    if not stored or stored.get("realm") != realm_key():
        return None
    if stored.get("expires_at", 0) - EXPIRY_MARGIN_SECONDS > time.time():
        return str(stored["access_token"])
    refreshed = _exchange({"grant_type": "refresh_token", "refresh_token": stored.get("refresh_token", "")})
    if refreshed is None:
        session.pop(AUTH_KEY, None)
        return None
    _remember(refreshed)
    return str(refreshed["access_token"])


def signed_in_name() -> str | None:
    stored: dict[str, Any] | None = session.get(AUTH_KEY)
    return str(stored.get("username") or "") if stored and stored.get("realm") == realm_key() else None


def start_login(next_url: str | None = None) -> Response:
    verifier = secrets.token_urlsafe(48)
    state = secrets.token_urlsafe(24)
    session[LOGIN_KEY] = {"state": state, "verifier": verifier, "next": _local(next_url), "realm": realm_key()}
    query = {
        "response_type": "code",
        "client_id": CONSOLE_CLIENT_ID,
        "redirect_uri": callback_url(),
        "scope": "registry" if path_tenant() else "platform",
        "state": state,
        "code_challenge": create_s256_code_challenge(verifier),
        "code_challenge_method": "S256",
    }
    return redirect(f"{issuer_for(path_tenant())}/oauth/authorize?{urlencode(query)}")


def finish_login() -> Response:
    pending: dict[str, Any] | None = session.pop(LOGIN_KEY, None)
    state = request.args.get("state", "")
    if not pending or pending.get("realm") != realm_key() or not hmac.compare_digest(pending["state"], state):
        raise Problem(400, "web.login_state", "this sign-in link is stale or was not started here: sign in again")
    if request.args.get("error"):
        raise Problem(400, "web.login_refused", request.args.get("error_description") or "the sign-in was refused")
    tokens = _exchange(
        {
            "grant_type": "authorization_code",
            "code": request.args.get("code", ""),
            "redirect_uri": callback_url(),
            "client_id": CONSOLE_CLIENT_ID,
            "code_verifier": pending["verifier"],
        }
    )
    if tokens is None:
        raise Problem(400, "web.login_failed", "the sign-in code was not accepted (it may have expired): sign in again")
    session.pop(AUTH_KEY, None)
    _remember(tokens)
    session[CSRF_KEY] = secrets.token_urlsafe(32)  # a new session gets a new CSRF token
    return redirect(pending.get("next") or f"{pages_root()}/")


def logout() -> Response:
    stored: dict[str, Any] | None = session.get(AUTH_KEY)
    if stored and stored.get("realm") == realm_key():
        session.pop(AUTH_KEY, None)
        session.pop(CSRF_KEY, None)
    return redirect(f"{pages_root()}/")


def _remember(tokens: dict[str, Any]) -> None:
    _header, claims = peek(str(tokens["access_token"]))
    session[AUTH_KEY] = {
        "realm": realm_key(),
        "access_token": tokens["access_token"],
        "refresh_token": tokens.get("refresh_token", ""),
        "expires_at": int(claims.get("exp", 0)),
        "username": claims.get("preferred_username") or claims.get("sub"),
    }


def _exchange(form: dict[str, str]) -> dict[str, Any] | None:
    """POST to this realm's token endpoint through the whole application stack, without a network hop."""
    path = urlsplit(issuer_for(path_tenant())).path + "/oauth/token"
    client = Client(current_app, use_cookies=False)
    answer = client.post(path, data=form, base_url=public_base(), headers={"X-Request-Id": g.get("request_id", "")})
    if answer.status_code != 200:
        return None
    body: dict[str, Any] = answer.get_json()
    return body


def _local(url: str | None) -> str | None:
    """Only a path on this site may be the page to come back to (no open redirect)."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return url
