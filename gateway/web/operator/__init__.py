"""The operator console: the hosted registries, onboarding and platform health."""

from __future__ import annotations

from flask import Blueprint

from gateway.web.login import add_login_routes

bp = Blueprint("web_operator", __name__, url_prefix="/operator", template_folder="templates")
add_login_routes(bp)

# The page modules attach their routes to `bp` when imported.
from gateway.web.operator import pages  # noqa: E402

__all__ = ["bp", "pages"]
