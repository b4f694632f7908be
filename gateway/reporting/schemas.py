"""Request and response bodies of the reporting API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from gateway.inputs.fields import Integer, Year
from services.reporting.bootstrap import EXPORT_FORMATS


class AefRequest(Schema):
    year = Year(required=True, metadata={"example": 2025})
    reason = fields.String(
        load_default=None,
        validate=validate.Length(max=2000),
        metadata={"description": "why a closed year is corrected; required for a correction (version 1.1 and later)"},
    )


class AefListQuery(Schema):
    year = Year(load_default=None)


class DownloadQuery(Schema):
    format = fields.String(load_default="xlsx", validate=validate.OneOf(sorted(EXPORT_FORMATS)))


class Finding(Schema):
    table = fields.String()
    row = Integer()
    column = fields.String()
    problem = fields.String()
    fix = fields.String()


class Job(Schema):
    id = fields.UUID()
    year = Year()
    version = fields.String()
    reason = fields.String(allow_none=True)
    requested_at = fields.DateTime()
    status = fields.String(metadata={"description": "queued, running, done or failed"})
    percent = Integer()
    step = fields.String()
    passed = fields.Boolean(allow_none=True, metadata={"description": "false: the pre-submission checks failed"})
    findings = fields.List(fields.Nested(Finding), allow_none=True)
    error = fields.String(allow_none=True)
    links = fields.Dict(keys=fields.String(), values=fields.String())


class JobList(Schema):
    items = fields.List(fields.Nested(Job))


class PublicQuery(Schema):
    year = Year(load_default=None)


class Rows(Schema):
    items = fields.List(fields.Dict())
    confidential_fields = fields.List(fields.String())
