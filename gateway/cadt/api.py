"""CAD Trust publishing for registry administrators: the connection, publishing on or off, sync status.

The API key is write-only: it is never returned, and a PUT without one keeps the stored key.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from gateway.auth.access import requires
from gateway.auth.principal import Role
from gateway.bootstrap import current_platform
from gateway.bootstrap.cadt import cadt_for
from gateway.errors import Problem
from gateway.inputs.fields import Integer
from gateway.tenancy import current_tenant
from gateway.training.guards import refuse_for_training
from services.cadt.domain.model import Connection, Kind, Status
from services.cadt.service_layer.connection_check import check_connection
from services.cadt.service_layer.ports import SettingsStore
from services.cadt.service_layer.settings import DATA_MODEL_VERSIONS, ConfigureConnection, InvalidSettings, configure

PUBLISHED_KINDS = (Kind.PROJECT, Kind.ISSUANCE, Kind.UNIT, Kind.AEF)  # aef: a year's AEF submission (v2)
blp = Blueprint(
    "cadt", __name__, url_prefix="/api/v1/registries/<string:registry>/cadt", description="CAD Trust publishing"
)


class OptionsSchema(Schema):
    registry_of_origin = fields.String(metadata={"description": "registryOfOrigin on every project"})
    public_base_url = fields.Url(metadata={"description": "base of projectLink and unitRegistryLink"})
    country = fields.String(metadata={"description": "the host Party as the CAD Trust countries list spells it"})
    covered_by_ndc = fields.String(metadata={"description": "coveredByNDC on every project"})
    verification_approach = fields.String()
    unit_types = fields.Dict(keys=fields.String(), values=fields.String())


class ConnectionInSchema(Schema):
    base_url = fields.Url(required=True, metadata={"description": "the CAD Trust node, e.g. http://node:31310"})
    api_key = fields.String(load_only=True, validate=validate.Length(min=1, max=500),
                            metadata={"description": "write-only; leave out to keep the stored key"})  # fmt: skip
    organization_id = fields.String(load_default="", validate=validate.Length(max=100))
    data_model_version = fields.String(load_default="v1", validate=validate.OneOf(DATA_MODEL_VERSIONS),
                                       metadata={"description": "v1 (the node's released routes) or v2"})  # fmt: skip
    enabled = fields.Boolean(required=True, metadata={"description": "publish this registry's records"})
    options = fields.Nested(OptionsSchema, load_default=None)


class ConnectionOutSchema(Schema):
    base_url = fields.String(required=True)
    has_api_key = fields.Boolean(required=True)
    organization_id = fields.String(required=True)
    data_model_version = fields.String(required=True)
    enabled = fields.Boolean(required=True)
    options = fields.Dict(required=True)
    state = fields.String(required=True, metadata={"description": "ok, unavailable or unauthorized"})
    state_detail = fields.String(required=True)
    next_attempt_at = fields.DateTime(allow_none=True, metadata={"description": "node unavailable: no pass before"})
    retry_at = fields.DateTime(
        allow_none=True, metadata={"description": "when the retry timer next publishes the records left pending"}
    )
    records = fields.Dict(keys=fields.String(), values=Integer(), metadata={"description": "count by status"})


class ConnectionCheckInSchema(Schema):
    base_url = fields.Url(required=True)
    api_key = fields.String(load_only=True, validate=validate.Length(min=1, max=500),
                            metadata={"description": "leave out to test the stored key"})  # fmt: skip
    organization_id = fields.String(required=True, validate=validate.Length(min=1, max=100))


class ConnectionCheckOutSchema(Schema):
    ok = fields.Boolean(required=True)
    outcome = fields.String(
        required=True, metadata={"description": "ok, unreachable, unauthorized, not_a_node or organization_missing"}
    )
    detail = fields.String(required=True)
    next_step = fields.String(required=True, metadata={"description": "what to do about it"})


class RecordQuerySchema(Schema):
    kind = fields.String(validate=validate.OneOf([k.value for k in PUBLISHED_KINDS]))
    status = fields.String(validate=validate.OneOf([s.value for s in Status]))


class RecordSchema(Schema):
    kind = fields.String(required=True)
    local_id = fields.String(required=True)
    cadt_id = fields.String(allow_none=True)
    status = fields.String(required=True, metadata={"description": "pending, staged, published, invalid, failed"})
    reason = fields.String(required=True)
    problems = fields.List(fields.Dict(), required=True, metadata={"description": "field, value, allowed values"})
    attempts = Integer(required=True)
    last_attempt_at = fields.DateTime(allow_none=True)


def _store() -> SettingsStore:
    return cadt_for(current_platform()).store(current_tenant().id)


def _view(store: SettingsStore, connection: Connection) -> dict[str, Any]:
    counts: dict[str, int] = {}
    for kind in PUBLISHED_KINDS:
        for record in store.records(kind):
            counts[record.status.value] = counts.get(record.status.value, 0) + 1
    return {
        "base_url": connection.base_url, "has_api_key": bool(connection.api_key),
        "organization_id": connection.organization_id, "data_model_version": connection.data_model_version,
        "enabled": connection.enabled, "options": {k: v for k, v in connection.options.items() if k != "party"},
        "state": connection.state.value, "state_detail": connection.state_detail,
        "next_attempt_at": connection.next_attempt_at, "retry_at": connection.retry_at, "records": counts,
    }  # fmt: skip


@blp.route("/connection")
class CadtConnection(MethodView):
    @blp.response(200, ConnectionOutSchema)
    @requires(Role.REGISTRY_ADMIN)
    def get(self) -> Any:
        """This registry's CAD Trust node, publishing state and record counts (never the API key)"""
        store = _store()
        connection = store.connection()
        if connection is None:
            raise Problem(404, "cadt.not_configured", "No CAD Trust connection yet; PUT one to this address.")
        return _view(store, connection)

    @blp.arguments(ConnectionInSchema)
    @blp.response(200, ConnectionOutSchema)
    @requires(Role.REGISTRY_ADMIN, mfa="key_and_policy_changes")
    def put(self, body: dict[str, Any]) -> Any:
        """Set the CAD Trust node, its API key and options, and switch publishing on or off"""
        refuse_for_training(current_tenant(), "publishing to CAD Trust")
        store = _store()
        command = ConfigureConnection(
            body["base_url"], body.get("api_key"), body["organization_id"], body["data_model_version"],
            body["enabled"], body["options"],
        )  # fmt: skip
        try:
            connection = configure(store, command, party=current_tenant().party, retry=store.retry_refused)
        except InvalidSettings as error:
            raise Problem(422, "cadt.invalid_settings", str(error), field=error.field) from None
        return _view(store, connection)


@blp.route("/connection/check")
class CadtConnectionCheck(MethodView):
    @blp.arguments(ConnectionCheckInSchema)
    @blp.response(200, ConnectionCheckOutSchema)
    @requires(Role.REGISTRY_ADMIN, mfa="key_and_policy_changes")  # it may send the stored key to a new URL
    def post(self, body: dict[str, Any]) -> Any:
        """Test a CAD Trust node before saving it: reachable, the key taken, the organization on the node"""
        refuse_for_training(current_tenant(), "publishing to CAD Trust")
        current = _store().connection()
        api_key = body.get("api_key") or (current.api_key if current else "")
        trial = Connection(base_url=body["base_url"], api_key=api_key, organization_id=body["organization_id"])
        result = check_connection(cadt_for(current_platform()).client_for, trial)
        return {"ok": result.ok, "outcome": result.outcome, "detail": result.detail, "next_step": result.next_step}


@blp.route("/records")
class CadtRecords(MethodView):
    @blp.arguments(RecordQuerySchema, location="query")
    @blp.response(200, RecordSchema(many=True))
    @requires(Role.REGISTRY_ADMIN)
    def get(self, query: dict[str, Any]) -> Any:
        """Sync status per record: pending, published, or refused with the field and the allowed values"""
        store = _store()
        kinds = [Kind(query["kind"])] if "kind" in query else list(PUBLISHED_KINDS)
        records = [r for kind in kinds for r in store.records(kind)]
        return [r for r in records if "status" not in query or r.status.value == query["status"]]
