from __future__ import annotations

from flask import Response
from flask_smorest import Api as SmorestApi
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

from gateway.errors import from_http_exception


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    code = fields.String(required=True, metadata={"description": "stable check or error code"})
    detail = fields.String(required=True, metadata={"description": "what went wrong and what to do next"})
    field = fields.String(metadata={"description": "the request field the problem concerns"})
    request_id = fields.String()
    errors = fields.Dict()


class Api(SmorestApi):  # type: ignore[misc]
    """flask-smorest Api whose HTTP errors are problem+json."""

    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error: HTTPException) -> Response:
        return from_http_exception(error)
