"""CORS: closed unless a registry lists the origin in its `cors_origins` setting."""

from __future__ import annotations

from flask import Response, request

from gateway.auth.realm import path_tenant


def after_request(response: Response) -> Response:
    origin = request.headers.get("Origin")
    tenant = path_tenant()
    if not origin or tenant is None or origin not in tenant.settings.get("cors_origins", []):
        return response
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers.add("Vary", "Origin")
    response.headers["Access-Control-Expose-Headers"] = "X-Request-Id, Retry-After, X-Pagination, Registry-Kind"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, PATCH, DELETE"
        response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type, X-Request-Id"
        response.headers["Access-Control-Max-Age"] = "600"
    return response
