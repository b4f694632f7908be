"""Retirements: the list, newest first, and a permanent page per retirement."""

from __future__ import annotations

from uuid import UUID

from flask import render_template

from gateway.ledger.context import views
from gateway.web.public import bp
from gateway.web.public.common import PAGE_SIZE, found, hidden_fields, page_number
from services.ledger.api import TransactionFilter

RETIREMENT = TransactionFilter(type="retirement", status="completed")


@bp.get("/registries/<registry>/retirements")
def retirements() -> str:
    page = views().transactions(RETIREMENT, page_number(), PAGE_SIZE)
    return render_template("web/public/retirements.html", page=page, hidden=hidden_fields())


@bp.get("/registries/<registry>/retirements/<uuid:retirement_id>")
def retirement(retirement_id: UUID) -> str:
    record = views().transaction(retirement_id)
    if record is not None and (record.type != "retirement" or record.status != "completed"):
        record = None
    return render_template("web/public/retirement.html", retirement=found(record, "retirement"), hidden=hidden_fields())
