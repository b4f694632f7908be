"""The authorization server's HTTP endpoints, for every registry and for the platform's operators."""

from __future__ import annotations

import hmac
import json
import secrets
from typing import Any

from authlib.oauth2 import OAuth2Error
from flask import Blueprint, Response, current_app, g, jsonify, render_template, request, session
from joserfc import jws
from joserfc.errors import JoseError

from gateway.auth import devices, dpop, enrolment
from gateway.auth.access import oauth_endpoint
from gateway.auth.assertions import ASYMMETRIC_ALGORITHMS, token_endpoint
from gateway.auth.clients import CONSOLE_CLIENT_ID, realm_scope
from gateway.auth.realm import identity, issuer_for, path_tenant, realm_uow
from gateway.auth.server import TokenSubject
from gateway.tenancy import sign_in_only
from services.identity.domain.clients import KEY_METHOD
from services.identity.domain.errors import InvalidCredentials
from services.identity.service_layer.accounts import sign_in

bp = Blueprint("oauth", __name__, template_folder="templates")
REALMS = ("/api/v1/registries/<registry>", "/api/v1/platform")
FAILED_LOGIN = "the username, password or one-time code is wrong"


def route(suffix: str, **options: Any) -> Any:
    def register(view: Any) -> Any:
        for realm in REALMS:
            bp.add_url_rule(f"{realm}{suffix}", view_func=view, **options)
        return view

    return register


@route("/oauth/authorize", methods=["GET", "POST"])
@sign_in_only
@oauth_endpoint
def authorize() -> Response | tuple[str, int]:
    server = current_app.extensions["auth.server"]
    try:
        grant = server.get_consent_grant(end_user=None)
    except OAuth2Error as error:
        # Never redirect an unchecked request: show what is wrong instead.
        return render_template("auth_error.html", message=error.description or error.error), 400
    if request.method == "GET":
        return _login_form(status=200)
    if not _csrf_ok():
        return _login_form("the form expired or was not sent from this page: reload it and sign in again", 400)
    if request.form.get("step") in ENROLMENT_STEPS:
        return _enrolment_step(server, grant)
    username = request.form.get("username", "")
    g.audit_actor = username[:200] or "anonymous"
    g.audit_detail = {"event": "login"}
    try:
        signed_in = sign_in(
            username, request.form.get("password", ""), request.form.get("otp"), realm_uow(), identity().credentials
        )
    except InvalidCredentials:
        return _login_form(FAILED_LOGIN, 401)
    g.audit_actor = str(signed_in.account.id)
    device = devices.note_sign_in(signed_in.account)
    if enrolment.is_required(signed_in.account, signed_in.mfa_verified):
        return devices.with_device_cookie(enrolment.start(signed_in.account, session["csrf"]), device)
    subject = TokenSubject(signed_in.account, signed_in.mfa_verified)
    response: Response = server.create_authorization_response(grant_user=subject, grant=grant)
    return devices.with_device_cookie(response, device)


ENROLMENT_STEPS = frozenset({"enrol", "later"})


def _enrolment_step(server: Any, grant: Any) -> Response | tuple[str, int]:
    """The second step of a sign-in that enrols a second factor: confirm it with a code, or go on without."""
    account = enrolment.pending()
    if account is None:
        return _login_form("the form expired or was not sent from this page: reload it and sign in again", 400)
    g.audit_actor = str(account.id)
    g.audit_detail = {"event": "login", "mfa_enrolment": request.form["step"]}
    verified = request.form["step"] == "enrol"
    if verified and not enrolment.confirm(account, request.form.get("code", "")):
        return enrolment.start(account, session["csrf"], "that code is not the one the app shows: add this new key")
    enrolment.finish()
    subject = TokenSubject(account, mfa_verified=verified)
    response: Response = server.create_authorization_response(grant_user=subject, grant=grant)
    return response


def _login_form(error: str | None = None, status: int = 200) -> tuple[str, int]:
    token = session.get("csrf") or secrets.token_urlsafe(32)
    session["csrf"] = token
    tenant = path_tenant()
    where = tenant.name if tenant else "Platform operations"
    return render_template("login.html", csrf_token=token, error=error, realm=where), status


def _csrf_ok() -> bool:
    expected = session.get("csrf")
    sent = request.form.get("csrf_token", "")
    return bool(expected) and hmac.compare_digest(str(expected), sent)


@route("/oauth/token", methods=["POST"])
@sign_in_only
@oauth_endpoint
def token() -> Response:
    g.audit_detail = {"event": "token", "grant_type": request.form.get("grant_type", "")[:40]}
    g.audit_client = (
        request.form.get("client_id")
        or (request.authorization.username if request.authorization else "")
        or _assertion_subject()
    )[:100]
    refused = _bind_to_proof_key()
    if refused is not None:
        return refused
    response: Response = current_app.extensions["auth.server"].create_token_response()
    g.audit_actor = g.get("issued_to") or g.audit_client or "anonymous"
    return response


def _assertion_subject() -> str:
    """The client a client assertion names, unverified: only to say in the audit log who tried."""
    try:
        claims = json.loads(jws.extract_compact(request.form.get("client_assertion", "").encode()).payload)
    except (JoseError, ValueError, UnicodeError):
        return ""
    subject = claims.get("sub") if isinstance(claims, dict) else None
    return subject if isinstance(subject, str) else ""


def _bind_to_proof_key() -> Response | None:
    """With a DPoP proof, a client credentials token is bound to the proof's key (RFC 9449 section 5)."""
    if dpop.HEADER not in request.headers:
        return None
    if request.form.get("grant_type") != "client_credentials":
        return _invalid_proof("DPoP binds machine clients' tokens only: use grant_type=client_credentials")
    try:
        g.dpop_jkt = dpop.check_proof(request.headers.get(dpop.HEADER), "POST", token_endpoint()).thumbprint
    except dpop.InvalidProof as error:
        return _invalid_proof(str(error))
    return None


def _invalid_proof(description: str) -> Response:
    response = jsonify({"error": "invalid_dpop_proof", "error_description": description})
    response.status_code = 400
    response.headers["Cache-Control"] = "no-store"
    return response


@route("/oauth/revoke", methods=["POST"])
@sign_in_only
@oauth_endpoint
def revoke() -> Response:
    g.audit_detail = {"event": "revocation"}
    response: Response = current_app.extensions["auth.server"].create_endpoint_response("revocation")
    return response


@route("/oauth/jwks.json")
@oauth_endpoint
def jwks() -> Response:
    ring = identity()
    response = jsonify({"keys": ring.keys.published(ring.uow(None))})
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


@route("/.well-known/openid-configuration")
@route("/.well-known/oauth-authorization-server")
@oauth_endpoint
def metadata() -> Response:
    issuer = issuer_for(path_tenant())
    grant_types = ["authorization_code", "refresh_token"]
    if path_tenant() is not None:
        grant_types.append("client_credentials")
    return jsonify(
        {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/oauth/authorize",
            "token_endpoint": f"{issuer}/oauth/token",
            "revocation_endpoint": f"{issuer}/oauth/revoke",
            "jwks_uri": f"{issuer}/oauth/jwks.json",
            "scopes_supported": [realm_scope()],
            "response_types_supported": ["code"],
            "grant_types_supported": grant_types,
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["none", "client_secret_basic", "client_secret_post", KEY_METHOD],
            "token_endpoint_auth_signing_alg_values_supported": ASYMMETRIC_ALGORITHMS,
            "dpop_signing_alg_values_supported": ASYMMETRIC_ALGORITHMS,
            "revocation_endpoint_auth_methods_supported": ["none", "client_secret_basic", "client_secret_post"],
            "access_token_signing_alg_values_supported": ["ES256"],
            "console_client_id": CONSOLE_CLIENT_ID,
        }
    )


@route("/oauth/callback")
@oauth_endpoint
def callback() -> tuple[str, int]:
    """Where the built-in console client lands; the page hands the code to the application."""
    return render_template("callback.html", code=request.args.get("code", ""), state=request.args.get("state", "")), 200
