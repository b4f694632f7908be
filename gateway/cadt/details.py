"""Project details the ledger does not carry, recorded by registry administrators for CAD Trust.

They become the project's v1 child tables (labels, estimations, projectRatings, coBenefits,
relatedProjects, projectLocations); labels for authorizations are derived from the ledger and shown
beside them. Saving details republishes the project.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from gateway.auth.access import requires
from gateway.auth.principal import Role
from gateway.cadt.api import _store, blp
from gateway.errors import Problem
from gateway.inputs.fields import Integer
from services.cadt.domain import details, mapping
from services.cadt.domain.model import Kind, SyncRecord
from services.cadt.service_layer.ports import SettingsStore

TEXT = validate.Length(min=1, max=1000)
ROWS = validate.Length(max=100)


class CadtLabelSchema(Schema):
    label = fields.String(required=True, validate=TEXT)
    label_type = fields.String(required=True, metadata={"description": "CAD Trust labelType picklist"})
    crediting_period_start = fields.Date(required=True)
    crediting_period_end = fields.Date(required=True)
    validity_period_start = fields.Date(required=True)
    validity_period_end = fields.Date(required=True)
    unit_quantity = Integer(required=True, strict=True, validate=validate.Range(min=0))
    label_link = fields.Url(required=True)


class CadtEstimationSchema(Schema):
    crediting_period_start = fields.Date(required=True)
    crediting_period_end = fields.Date(required=True)
    unit_count = Integer(required=True, strict=True, validate=validate.Range(min=0))


class CadtRatingSchema(Schema):
    rating_type = fields.String(required=True, metadata={"description": "CAD Trust ratingType picklist"})
    rating_range_lowest = fields.String(required=True, validate=TEXT)
    rating_range_highest = fields.String(required=True, validate=TEXT)
    rating = fields.String(required=True, validate=TEXT)
    rating_link = fields.Url(required=True)


class CadtCoBenefitSchema(Schema):
    cobenefit = fields.String(required=True, metadata={"description": "CAD Trust coBenefits picklist"})


class CadtRelatedProjectSchema(Schema):
    related_project_id = fields.String(required=True, validate=TEXT)
    relationship_type = fields.String(validate=validate.Length(max=1000))
    registry = fields.String(validate=validate.Length(max=1000))


class CadtLocationSchema(Schema):
    country = fields.String(required=True, metadata={"description": "CAD Trust countries picklist"})
    geographic_identifier = fields.String(required=True, validate=TEXT)
    in_country_region = fields.String(validate=validate.Length(max=1000))


def _rows(schema: type[Schema], description: str) -> Any:
    return fields.List(fields.Nested(schema), load_default=list, validate=ROWS, metadata={"description": description})


class CadtDetailsSchema(Schema):
    labels = _rows(CadtLabelSchema, "labels beyond those derived from authorizations (e.g. letters of approval)")
    estimations = _rows(CadtEstimationSchema, "estimated units per crediting period")
    ratings = _rows(CadtRatingSchema, "projectRatings")
    co_benefits = _rows(CadtCoBenefitSchema, "coBenefits")
    related_projects = _rows(CadtRelatedProjectSchema, "relatedProjects")
    locations = _rows(CadtLocationSchema, "projectLocations; none recorded means the host country")


class CadtDetailsOutSchema(Schema):
    labels = fields.List(fields.Dict(), required=True)
    estimations = fields.List(fields.Dict(), required=True)
    ratings = fields.List(fields.Dict(), required=True)
    co_benefits = fields.List(fields.Dict(), required=True)
    related_projects = fields.List(fields.Dict(), required=True)
    locations = fields.List(fields.Dict(), required=True)
    project_id = fields.String(required=True)
    derived_labels = fields.List(
        fields.Dict(), required=True, metadata={"description": "CAD Trust labels derived from authorizations"}
    )
    status = fields.String(required=True, metadata={"description": "the project's CAD Trust sync status"})


def _project(store: SettingsStore, project_id: UUID) -> SyncRecord:
    project = store.get(Kind.PROJECT, str(project_id))
    if project is None:
        raise Problem(404, "cadt.project_not_found", "No such project in this registry's CAD Trust records.")
    return project


def _view(store: SettingsStore, project: SyncRecord, recorded: dict[str, Any] | None) -> dict[str, Any]:
    connection = store.connection()
    derived = details.authorization_labels(
        project,
        store.records(Kind.AUTHORIZATION),
        store.records(Kind.UNIT),
        lambda path: mapping.link(connection, path) if connection else path,
    )
    return details.empty() | (recorded or {}) | {
        "project_id": project.local_id, "derived_labels": derived, "status": project.status.value,
    }  # fmt: skip


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _refuse(found: list[Any]) -> Problem:
    first = found[0]
    code = "cadt.not_on_picklist" if first.allowed else "cadt.invalid_period"
    detail = "; ".join(p.describe() for p in found) + ". Correct these values and send the details again."
    return Problem(422, code, detail, field=first.field, problems=[p.to_dict() for p in found])


@blp.route("/projects/<uuid:project_id>/details")
class CadtProjectDetails(MethodView):
    @blp.response(200, CadtDetailsOutSchema)
    @requires(Role.REGISTRY_ADMIN)
    def get(self, project_id: UUID) -> Any:
        """The project's details for CAD Trust: recorded ones and labels derived from authorizations"""
        store = _store()
        project = _project(store, project_id)
        return _view(store, project, store.details(project.local_id))

    @blp.arguments(CadtDetailsSchema)
    @blp.response(200, CadtDetailsOutSchema)
    @requires(Role.REGISTRY_ADMIN)
    def put(self, body: dict[str, Any], project_id: UUID) -> Any:
        """Replace the project's details for CAD Trust (checked against its picklists) and republish it"""
        store = _store()
        project = _project(store, project_id)
        recorded = _plain(body)
        found = details.problems(recorded, store.cached_picklists())
        if found:
            raise _refuse(found)
        store.save_details(project.local_id, recorded)
        project.refresh(project.data)
        store.save(project)
        store.retry_soon()
        return _view(store, project, recorded)
