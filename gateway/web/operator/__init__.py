"""The operator console: the hosted registries, onboarding and platform health."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("web_operator", __name__, url_prefix="/operator", template_folder="templates")
