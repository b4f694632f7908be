"""Identity and access at the HTTP edge: the authorization server, token checks, roles, audit, limits."""

from __future__ import annotations

from typing import Any

from flask import Flask, request

from gateway.api import Api
from gateway.auth import access, audit, cors, errors, limits
from gateway.bootstrap import current_platform, platform_of
from gateway.errors import problem_response
from services.identity.domain import errors as identity_errors

_STATUS_OF: list[tuple[type[identity_errors.IdentityError], int, str]] = [
    (identity_errors.InvalidCredentials, 401, "auth.invalid_credentials"),
    (identity_errors.DuplicateUser, 409, "user.duplicate"),
    (identity_errors.AdministratorExists, 409, "user.administrator_exists"),
    (identity_errors.UserNotFound, 404, "resource.not_found"),
    (identity_errors.InvalidUser, 422, "user.invalid"),
    (identity_errors.InvalidClient, 422, "client.invalid"),
    (identity_errors.InvalidIdentityProvider, 422, "identity_provider.invalid"),
    (identity_errors.MfaError, 422, "auth.mfa_invalid"),
]


def init_auth(app: Flask, api: Api) -> None:
    from gateway import platform_api
    from gateway.auth import api as identity_api
    from gateway.auth import api_admin, api_people, views
    from gateway.auth.server import build_server
    from gateway.auth.tokens import PublishedKeys

    platform = platform_of(app)
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("SESSION_COOKIE_SECURE", platform.settings.is_production)
    app.extensions["auth.keys"] = PublishedKeys()
    app.extensions["auth.server"] = build_server(app, platform.identity.keys.token_lifetime_seconds)
    errors.register(app)
    for error_class, status, code in _STATUS_OF:
        app.register_error_handler(error_class, _handler(status, code))
    app.before_request(access.before_request)
    app.after_request(cors.after_request)
    app.after_request(audit.after_request)
    app.register_blueprint(views.bp)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    api.served_document.append(_with_realm_security)
    api.docs_oauth = _docs_oauth
    blueprints = (identity_api.blp, api_admin.blp, platform_api.blp, api_people.registry_blp, api_people.platform_blp)
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    limits.install(app)


def _with_realm_security(document: dict[str, Any]) -> dict[str, Any]:
    """Every realm's sign-in, or with `?registry=CODE` that registry's and the operators' only: a platform of
    many registries would otherwise list each one's scheme on each of its operations."""
    from gateway.auth.openapi_security import with_realm_security
    from gateway.auth.realm import public_base

    tenants = current_platform().catalogue.list()
    if code := request.args.get("registry"):  # an empty value asks for no narrowing, as none does
        tenants = [tenant for tenant in tenants if tenant.code == code]
    return with_realm_security(document, public_base(), tenants)


def _docs_oauth() -> dict[str, Any]:
    from gateway.auth.clients import DOCS_CLIENT_ID, DOCS_REDIRECT_PATH
    from gateway.auth.realm import public_base

    return {"clientId": DOCS_CLIENT_ID, "redirectUrl": f"{public_base()}{DOCS_REDIRECT_PATH}"}


def _handler(status: int, code: str) -> Any:
    return lambda error: problem_response(status, code, str(error))


__all__ = ["access", "init_auth"]
