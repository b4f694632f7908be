"""The start page, a registry's landing page with its totals and charts, and the glossary."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from flask import render_template
from flask_babel import format_date
from flask_babel import gettext as _

from gateway.bootstrap import current_platform
from gateway.ledger.context import views
from gateway.tenancy import current_tenant
from gateway.web.i18n import quantity
from gateway.web.public import bp, glossary
from gateway.web.public.charts import Bar, bar_chart

CHARTED = {"issuance": "issued", "retirement": "retired"}
MAX_MONTHS = 24  # beyond two years of activity the charts count by year


@bp.get("/")
def registries() -> str:
    served = [t for t in current_platform().catalogue.list() if t.is_served]
    return render_template("web/public/registries.html", registries=served)


@bp.get("/registries/<registry>/")
def landing() -> str:
    totals = {"projects": views().search_projects(None, {}, None, 1, 1).total, **views().unit_totals()}
    periods = _periods(views().monthly_issued() + views().monthly_quantities(["retirement"]))
    charts = {
        "issued": _chart(
            "issued", _("Units issued"), _("Units issued per period, by date of issuance"), periods, "issuance"
        ),
        "retired": _chart(
            "retired", _("Units retired"), _("Units retired per period, by date of retirement"), periods, "retirement"
        ),
    }
    return render_template(
        "web/public/landing.html", tenant=current_tenant(), totals=totals, periods=periods, charts=charts
    )


def _periods(rows: list[tuple[str, int, int, int]]) -> list[dict[str, Any]]:
    """Each period's label and units per transaction type, by month, or by year over long spans."""
    by_month = len({(year, month) for _type, year, month, _q in rows}) <= MAX_MONTHS
    sums: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: dict.fromkeys(CHARTED, 0))
    for kind, year, month, units in rows:
        sums[(year, month if by_month else 0)][kind] += units
    return [
        {"label": format_date(date(year, month, 1), "MMM y") if month else str(year), **units}
        for (year, month), units in sorted(sums.items())
    ]


def _chart(chart_id: str, title: str, description: str, periods: list[dict[str, Any]], kind: str) -> Any:
    bars = [Bar(p["label"], p[kind], quantity(p[kind])) for p in periods]
    return bar_chart(chart_id, title, description, bars)


@bp.get("/glossary")
def glossary_page() -> str:
    return render_template("web/public/glossary.html", terms=glossary.terms())
