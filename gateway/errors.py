"""Every error leaves the API as RFC 9457 problem+json with a stable code."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, g, has_request_context, json
from werkzeug.exceptions import HTTPException

from gateway.training.errors import TrainingRefused
from services.shared.db.reachability import Unreachable
from tenants.domain.errors import DuplicateTenant, InvalidTenant, TenantNotFound, TenantStateConflict

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger(__name__)
# The web pages register one (status, code, detail) -> HTML response, or None for a non-page request.
ErrorPage = Callable[[int, str, str], Response | None]

_DEFAULT_CODES = {
    400: "request.malformed",
    401: "auth.unauthenticated",
    403: "auth.forbidden",
    404: "resource.not_found",
    405: "request.method_not_allowed",
    409: "resource.conflict",
    413: "request.too_large",
    415: "request.unsupported_media_type",
    422: "request.invalid",
    429: "request.rate_limited",
    500: "server.error",
    503: "server.unavailable",
}
DATABASE_RETRY_AFTER_S = 2


class Problem(Exception):
    """An expected failure with a stable code and a message that says what to do next."""

    def __init__(self, status: int, code: str, detail: str, *, title: str | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.title = title
        self.extra = extra


def problem_response(status: int, code: str, detail: str, *, title: str | None = None, **extra: Any) -> Response:
    body: dict[str, Any] = {
        "type": f"/problems/{code}",
        "title": title or _title(status),
        "status": status,
        "code": code,
        "detail": detail,
    }
    request_id = g.get("request_id")
    if request_id:
        body["request_id"] = request_id
    body.update({k: v for k, v in extra.items() if v is not None})
    page = _error_page(status, code, detail)
    if page is not None:
        return page
    return Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)


def _error_page(status: int, code: str, detail: str) -> Response | None:
    """People on the web pages get an HTML error page; API clients always get problem+json."""
    if not has_request_context():
        return None
    render: ErrorPage | None = current_app.extensions.get("web.error_page")
    return render(status, code, detail) if render is not None else None


def not_found(what: str = "resource") -> Problem:
    # One wording for missing and foreign objects, so a response never tells them apart.
    return Problem(404, "resource.not_found", f"no such {what}: check the identifier and the registry in the path")


def from_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    errors = data.get("messages") if isinstance(data, dict) else None
    detail = error.description or _title(status)
    if status == 422:
        detail = "the request does not match the schema: correct the fields listed in 'errors'"
    response = problem_response(status, _DEFAULT_CODES.get(status, "request.error"), detail, errors=errors)
    for header, value in getattr(error, "get_headers", lambda: [])() or []:
        if header.lower() in ("retry-after", "allow", "www-authenticate"):
            response.headers[header] = value
    return response


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(Problem, _handle_problem)
    app.register_error_handler(TenantNotFound, lambda e: problem_response(404, "tenant.not_found", str(e)))
    app.register_error_handler(InvalidTenant, lambda e: problem_response(422, "tenant.invalid", str(e)))
    app.register_error_handler(DuplicateTenant, lambda e: problem_response(409, "tenant.duplicate", str(e)))
    app.register_error_handler(TenantStateConflict, lambda e: problem_response(409, "tenant.state_conflict", str(e)))
    app.register_error_handler(TrainingRefused, lambda e: problem_response(e.status, e.code, str(e)))
    app.register_error_handler(Exception, _handle_unexpected)


def _handle_problem(error: Problem) -> Response:
    return problem_response(error.status, error.code, error.detail, title=error.title, **error.extra)


def _handle_unexpected(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        return from_http_exception(error)
    if isinstance(error, Unreachable):
        return _database_unavailable(error)
    log.exception("unhandled error")
    return problem_response(500, "server.error", "an unexpected error occurred; quote the request id to the operator")


def _database_unavailable(error: Exception) -> Response:
    """The database could not be reached or a connection broke (a restart): nothing of the request was committed."""
    log.warning("database unavailable: %s", getattr(error, "orig", error))
    response = problem_response(
        503,
        "database.unavailable",
        f"the database was unavailable: send the same request again in {DATABASE_RETRY_AFTER_S} seconds, with the "
        "same Idempotency-Key, which returns the first result if this one took effect after all",
    )
    response.headers["Retry-After"] = str(DATABASE_RETRY_AFTER_S)
    return response


def _title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
