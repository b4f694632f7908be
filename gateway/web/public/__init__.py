"""The public explorer: a registry's projects, units, retirements and authorizations, without login."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

bp = Blueprint("web_public", __name__, template_folder="templates")


@bp.get("/")
def registries() -> str:
    served = [t for t in current_app.extensions["registry"].catalogue.list() if t.is_served]
    return render_template("web/public/registries.html", registries=served)
