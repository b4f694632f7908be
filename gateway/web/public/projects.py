"""Projects: a searchable, filterable, paginated list, and a page per project with its units."""

from __future__ import annotations

from uuid import UUID

from flask import render_template, request

from gateway.ledger.context import views
from gateway.web.public import bp
from gateway.web.public.common import PAGE_SIZE, found, hidden_fields, optional_int, page_number

FILTERS = {"sector": "sector", "type": "project_type", "methodology": "methodology", "status": "status"}


@bp.get("/registries/<registry>/projects")
def projects() -> str:
    text = request.args.get("q", "").strip() or None
    filters = {column: request.args[arg] for arg, column in FILTERS.items() if request.args.get(arg)}
    if request.args.get("country"):
        filters["country"] = request.args["country"].strip().upper()
    vintage = optional_int("vintage")
    page = views().search_projects(text, filters, vintage, page_number(), PAGE_SIZE)
    return render_template("web/public/projects.html", page=page, facets=views().project_facets(), args=request.args)


@bp.get("/registries/<registry>/projects/<uuid:project_id>")
def project(project_id: UUID) -> str:
    record = found(views().project(project_id), "project")
    blocks = views().project_blocks(project_id)
    return render_template(
        "web/public/project.html",
        project=record,
        issuances=views().issuances(project_id, 1, 100).items,
        blocks=blocks,
        issued=sum(block.quantity for block in blocks),
        retirements=views().project_transactions(project_id, "retirement"),
        hidden=hidden_fields(),
    )
