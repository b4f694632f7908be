from __future__ import annotations

import http
import json
import re
from collections.abc import Callable
from typing import Any

from apispec import BasePlugin
from flask import Response, current_app, render_template, request, url_for
from flask_smorest import Api as SmorestApi
from flask_smorest.utils import prepare_response
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

from gateway.errors import PROBLEM_JSON, from_http_exception

WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})


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


def problem_statuses(path: str, method: str, operation: dict[str, Any]) -> set[int]:
    """The 4xx answers an operation can give: every request passes the request guard (400, 414); a
    signed-in one is charged and checked (401, 403, 429); a path names something (404); a write can
    conflict, be too large or not match its schema (409, 413, 422), as can a query (422)."""
    statuses = {400, 414}
    security = operation.get("security")
    if security:
        statuses.add(429)
        if {} not in security:
            statuses |= {401, 403}
    if "{" in path:
        statuses.add(404)
    if method in WRITE_METHODS:
        statuses |= {409, 413, 422}
    if any(parameter.get("in") == "query" for parameter in operation.get("parameters", [])):
        statuses.add(422)
    return statuses


class OperationIdsPlugin(BasePlugin):
    """Names every operation, so generated clients get functions like `post_domestic_transfers` rather
    than names made of the whole path: `{method}_{view}`, with the blueprint in front where two
    blueprints answer the same method on a view of the same name (`post_ledger_reference_issuances`)."""

    def __init__(self) -> None:
        self.views: dict[tuple[str, str], tuple[str, str]] = {}

    def operation_helper(self, path: str | None = None, operations: Any = None, **kwargs: Any) -> None:
        blueprint, _, view = kwargs["rule"].endpoint.rpartition(".")
        for method in operations or {}:
            self.views[(path or "", method)] = (blueprint, _snake(view))

    def operation_ids(self) -> dict[tuple[str, str], str]:
        owners: dict[tuple[str, str], set[str]] = {}
        for (_path, method), (blueprint, view) in self.views.items():
            owners.setdefault((method, view), set()).add(blueprint)
        return {
            (path, method): f"{method}_{blueprint}_{view}" if len(owners[(method, view)]) > 1 else f"{method}_{view}"
            for (path, method), (blueprint, view) in self.views.items()
        }


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _nullable_enums_as_any_of(node: Any) -> None:
    """`{"type": ["string", "null"], "enum": [..., null]}` becomes `anyOf` a string enum or null: the same
    values, in the form client generators turn into one enum type (openapi-python-client made three)."""
    if isinstance(node, list):
        for item in node:
            _nullable_enums_as_any_of(item)
        return
    if not isinstance(node, dict):
        return
    types, choices = node.get("type"), node.get("enum")
    if isinstance(types, list) and "null" in types and isinstance(choices, list) and None in choices:
        kinds = [kind for kind in types if kind != "null"]
        values = [value for value in choices if value is not None]
        del node["type"], node["enum"]
        node["anyOf"] = [{"type": kinds[0] if len(kinds) == 1 else kinds, "enum": values}, {"type": "null"}]
    for value in node.values():
        _nullable_enums_as_any_of(value)


class ProblemResponsesPlugin(BasePlugin):
    """Documents on every operation the problem+json answers it can give."""

    def operation_helper(self, path: str | None = None, operations: Any = None, **_kwargs: Any) -> None:
        for method, operation in (operations or {}).items():
            responses = operation.setdefault("responses", {})
            for status in sorted(problem_statuses(path or "", method, operation)):
                responses.setdefault(str(status), http.HTTPStatus(status).name)


DocumentHook = Callable[[dict[str, Any]], dict[str, Any]]


class Api(SmorestApi):  # type: ignore[misc]
    """flask-smorest Api whose HTTP errors are problem+json, and documented as such.

    `served_document` hooks complete the document per request with what changes while the platform runs
    (the realms people sign in to); `docs_oauth` gives the API docs page its OAuth client settings."""

    ERROR_SCHEMA = ProblemSchema

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        spec_kwargs = kwargs.setdefault("spec_kwargs", {})
        self.operation_ids = OperationIdsPlugin()
        plugins = [ProblemResponsesPlugin(), self.operation_ids]
        spec_kwargs["extra_plugins"] = [*spec_kwargs.get("extra_plugins", ()), *plugins]
        self.served_document: list[DocumentHook] = []
        self.docs_oauth: Callable[[], dict[str, Any]] = dict
        super().__init__(*args, **kwargs)

    def document(self) -> dict[str, Any]:
        """The OpenAPI document as served now."""
        document: dict[str, Any] = self.spec.to_dict()
        for (path, method), operation_id in self.operation_ids.operation_ids().items():
            document["paths"][path][method]["operationId"] = operation_id
        _nullable_enums_as_any_of(document)
        for hook in self.served_document:
            document = hook(document)
        return document

    def _openapi_json(self) -> Response:
        response: Response = current_app.response_class(
            json.dumps(self.document(), indent=2), mimetype="application/json"
        )
        return response

    def _openapi_swagger_ui(self) -> str:
        return render_template(
            "api_docs.html",
            title=self.spec.title,
            # `?registry=CODE` carries on to the document: that registry's sign-in only
            spec_url=url_for(
                f"{self._make_doc_blueprint_name()}.openapi_json", registry=request.args.get("registry") or None
            ),
            swagger_ui_url=self._swagger_ui_url,
            oauth=self.docs_oauth(),
        )

    def handle_http_exception(self, error: HTTPException) -> Response:
        return from_http_exception(error)

    def _register_responses(self) -> None:
        # flask-smorest documents errors as application/json; the API answers them as problem+json.
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            content_type = PROBLEM_JSON if status >= 400 else self.DEFAULT_RESPONSE_CONTENT_TYPE
            prepare_response(response, self.spec, content_type)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM_JSON)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, default, lazy=True)
