"""The public explorer: a registry's projects, units, retirements and authorizations, without login."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("web_public", __name__, template_folder="templates")

from gateway.web.public import authorizations, overview, projects, receipts, retirements, units  # noqa: E402
from gateway.web.public.common import template_helpers  # noqa: E402

bp.context_processor(template_helpers)

__all__ = ["authorizations", "bp", "overview", "projects", "receipts", "retirements", "units"]
