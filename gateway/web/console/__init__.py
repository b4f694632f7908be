"""The registry console: administrators, officers and account holders, signed in with the code flow + PKCE."""

from __future__ import annotations

from flask import Blueprint

from gateway.web.login import add_login_routes

bp = Blueprint("web_console", __name__, url_prefix="/registries/<string:registry>/console", template_folder="templates")
add_login_routes(bp)

# The page modules attach their routes to `bp` when imported.
from gateway.web.console import (  # noqa: E402
    audit,
    cadt_setup,
    cadt_status,
    onboarding,
    pages,
    people,
    protection_settings,
    reports,
    tenant_settings,
    webhooks,
)

__all__ = [
    "audit",
    "bp",
    "cadt_setup",
    "cadt_status",
    "onboarding",
    "pages",
    "people",
    "protection_settings",
    "reports",
    "tenant_settings",
    "webhooks",
]
