"""Registry console: the CAD Trust connection (never its API key) and the sync status of each record.

Reads through the CAD Trust API's own store and view (gateway/cadt/api.py), so the page and
`GET /api/v1/registries/<registry>/cadt/...` always agree.
"""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from gateway.auth.access import requires
from gateway.auth.principal import Role
from gateway.cadt.api import PUBLISHED_KINDS, _store, _view
from gateway.errors import Problem
from gateway.tenancy import current_tenant
from gateway.web.console import bp
from gateway.web.public.common import last_page, page_number, page_url
from services.cadt.domain.model import Status, SyncRecord
from services.cadt.service_layer.connection_check import ConnectionCheck

PAGE_SIZE = 50
STATUS_LABELS = {
    Status.PENDING: _l("Pending"),
    Status.STAGED: _l("Staged"),
    Status.PUBLISHED: _l("Published"),
    Status.INVALID: _l("Refused before sending"),
    Status.FAILED: _l("Failed"),
    Status.EXCLUDED: _l("Not published"),
}
KIND_LABELS = {"project": _l("Project"), "issuance": _l("Issuance"), "unit": _l("Unit block")}
STATE_LABELS = {"ok": _l("Connected"), "unavailable": _l("Node unavailable"), "unauthorized": _l("API key refused")}


@bp.get("/cadt")
@requires(Role.REGISTRY_ADMIN, session=True)
def cadt() -> str:
    return render()


def render(setup: dict[str, Any] | None = None, check: ConnectionCheck | None = None) -> str:
    """The page; `setup` holds the connection form as submitted, `check` the result of testing it."""
    kind, status = _filter("kind", [k.value for k in PUBLISHED_KINDS]), _filter("status", [s.value for s in Status])
    store = _store()
    connection = store.connection()
    view = _view(store, connection) if connection is not None else None
    if setup is None:
        setup = {key: (view or {}).get(key, "") for key in ("base_url", "organization_id", "enabled")}
    records = [r for k in PUBLISHED_KINDS if kind in ("", k.value) for r in store.records(k)]
    records = [r for r in records if status in ("", r.status.value)]
    records.sort(key=_recent_first)
    page, total = page_number(), len(records)
    shown = records[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return render_template(
        "web/console/cadt/index.html",
        connection=view,
        setup=setup,
        check=check,
        records=shown,
        total=total,
        page=page,
        last=last_page(total, PAGE_SIZE),
        page_url=page_url,
        kind=kind,
        status=status,
        kinds=[(k.value, KIND_LABELS.get(k.value, k.value)) for k in PUBLISHED_KINDS],
        statuses=[(s.value, STATUS_LABELS[s]) for s in Status],
        status_label=lambda value: str(STATUS_LABELS.get(value, value)),
        kind_label=lambda value: str(KIND_LABELS.get(value, value)),
        state_label=lambda value: str(STATE_LABELS.get(value, value)),
        root=f"/registries/{current_tenant().code}/console/cadt",
    )


def _filter(name: str, allowed: list[str]) -> str:
    value = request.args.get(name, "")
    if value and value not in allowed:
        raise Problem(400, "web.bad_filter", _("Choose a status and a kind from the lists on the page."))
    return value


def _recent_first(record: SyncRecord) -> Any:
    """Records needing attention first, then the most recently tried."""
    attention = record.status not in (Status.INVALID, Status.FAILED)
    stamp = record.last_attempt_at.timestamp() if record.last_attempt_at else 0.0
    return (attention, -stamp, record.kind.value, record.local_id)
