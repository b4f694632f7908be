"""A retirement's receipt (JSON and PDF) and the registry's public log page, without login."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from flask import Response, render_template, request
from flask_babel import gettext as _

from gateway.bootstrap import current_platform
from gateway.errors import Problem
from gateway.ledger.context import views
from gateway.tenancy import current_tenant
from gateway.training.marks import RECEIPT_MARK, mark_for
from gateway.web.public import bp
from gateway.web.public.common import found, hidden_fields
from gateway.web.public.receipt_pdf import receipt_pdf
from services.transparency.entrypoints.log_page import log_summary
from services.transparency.entrypoints.receipts import BeyondTree, NoCheckpoint, receipt_for


def _retirement(retirement_id: UUID) -> Any:
    record = views().transaction(retirement_id)
    if record is not None and (record.type != "retirement" or record.status != "completed"):
        record = None
    return found(record, "retirement")


def _receipt(record: Any) -> Any:
    tenant = current_tenant()
    database = current_platform().database
    try:
        return receipt_for(database, tenant.id, tenant.registry_id, record.journal_sequence)
    except (NoCheckpoint, BeyondTree):
        raise Problem(
            404,
            "transparency.not_yet_in_log",
            "the registry's log has not integrated this retirement yet: try again in a few seconds",
        ) from None


def _download(body: bytes, mimetype: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/registries/<registry>/retirements/<uuid:retirement_id>/receipt.json")
def retirement_receipt(retirement_id: UUID) -> Response:
    record = _retirement(retirement_id)
    body = json.dumps(_receipt(record), ensure_ascii=False, indent=2) + "\n"
    return _download(body.encode(), "application/json", f"receipt-{record.number}.json")


@bp.get("/registries/<registry>/retirements/<uuid:retirement_id>/receipt.pdf")
def retirement_receipt_pdf(retirement_id: UUID) -> Response:
    record = _retirement(retirement_id)
    receipt = _receipt(record)
    hidden = hidden_fields()
    facts = [
        (_("Registry"), f"{current_tenant().name} ({current_tenant().registry_id})"),
        (_("Retirement"), record.number),
        (_("Units retired"), f"{record.quantity:,}"),
        (_("Date"), record.executed_at.date().isoformat() if record.executed_at else ""),
        *[(_("Units"), f"{c.first_itmo_id} to {c.last_itmo_id}") for c in record.changes[:6]],
    ]
    if "beneficiary" not in hidden:
        facts.insert(2, (_("Beneficiary"), str(getattr(record.details, "beneficiary", None) or "")))
    url = request.url.removesuffix(".pdf") + ".json"
    title = _("Retirement receipt %(number)s", number=record.number)
    pdf = receipt_pdf(title, facts, receipt, url, mark_for(current_tenant(), RECEIPT_MARK))
    return _download(pdf, "application/pdf", f"receipt-{record.number}.pdf")


@bp.get("/registries/<registry>/log")
def transparency_log() -> str:
    tenant = current_tenant()
    summary = log_summary(current_platform().database, tenant.id)
    return render_template("web/public/log.html", log=summary)
