"""Each view declares who may call it; the declaration is enforced, documented and listed.

`requires(...)` marks a view function. Marks survive the smorest decorators (functools.wraps copies
them), so a `before_request` hook finds the rule of the endpoint being called and authenticates
before the request body is even parsed. The wrapper checks again (idempotently) for views called
some other way. `check_protected(app)` refuses to build an app with an unmarked mutating route.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, current_app, g, request

from gateway.auth import dpop, limits
from gateway.auth.errors import forbidden, unauthenticated
from gateway.auth.principal import Principal, Role
from gateway.auth.realm import issuer_for, path_tenant
from gateway.auth.tokens import PublishedKeys, verify
from gateway.errors import Problem, not_found

MFA_KEYS = frozenset({"approvals", "external_transfers", "key_and_policy_changes"})
PERSON_ONLY = frozenset({"approvals"})  # four eyes means two people: a machine never approves
MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
RULE_ATTRIBUTE = "_access_rule"

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class AccessRule:
    roles: frozenset[Role]
    public: bool = False
    mfa: str | None = None
    bearer: bool = True  # False for OAuth endpoints, whose Authorization header carries client credentials
    session: bool = False  # web pages: the token comes from the signed-in session cookie, and forms carry CSRF

    def describe(self) -> str:
        if self.public:
            return "public"
        return ", ".join(sorted(r.value for r in self.roles)) or "any signed-in principal"


# Every decorated view, by qualified name: the source of the access table in docs/access.md.
ACCESS_RULES: dict[str, AccessRule] = {}


def requires(*roles: Role, public: bool = False, mfa: str | None = None, session: bool = False) -> Callable[[F], F]:
    if mfa is not None and mfa not in MFA_KEYS:
        raise ValueError(f"mfa must be one of {sorted(MFA_KEYS)}, not {mfa!r}")
    rule = AccessRule(frozenset(roles), public, mfa, session=session)

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            enforce(rule)
            return view(*args, **kwargs)

        setattr(guarded, RULE_ATTRIBUTE, rule)
        apidoc = getattr(guarded, "_apidoc", {})
        manual = {**apidoc.get("manual_doc", {}), **_security_doc(rule)}
        guarded._apidoc = {**apidoc, "manual_doc": manual}  # type: ignore[attr-defined]
        ACCESS_RULES[view.__qualname__] = rule
        return guarded  # type: ignore[return-value]

    return decorate


def oauth_endpoint(view: F) -> F:
    """An endpoint of the authorization server itself: public, rate limited, no bearer token read."""
    rule = AccessRule(frozenset(), public=True, bearer=False)
    setattr(view, RULE_ATTRIBUTE, rule)
    ACCESS_RULES[view.__qualname__] = rule
    return view


def _security_doc(rule: AccessRule) -> dict[str, Any]:
    security: list[dict[str, list[str]]] = [{}, {"bearerAuth": []}] if rule.public else [{"bearerAuth": []}]
    doc: dict[str, Any] = {"security": security, "x-roles": sorted(r.value for r in rule.roles)}
    if rule.mfa:
        doc["x-mfa"] = rule.mfa
    return doc


def current_principal() -> Principal:
    principal: Principal | None = g.get("principal")
    if principal is None:
        raise unauthenticated("auth.token_missing", "sign in and send 'Authorization: Bearer <access token>'")
    return principal


def optional_principal() -> Principal | None:
    found: Principal | None = g.get("principal")
    return found


def enforce(rule: AccessRule) -> None:
    if g.get("access_checked"):
        return
    principal = _authenticate(rule) if rule.bearer else None
    g.principal = principal
    limits.charge(principal)
    if principal is not None:
        _authorize(principal, rule)
    g.access_checked = True


def _authenticate(rule: AccessRule) -> Principal | None:
    if rule.session:
        return _authenticate_session(rule)
    header = request.headers.get("Authorization", "")
    if not header:
        if rule.public:
            return None
        raise unauthenticated("auth.token_missing", "this call needs a bearer token: sign in and send it")
    scheme, _, token = header.partition(" ")
    if scheme.lower() not in ("bearer", "dpop") or not token.strip():
        raise unauthenticated("auth.token_missing", "send the token as 'Authorization: Bearer <access token>'")
    keys: PublishedKeys = current_app.extensions["auth.keys"]
    principal = dpop.bind(verify(token.strip(), keys), scheme.lower(), token.strip())
    g.principal = principal
    tenant = path_tenant()
    if tenant is not None and principal.tenant_id != tenant.id:
        g.access_denied = "token of another realm"
        raise not_found()  # a token of registry A on registry B's path: exactly as if nothing were there
    if tenant is None and principal.tenant_id is not None and not rule.public:
        raise forbidden("a registry's token cannot be used on platform routes: an operator must sign in")
    return principal


def _authenticate_session(rule: AccessRule) -> Principal | None:
    from gateway.auth import browser_session as web_session

    if request.method in MUTATING:
        web_session.check_csrf()
    token = web_session.access_token()
    if token is None:
        if rule.public:
            return None
        raise unauthenticated("auth.login_required", "your session has ended or you are not signed in: sign in")
    keys: PublishedKeys = current_app.extensions["auth.keys"]
    principal = verify(token, keys)
    g.principal = principal
    return principal


def _authorize(principal: Principal, rule: AccessRule) -> None:
    if rule.public or (not rule.roles):
        return
    if not principal.has_any(*rule.roles):
        needed = " or ".join(sorted(r.value for r in rule.roles))
        raise forbidden(f"this needs the role {needed}: ask the registry administrator for it")
    if rule.mfa in PERSON_ONLY and not principal.is_user:
        raise forbidden(
            "approvals need a person: a machine's transaction waits in the approvals inbox "
            "(GET .../transactions?status=awaiting_approval, or the console's Approvals page) for an approver",
            code="auth.person_required",
        )
    tenant = path_tenant()
    required = tenant.settings.get("mfa_required_for", []) if tenant is not None else []
    if rule.mfa and rule.mfa in required and not principal.mfa_verified:
        raise _second_factor_needed(principal, rule.mfa)


def _second_factor_needed(principal: Principal, action: str) -> Problem:
    what = action.replace("_", " ")
    if not principal.is_user:
        return forbidden(
            f"this registry requires strong authentication for {what}: a machine client proves it with its key. "
            "Register the client with a public key (jwk), sign in with private_key_jwt and send DPoP proofs",
            code="auth.mfa_required",
        )
    realm = issuer_for(path_tenant())
    return forbidden(
        f"this registry requires a second factor for {what}: enrol one with POST {realm}/me/mfa, confirm it with "
        f"POST {realm}/me/mfa/confirm and a first code, then sign in again with a one-time code",
        code="auth.mfa_required",
    )


def rule_for_request() -> AccessRule | None:
    if request.method == "OPTIONS" or request.url_rule is None:
        return None
    view = current_app.view_functions.get(request.endpoint or "")
    return _rule_of(view, request.method)


def _rule_of(view: Any, method: str) -> AccessRule | None:
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        handler = getattr(view_class, method.lower(), None)
        if handler is None and method == "HEAD":
            handler = getattr(view_class, "get", None)
        return getattr(handler, RULE_ATTRIBUTE, None)
    return getattr(view, RULE_ATTRIBUTE, None)


def before_request() -> None:
    rule = rule_for_request()
    if rule is not None:
        enforce(rule)
    elif request.method in MUTATING and request.url_rule is not None:
        raise forbidden("this route declares no access rule, so it refuses every change")  # fail closed


def unprotected_mutations(app: Flask) -> list[str]:
    """Mutating routes without an access rule; create_app refuses to start while there are any."""
    return [f"{method} {path}" for path, method, rule in routes(app) if method in MUTATING and rule is None]


def routes(app: Flask) -> Iterator[tuple[str, str, AccessRule | None]]:
    for url_rule in app.url_map.iter_rules():
        view = app.view_functions.get(url_rule.endpoint)
        for method in sorted((url_rule.methods or set()) - {"OPTIONS", "HEAD"}):
            yield url_rule.rule, method, _rule_of(view, method)


def check_protected(app: Flask) -> None:
    missing = unprotected_mutations(app)
    if missing:
        raise RuntimeError(
            "mutating routes without an access rule: " + "; ".join(missing) + ". Decorate each with "
            "@requires(Role...) (gateway/auth/access.py) below the smorest decorators."
        )
