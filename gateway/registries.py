from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from gateway.tenancy import current_tenant

blp = Blueprint("registries", __name__, url_prefix="/api/v1/registries", description="Hosted national registries")


class RegistrySchema(Schema):
    code = fields.String(required=True, metadata={"description": "URL slug of the registry"})
    name = fields.String(required=True)
    party = fields.String(required=True, metadata={"description": "ISO 3166-1 alpha-3 code of the Party"})
    registry_id = fields.String(required=True, metadata={"description": "Party ITMO registry id, e.g. GHA01"})
    status = fields.String(required=True)
    is_demo = fields.Boolean(required=True, metadata={"description": "true for demonstration data"})
    kind = fields.String(required=True, metadata={"description": "production or training"})


@blp.route("/<string:registry>")
class Registry(MethodView):
    @blp.response(200, RegistrySchema)
    def get(self) -> Any:
        """Public facts about one hosted registry"""
        tenant = current_tenant()
        return {
            "code": tenant.code,
            "name": tenant.name,
            "party": tenant.party,
            "registry_id": tenant.registry_id,
            "status": tenant.status.value,
            "is_demo": tenant.is_demo,
            "kind": tenant.kind.value,
        }
