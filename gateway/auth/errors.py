"""Problems that carry response headers: WWW-Authenticate on 401, Retry-After on 429."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response

from gateway.errors import Problem, problem_response


class HeaderProblem(Problem):
    def __init__(self, status: int, code: str, detail: str, headers: dict[str, str], **extra: Any) -> None:
        super().__init__(status, code, detail, **extra)
        self.headers = headers


def unauthenticated(code: str, detail: str) -> HeaderProblem:
    error = "invalid_request" if code == "auth.token_missing" else "invalid_token"
    return HeaderProblem(401, code, detail, {"WWW-Authenticate": f'Bearer error="{error}"'})


def forbidden(detail: str, code: str = "auth.forbidden") -> Problem:
    return Problem(403, code, detail)


def rate_limited(retry_after: int, scope: str) -> HeaderProblem:
    detail = f"too many requests for this {scope}: wait {retry_after} s before trying again"
    return HeaderProblem(429, "request.rate_limited", detail, {"Retry-After": str(retry_after)})


def register(app: Flask) -> None:
    app.register_error_handler(HeaderProblem, _handle)


def _handle(error: HeaderProblem) -> Response:
    response = problem_response(error.status, error.code, error.detail, title=error.title, **error.extra)
    response.headers.update(error.headers)
    return response
