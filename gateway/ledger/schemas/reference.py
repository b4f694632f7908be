"""Reference data: cooperative approaches, projects (CAD Trust fields), issuances, authorized entities."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from gateway.inputs.fields import Count, Integer, Year
from gateway.ledger.schemas.common import APPROACH_ID, PARTY, PageQuery, Strict, enum_field, page_of
from services.ledger.domain.reference import ApproachStatus, ProjectStatus


class ApproachCreateSchema(Strict):
    cooperative_approach_id = fields.String(
        required=True, validate=APPROACH_ID.validate, metadata={"description": "CARP id, CANNNN"}
    )
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    participating_parties = fields.List(PARTY, required=True, validate=validate.Length(min=2))
    status = enum_field(ApproachStatus, load_default=ApproachStatus.ACTIVE.value)


class ApproachSchema(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    participating_parties = fields.Method("_parties", required=True)
    status = fields.String(required=True)

    def _parties(self, approach: object) -> list[str]:
        return sorted(getattr(approach, "participating_parties", ()))


class ApproachQuery(PageQuery):
    status = enum_field(ApproachStatus)


class LocationSchema(Strict):
    country = fields.String(required=True, validate=PARTY.validate)
    region = fields.String(allow_none=True)
    geographic_identifier = fields.String(allow_none=True)


class CreditingPeriodSchema(Strict):
    start = fields.Date(required=True)
    end = fields.Date(required=True)


class ProjectCreateSchema(Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    developer = fields.String(required=True, validate=validate.Length(min=1, max=300))
    developer_id = fields.UUID(allow_none=True, metadata={"description": "the developer's organization, if any"})
    sector = fields.String(required=True, validate=validate.Length(min=1, max=200))
    project_type = fields.String(required=True, validate=validate.Length(min=1, max=200))
    methodology = fields.String(required=True, validate=validate.Length(min=1, max=300))
    status = enum_field(ProjectStatus, required=True, metadata={"description": "CAD Trust project status"})
    country = fields.String(required=True, validate=PARTY.validate)
    cooperative_approach_id = fields.String(allow_none=True, validate=APPROACH_ID.validate)
    locations = fields.List(fields.Nested(LocationSchema), load_default=list)
    links = fields.List(fields.Url(), load_default=list)
    crediting_periods = fields.List(fields.Nested(CreditingPeriodSchema), load_default=list)


class ProjectSchema(Schema):
    id = fields.UUID(required=True)
    name = fields.String(required=True)
    developer = fields.String(required=True)
    developer_id = fields.UUID(allow_none=True)
    sector = fields.String(required=True)
    project_type = fields.String(required=True)
    methodology = fields.String(required=True)
    status = fields.String(required=True)
    country = fields.String(required=True)
    cooperative_approach_id = fields.String(allow_none=True)
    locations = fields.List(fields.Nested(LocationSchema), required=True)
    links = fields.List(fields.String(), required=True)
    crediting_periods = fields.List(fields.Nested(CreditingPeriodSchema), required=True)


class ProjectQuery(PageQuery):
    status = enum_field(ProjectStatus)
    country = fields.String(validate=PARTY.validate)
    cooperative_approach_id = fields.String(validate=APPROACH_ID.validate)
    sector = fields.String()


class VintageQuantitySchema(Strict):
    vintage = Year(required=True)
    quantity = Count(required=True, strict=True)


class IssuanceCreateSchema(Strict):
    project_id = fields.UUID(required=True)
    monitoring_start = fields.Date(required=True)
    monitoring_end = fields.Date(required=True)
    verifier = fields.String(required=True, validate=validate.Length(min=1, max=300))
    verified_on = fields.Date(required=True)
    issued_on = fields.Date(required=True)
    quantities = fields.List(fields.Nested(VintageQuantitySchema), required=True, validate=validate.Length(min=1))


class IssuanceSchema(Schema):
    id = fields.UUID(required=True)
    project_id = fields.UUID(required=True)
    monitoring_start = fields.Date(required=True)
    monitoring_end = fields.Date(required=True)
    verifier = fields.String(required=True)
    verified_on = fields.Date(required=True)
    issued_on = fields.Date(required=True)
    quantities = fields.List(fields.Nested(VintageQuantitySchema), required=True)
    issued = fields.Dict(keys=fields.String(), values=Integer(), metadata={"description": "per vintage"})


class IssuanceQuery(PageQuery):
    project_id = fields.UUID()


class EntityCreateSchema(Strict):
    cooperative_approach_id = fields.String(required=True, validate=APPROACH_ID.validate)
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    country_of_incorporation = fields.String(required=True, validate=PARTY.validate)
    identification_number = fields.String(required=True, validate=validate.Length(min=1, max=100))
    authorized_on = fields.Date(required=True)
    organization_id = fields.UUID(allow_none=True, metadata={"description": "the organization in this registry"})
    conditions = fields.String(load_default="")
    change_conditions = fields.String(load_default="")


class EntitySchema(Schema):
    id = fields.UUID(required=True)
    cooperative_approach_id = fields.String(required=True)
    name = fields.String(required=True)
    country_of_incorporation = fields.String(required=True)
    identification_number = fields.String(required=True)
    authorized_on = fields.Date(required=True)
    organization_id = fields.UUID(allow_none=True)
    conditions = fields.String(required=True)
    change_conditions = fields.String(required=True)
    revoked_at = fields.DateTime(allow_none=True)


class EntityQuery(PageQuery):
    cooperative_approach_id = fields.String(validate=APPROACH_ID.validate)
    organization_id = fields.UUID()


ApproachPage = page_of(ApproachSchema, "ApproachPage")
ProjectPage = page_of(ProjectSchema, "ProjectPage")
IssuancePage = page_of(IssuanceSchema, "IssuancePage")
EntityPage = page_of(EntitySchema, "EntityPage")
