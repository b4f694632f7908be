"""Public registry information, without login: what Article 6.2 asks a Party to make public.

Rule: what a registry lists in its `confidential_fields` setting is left out of every answer here,
the field removed (not blanked) so nobody can tell an empty value from a hidden one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.auth.access import requires
from gateway.bootstrap import current_platform
from gateway.bootstrap import reporting as context
from gateway.reporting import schemas as s
from gateway.tenancy import current_tenant
from services.shared.clock import Clock

blp = Blueprint(
    "reporting_public",
    __name__,
    url_prefix="/api/v1/registries/<string:registry>/public",
    description="Public registry information (no login)",
)
HIDDEN = {
    "beneficiary": ("beneficiary", "retirement_reason"),
    "authorized_entity_identification": ("identification_number",),
}
BLOCK_FIELDS = (
    "cooperative_approach_id",
    "registry_id",
    "first_transferring_party",
    "first_itmo_id",
    "last_itmo_id",
    "vintage",
    "metric",
    "mitigation_type",
    "authorization_id",
    "authorization_version",
    "underlying_registry_id",
    "underlying_first_unit_id",
    "underlying_last_unit_id",
)


def _confidential() -> list[str]:
    return sorted(current_tenant().settings.get("confidential_fields", []))


def _answer(rows: list[dict[str, Any]]) -> dict[str, Any]:
    hidden = {name for field in _confidential() for name in HIDDEN.get(field, ())}
    return {
        "items": [{k: _plain(v) for k, v in row.items() if k not in hidden and k != "tenant_id"} for row in rows],
        "confidential_fields": _confidential(),
    }


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else str(value) if hasattr(value, "hex") else value


def _now() -> datetime:
    clock: Clock = current_platform().clock
    return clock.now()


def _source() -> Any:
    return context.source(current_platform(), current_tenant())


def _action(row: dict[str, Any]) -> dict[str, Any]:
    keep = (
        "transaction_number",
        "action_type",
        "action_subtype",
        "executed_at",
        "quantity",
        "transferring_party",
        "acquiring_party",
        "oimp_purpose",
        "using_party",
        "ndc_year",
        "beneficiary",
        "retirement_reason",
    )
    return {k: row[k] for k in (*keep, *BLOCK_FIELDS)}


def _year(query: dict[str, Any]) -> int:
    return int(query["year"] or _now().year)


@blp.route("/cooperative-approaches")
class Approaches(MethodView):
    @blp.response(200, s.Rows)
    @requires(public=True)
    def get(self) -> Any:
        """Cooperative approaches the registry takes part in"""
        return _answer(_source().approaches())


@blp.route("/authorizations")
class Authorizations(MethodView):
    @blp.response(200, s.Rows)
    @requires(public=True)
    def get(self) -> Any:
        """Authorizations, every version"""
        return _answer(_source().authorizations())


@blp.route("/authorized-entities")
class Entities(MethodView):
    @blp.response(200, s.Rows)
    @requires(public=True)
    def get(self) -> Any:
        """Entities authorized under a cooperative approach"""
        return _answer(_source().entities())


@blp.route("/issuances")
class Issuances(MethodView):
    @blp.arguments(s.PublicQuery, location="query")
    @blp.response(200, s.Rows)
    @requires(public=True)
    def get(self, query: dict[str, Any]) -> Any:
        """Units issued in a year (default: this year), by block"""
        rows = _source().actions(_year(query), reported_only=False)
        return _answer([_action(r) for r in rows if r["action_type"] == "Issuance"])


@blp.route("/actions")
class Actions(MethodView):
    @blp.arguments(s.PublicQuery, location="query")
    @blp.response(200, s.Rows)
    @requires(public=True)
    def get(self, query: dict[str, Any]) -> Any:
        """Article 6.2 actions of a year by block, at AEF granularity"""
        return _answer([_action(r) for r in _source().actions(_year(query))])


@blp.route("/holdings")
class Holdings(MethodView):
    @blp.arguments(s.PublicQuery, location="query")
    @blp.response(200, s.Rows)
    @requires(public=True)
    def get(self, query: dict[str, Any]) -> Any:
        """Authorized holdings by block on 31 December of a year, or now without a year"""
        at = datetime(query["year"] + 1, 1, 1, tzinfo=UTC) if query["year"] else _now()
        rows = _source().holdings(at)
        return _answer([{k: r[k] for k in ("serial_first", "serial_last", *BLOCK_FIELDS)} for r in rows])


@blp.route("/retirements")
class Retirements(MethodView):
    @blp.arguments(s.PublicQuery, location="query")
    @blp.response(200, s.Rows)
    @requires(public=True)
    def get(self, query: dict[str, Any]) -> Any:
        """Retirements of a year with their beneficiary and purpose"""
        rows = _source().actions(_year(query), reported_only=False)
        return _answer([_action(r) for r in rows if r["beneficiary"] is not None])
