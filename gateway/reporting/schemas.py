"""Request and response bodies of the reporting API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.reporting.adapters.exports import FORMATS


class AefRequest(Schema):
    year = fields.Integer(required=True, validate=validate.Range(min=1990, max=9999), metadata={"example": 2025})
    reason = fields.String(
        load_default=None,
        validate=validate.Length(max=2000),
        metadata={"description": "why a closed year is corrected; required for a correction (version 1.1 and later)"},
    )


class AefListQuery(Schema):
    year = fields.Integer(load_default=None, validate=validate.Range(min=1990, max=9999))


class DownloadQuery(Schema):
    format = fields.String(load_default="xlsx", validate=validate.OneOf(sorted(FORMATS)))


class Finding(Schema):
    table = fields.String()
    row = fields.Integer()
    column = fields.String()
    problem = fields.String()
    fix = fields.String()


class Job(Schema):
    id = fields.UUID()
    year = fields.Integer()
    version = fields.String()
    reason = fields.String(allow_none=True)
    requested_at = fields.DateTime()
    status = fields.String(metadata={"description": "queued, running, done or failed"})
    percent = fields.Integer()
    step = fields.String()
    passed = fields.Boolean(allow_none=True, metadata={"description": "false: the pre-submission checks failed"})
    findings = fields.List(fields.Nested(Finding), allow_none=True)
    error = fields.String(allow_none=True)
    links = fields.Dict(keys=fields.String(), values=fields.String())


class JobList(Schema):
    items = fields.List(fields.Nested(Job))


class PublicQuery(Schema):
    year = fields.Integer(load_default=None, validate=validate.Range(min=1990, max=9999))


class Rows(Schema):
    items = fields.List(fields.Dict())
    confidential_fields = fields.List(fields.String())
