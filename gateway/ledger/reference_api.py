"""Reference data of one registry: cooperative approaches, projects, issuances and authorized entities."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.auth.access import requires
from gateway.auth.principal import Role
from gateway.ledger.context import IDEMPOTENCY_PARAMETER, actor_id, handle_record, unknown, views
from gateway.ledger.schemas import reference as s
from gateway.ledger.schemas.common import page_body
from services.ledger.domain import commands
from services.ledger.domain.reference import ApproachStatus, CreditingPeriod, Location, ProjectStatus
from services.ledger.domain.values import VintageQuantity

blp = Blueprint(
    "ledger_reference",
    __name__,
    url_prefix="/api/v1/registries/<string:registry>",
    description="Ledger reference data: cooperative approaches, projects, issuances, authorized entities",
)
ADMIN = Role.REGISTRY_ADMIN
READERS = (Role.REGISTRY_ADMIN, Role.AUDITOR, Role.AUTHORIZING_OFFICER, Role.APPROVER, Role.ACCOUNT_REPRESENTATIVE)
KEYED = {"parameters": [IDEMPOTENCY_PARAMETER]}


def _found(record: Any, what: str) -> Any:
    if record is None:
        raise unknown(what)
    return record


@blp.route("/cooperative-approaches")
class Approaches(MethodView):
    @blp.arguments(s.ApproachQuery, location="query")
    @blp.response(200, s.ApproachPage)
    @requires(*READERS)
    def get(self, query: dict[str, Any]) -> Any:
        """Cooperative approaches recorded in this registry"""
        return page_body(views().approaches(query.get("status"), query["page"], query["page_size"]))

    @blp.arguments(s.ApproachCreateSchema)
    @blp.response(201, s.ApproachSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN)
    def post(self, body: dict[str, Any]) -> Any:
        """Record a cooperative approach, or its new name, Parties or status"""
        result = handle_record(
            commands.RecordCooperativeApproach(
                actor_id=actor_id(),
                cooperative_approach_id=body["cooperative_approach_id"],
                name=body["name"],
                participating_parties=frozenset(body["participating_parties"]),
                status=ApproachStatus(body["status"]),
            )
        )
        return views().approach(result.record_id)


@blp.route("/cooperative-approaches/<string:approach_id>")
class ApproachById(MethodView):
    @blp.response(200, s.ApproachSchema)
    @requires(*READERS)
    def get(self, approach_id: str) -> Any:
        """One cooperative approach"""
        return _found(views().approach(approach_id), "cooperative approach")


@blp.route("/projects")
class Projects(MethodView):
    @blp.arguments(s.ProjectQuery, location="query")
    @blp.response(200, s.ProjectPage)
    @requires(*READERS)
    def get(self, query: dict[str, Any]) -> Any:
        """Mitigation activities (projects), with their CAD Trust fields"""
        filters = {k: v for k, v in query.items() if k not in ("page", "page_size")}
        return page_body(views().projects(filters, query["page"], query["page_size"]))

    @blp.arguments(s.ProjectCreateSchema)
    @blp.response(201, s.ProjectSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN)
    def post(self, body: dict[str, Any]) -> Any:
        """Record a mitigation activity (project)"""
        details = {
            **body,
            "status": ProjectStatus(body["status"]),
            "locations": tuple(Location(**location) for location in body["locations"]),
            "links": tuple(body["links"]),
            "crediting_periods": tuple(CreditingPeriod(**period) for period in body["crediting_periods"]),
        }
        command = commands.RecordProject(actor_id=actor_id(), **details)
        return views().project(UUID(handle_record(command).record_id))


@blp.route("/projects/<uuid:project_id>")
class ProjectById(MethodView):
    @blp.response(200, s.ProjectSchema)
    @requires(*READERS)
    def get(self, project_id: UUID) -> Any:
        """One mitigation activity (project)"""
        return _found(views().project(project_id), "project")


@blp.route("/issuances")
class Issuances(MethodView):
    @blp.arguments(s.IssuanceQuery, location="query")
    @blp.response(200, s.IssuancePage)
    @requires(*READERS)
    def get(self, query: dict[str, Any]) -> Any:
        """Issuances: verified quantities per vintage of a project's monitoring period"""
        return page_body(views().issuances(query.get("project_id"), query["page"], query["page_size"]))

    @blp.arguments(s.IssuanceCreateSchema)
    @blp.response(201, s.IssuanceSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN)
    def post(self, body: dict[str, Any]) -> Any:
        """Record a verification: the quantity per vintage that units may be issued against"""
        quantities = tuple(VintageQuantity(q["vintage"], q["quantity"]) for q in body["quantities"])
        command = commands.RecordIssuance(actor_id=actor_id(), **{**body, "quantities": quantities})
        return views().issuance(UUID(handle_record(command).record_id))


@blp.route("/issuances/<uuid:issuance_id>")
class IssuanceById(MethodView):
    @blp.response(200, s.IssuanceSchema)
    @requires(*READERS)
    def get(self, issuance_id: UUID) -> Any:
        """One issuance"""
        return _found(views().issuance(issuance_id), "issuance")


@blp.route("/authorized-entities")
class Entities(MethodView):
    @blp.arguments(s.EntityQuery, location="query")
    @blp.response(200, s.EntityPage)
    @requires(*READERS)
    def get(self, query: dict[str, Any]) -> Any:
        """Entities authorized under a cooperative approach (AEF Table 5)"""
        filters = {k: v for k, v in query.items() if k not in ("page", "page_size")}
        return page_body(views().entities(filters, query["page"], query["page_size"]))

    @blp.arguments(s.EntityCreateSchema)
    @blp.response(201, s.EntitySchema)
    @blp.doc(**KEYED)
    @requires(ADMIN, Role.AUTHORIZING_OFFICER)
    def post(self, body: dict[str, Any]) -> Any:
        """Record an entity authorized under a cooperative approach"""
        command = commands.RecordAuthorizedEntity(actor_id=actor_id(), **body)
        return views().entity(UUID(handle_record(command).record_id))


@blp.route("/authorized-entities/<uuid:entity_id>")
class EntityById(MethodView):
    @blp.response(200, s.EntitySchema)
    @requires(*READERS)
    def get(self, entity_id: UUID) -> Any:
        """One authorized entity"""
        return _found(views().entity(entity_id), "authorized entity")
