"""Writes the audit logs: every mutating call, every sign-in and token issue, every refused access, and every
read a view marks with `audited_read()` (an export of the registry's data)."""

from __future__ import annotations

import logging
import re

from flask import Response, g, request

from gateway.auth.access import MUTATING
from gateway.auth.realm import PLATFORM, identity, path_tenant
from services.identity.domain.audit import Outcome
from services.identity.service_layer.audit import Event, record

log = logging.getLogger(__name__)
_CONVERTER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def after_request(response: Response) -> Response:
    if g.get("fair_share_refused"):
        return response  # over its registry's fair share, before any check: nothing happened (gateway/fair_share.py)
    denied = response.status_code in (401, 403) or bool(g.get("access_denied"))
    if request.method not in MUTATING and not denied and not g.get("audit_read"):
        return response
    tenant = path_tenant()
    if tenant is None and not request.path.startswith(PLATFORM):
        return response  # unknown registry: there is no log to write to, and nothing happened
    try:
        ring = identity()
        code = (request.view_args or {}).get("code") if tenant is None else None
        record(_event(response, denied), ring.audit_log(tenant.id if tenant else None), ring.clock, tenant_code=code)
    except Exception:
        log.exception("audit entry could not be written for %s %s", request.method, request.path)
    return response


def audited_read() -> None:
    """Write this read to the audit log too: who took a copy of the registry's data, and when."""
    g.audit_read = True


def _event(response: Response, denied: bool) -> Event:
    principal = g.get("principal")
    actor = principal.subject if principal else g.get("audit_actor") or "anonymous"
    detail = dict(g.get("audit_detail") or {})
    if g.get("access_denied"):
        detail["reason"] = g.access_denied
    return Event(
        actor=actor,
        action=f"{request.method} {_route()}",
        target=request.path,
        outcome=_outcome(response.status_code, denied),
        status=response.status_code,
        source_ip=request.remote_addr or "",
        client_id=principal.client_id if principal else g.get("audit_client", ""),
        request_id=g.get("request_id", ""),
        detail=detail,
    )


def _route() -> str:
    """The route as the OpenAPI document names it, e.g. /api/v1/registries/{registry}/users."""
    if request.url_rule is None:
        return request.path
    return _CONVERTER.sub(r"{\1}", request.url_rule.rule)


def _outcome(status: int, denied: bool) -> str:
    if denied:
        return Outcome.DENIED
    return Outcome.SUCCESS if status < 400 else Outcome.FAILED
