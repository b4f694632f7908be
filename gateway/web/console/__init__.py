"""The registry console: administrators, officers and account holders, signed in with the code flow + PKCE."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("web_console", __name__, url_prefix="/registries/<string:registry>/console", template_folder="templates")
