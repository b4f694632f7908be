"""The operators' API: tenant lifecycle (the CLI's rules) and each registry's first administrator."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from gateway.auth import schemas as auth_schemas
from gateway.auth.access import current_principal, requires
from gateway.auth.principal import Role
from gateway.bootstrap import Platform, current_platform
from gateway.training.onboard import create_training_registry
from gateway.training.reset import reset_training_registry
from services.identity.domain.roles import Role as DomainRole
from services.identity.service_layer import accounts, audit, people
from tenants.domain.model import Tenant, TenantKind
from tenants.service_layer.archive import export_lines
from tenants.service_layer.catalogue import CreateTenant, freeze_transfers_abroad

blp = Blueprint("platform", __name__, url_prefix="/api/v1/platform", description="Operators: hosted registries")
OPERATOR = Role.PLATFORM_OPERATOR


class TenantCreateSchema(Schema):
    code = fields.String(required=True, metadata={"description": "URL slug, e.g. ghana"})
    party = fields.String(required=True, metadata={"description": "ISO 3166-1 alpha-3 code, e.g. GHA"})
    registry_id = fields.String(required=True, metadata={"description": "the Party code plus two digits, e.g. GHA01"})
    name = fields.String(required=True)
    kind = fields.String(
        load_default="production",
        validate=validate.OneOf([k.value for k in TenantKind]),
        metadata={"description": "production (a country's real accounts) or training (where its staff learn)"},
    )
    settings = fields.Dict(
        load_default=dict, metadata={"description": "see tenants/config/tenant-settings.schema.json"}
    )
    partner = fields.String(
        load_default=None,
        metadata={"description": "training only: an existing training registry to transfer to (default: one is made)"},
    )


class TenantSchema(Schema):
    id = fields.UUID(required=True)
    code = fields.String(required=True)
    party = fields.String(required=True)
    registry_id = fields.String(required=True)
    name = fields.String(required=True)
    status = fields.String(required=True)
    is_demo = fields.Boolean(required=True)
    kind = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    status_changed_at = fields.DateTime(allow_none=True)
    settings = fields.Dict(required=True)


class TrainingPersonSchema(Schema):
    registry = fields.String(required=True)
    username = fields.String(required=True)
    password = fields.String(required=True, metadata={"description": "shown once: only its hash is kept"})


class TrainingSeedSchema(Schema):
    partner = fields.String(required=True, metadata={"description": "code of the partner training registry"})
    people = fields.List(fields.Nested(TrainingPersonSchema), required=True)


class CreatedTenantSchema(TenantSchema):
    training = fields.Nested(
        TrainingSeedSchema, allow_none=True, metadata={"description": "a training registry's seeded people"}
    )


class AdministratorSchema(Schema):
    username = fields.String(required=True)
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=12, max=200))
    display_name = fields.String(load_default="")


def _platform() -> Platform:
    found: Platform = current_platform()
    return found


def _dump(tenant: Tenant) -> dict[str, Any]:
    return {**tenant.__dict__, "status": tenant.status.value}


@blp.route("/tenants")
class Tenants(MethodView):
    @blp.response(200, TenantSchema(many=True))
    @requires(OPERATOR)
    def get(self) -> list[dict[str, Any]]:
        """Every hosted registry"""
        return [_dump(t) for t in _platform().catalogue.list()]

    @blp.arguments(TenantCreateSchema)
    @blp.response(201, CreatedTenantSchema)
    @requires(OPERATOR)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Onboard a registry; it is active at once. A training registry is seeded with fictional data and
        people, whose passwords this answer shows once"""
        command = CreateTenant(
            body["code"],
            body["party"],
            body["registry_id"],
            body["name"],
            body["settings"],
            kind=TenantKind(body["kind"]),
        )
        if command.kind is not TenantKind.TRAINING:
            return _dump(_platform().catalogue.create(command))
        tenant, seed = create_training_registry(_platform(), command, body["partner"])
        return {**_dump(tenant), "training": {"partner": seed.partner, "people": seed.people()}}


@blp.route("/tenants/<string:code>")
class TenantByCode(MethodView):
    @blp.response(200, TenantSchema)
    @requires(OPERATOR)
    def get(self, code: str) -> dict[str, Any]:
        """One hosted registry"""
        return _dump(_platform().catalogue.get(code))


def _lifecycle(command: str, summary: str) -> None:
    class Lifecycle(MethodView):
        @blp.response(200, TenantSchema)
        @requires(OPERATOR)
        def post(self, code: str) -> dict[str, Any]:
            return _dump(_platform().catalogue.change_status(code, command))

    Lifecycle.post.__doc__ = summary
    Lifecycle.__name__ = f"Tenant{command.capitalize()}"
    blp.route(f"/tenants/<string:code>/{command}", endpoint=f"tenant_{command}")(Lifecycle)


_lifecycle("suspend", "Make an active registry read-only")
_lifecycle("resume", "Return a suspended registry to active")
_lifecycle("archive", "Archive a suspended registry; it is no longer served")


class FreezeAbroadSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=1000))


@blp.route("/tenants/<string:code>/transfers-abroad-freeze")
class TransfersAbroadFreeze(MethodView):
    @blp.arguments(FreezeAbroadSchema)
    @blp.response(200, TenantSchema)
    @requires(OPERATOR)
    def post(self, body: dict[str, Any], code: str) -> dict[str, Any]:
        """Freeze every transfer abroad out of the registry at once, during an incident (the ledger answers
        LDG-082); transfers at home go on"""
        return _dump(freeze_transfers_abroad(_platform().catalogue, code, body["reason"], current_principal().subject))

    @blp.response(200, TenantSchema)
    @requires(OPERATOR)
    def delete(self, code: str) -> dict[str, Any]:
        """Lift the freeze of transfers abroad"""
        return _dump(freeze_transfers_abroad(_platform().catalogue, code, None, current_principal().subject))


@blp.route("/tenants/<string:code>/reset")
class TenantReset(MethodView):
    @blp.response(200, TrainingSeedSchema)
    @requires(OPERATOR)
    def post(self, code: str) -> dict[str, Any]:
        """Reset a training registry to its seed: its data is deleted and seeded again (people keep their
        passwords; a seeded person who was deleted comes back with a new one, shown once). 409 for production"""
        seed = reset_training_registry(_platform(), _platform().catalogue.get(code))
        return {"partner": seed.partner, "people": seed.people()}


@blp.route("/tenants/<string:code>/export")
class TenantExport(MethodView):
    @blp.response(
        200, description="JSON Lines: a header line, then one line per row", content_type="application/x-ndjson"
    )
    @requires(OPERATOR)
    def get(self, code: str) -> Response:
        """The registry's whole data as a JSON Lines archive (the same as 'registry tenants export')"""
        platform = _platform()
        tenant = platform.catalogue.get(code)
        response = Response(export_lines(platform.database, tenant), mimetype="application/x-ndjson")
        response.headers["Content-Disposition"] = f'attachment; filename="{tenant.code}.jsonl"'
        return response


@blp.route("/tenants/<string:code>/administrators")
class TenantAdministrators(MethodView):
    @blp.response(200, auth_schemas.UserSchema(many=True))
    @requires(OPERATOR)
    def get(self, code: str) -> Any:
        """A registry's administrators (disable, enable or reset one at .../administrators/{user_id}/...)"""
        platform = _platform()
        return people.administrators(platform.identity.uow(platform.catalogue.get(code).id))

    @blp.arguments(AdministratorSchema)
    @blp.response(201, auth_schemas.UserSchema)
    @requires(OPERATOR)
    def post(self, body: dict[str, Any], code: str) -> Any:
        """Create a registry's first administrator; refused once it has one"""
        platform = _platform()
        tenant = platform.catalogue.get(code)
        command = accounts.CreateUser(
            body["username"], body["password"], frozenset({DomainRole.REGISTRY_ADMIN}), None, body["display_name"]
        )
        return accounts.bootstrap_admin(command, platform.identity.uow(tenant.id), platform.identity.credentials)


@blp.route("/audit-events")
class PlatformAuditEvents(MethodView):
    @blp.arguments(auth_schemas.AuditQuerySchema, location="query")
    @blp.response(200, auth_schemas.PlatformAuditEntrySchema(many=True))
    @requires(OPERATOR)
    def get(self, query: dict[str, Any]) -> Any:
        """The platform's audit log: operator actions, newest first"""
        return audit.platform_entries(_platform().identity.uow(None), limit=query["limit"])
