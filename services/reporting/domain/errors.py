"""Refusals of the reporting context: a stable code, the field at fault and what to do instead."""

from __future__ import annotations


class ReportingError(Exception):
    status = 422

    def __init__(self, code: str, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.field = field


class Conflict(ReportingError):
    status = 409


class NotFound(ReportingError):
    status = 404
