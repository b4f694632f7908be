"""Cooperative approaches, authorized entities and authorizations with every version, from the public projection."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from flask import render_template
from flask_babel import lazy_gettext as _l

from gateway.bootstrap import current_platform
from gateway.bootstrap import reporting as context
from gateway.tenancy import current_tenant
from gateway.web.public import bp
from gateway.web.public.common import hidden_fields

OIMP_DEFINITIONS = {
    "authorization": _l("At authorization"),
    "issuance": _l("At issuance"),
    "use_or_cancellation": _l("At use or cancellation"),
}


def oimp_definition(value: str | None) -> str:
    """When units authorized for OIMP are first transferred, as the authorization says."""
    return str(OIMP_DEFINITIONS.get(value or "", _l("Not applicable: not authorized for OIMP")))


def _source() -> Any:
    return context.source(current_platform(), current_tenant())


def _visible(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    hidden = hidden_fields()
    return [{k: v for k, v in row.items() if k not in hidden} for row in rows]


@bp.get("/registries/<registry>/approaches")
def approaches() -> str:
    source = _source()
    return render_template(
        "web/public/approaches.html", approaches=source.approaches(), entities=_visible(source.entities())
    )


@bp.get("/registries/<registry>/authorizations")
def authorizations() -> str:
    versions: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in _source().authorizations():
        versions[row["authorization_id"]].append(row)
    grouped = [sorted(rows, key=lambda r: r["version"], reverse=True) for rows in versions.values()]
    return render_template("web/public/authorizations.html", authorizations=grouped, oimp_definition=oimp_definition)
