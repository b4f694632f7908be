"""Approvals inbox: transactions held for a second person (four eyes), approved or rejected here."""

from __future__ import annotations

from uuid import UUID

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from gateway.auth.access import requires
from gateway.ledger.context import actor_id, handle_transaction, views
from gateway.ledger.schemas.actions import ReasonSchema
from gateway.ledger.transactions_api import visible_transaction
from gateway.web.console import bp
from gateway.web.console.common import APPROVER, PAGE_SIZE, account_names, page_number, root, visible_accounts
from gateway.web.console.forms import schema_errors
from services.ledger.api import TransactionFilter
from services.ledger.domain import catalogue, commands
from services.ledger.domain.errors import CheckFailed
from services.shared.messages import Command

AWAITING = TransactionFilter(status="awaiting_approval")


def _inbox(error: tuple[UUID, str, str] | None = None, status: int = 200) -> tuple[str, int]:
    page = views().transactions(AWAITING, page_number(), PAGE_SIZE)
    names = account_names(visible_accounts(limit=1000))
    reason = request.form.get("reason", "") if error else ""
    html = render_template("web/console/approvals.html", page=page, names=names, error=error, reason=reason)
    return html, status


@bp.get("/approvals")
@requires(APPROVER, session=True)
def approvals() -> tuple[str, int]:
    return _inbox()


def _decide(transaction_id: UUID, command: Command) -> Response | tuple[str, int]:
    try:
        result = handle_transaction(command)
    except CheckFailed as error:
        return _inbox(
            (transaction_id, error.message, error.code), 409 if error.code == catalogue.FOUR_EYES.code else 422
        )
    flash(_("Transaction %(number)s: %(status)s.", number=result.number, status=str(result.status).replace("_", " ")))
    return redirect(f"{root()}/approvals", 303)


@bp.post("/approvals/<uuid:transaction_id>/approve")
@requires(APPROVER, mfa="approvals", session=True)
def approve(transaction_id: UUID) -> Response | tuple[str, int]:
    visible_transaction(transaction_id)
    return _decide(transaction_id, commands.ApproveTransaction(actor_id=actor_id(), transaction_id=transaction_id))


@bp.post("/approvals/<uuid:transaction_id>/reject")
@requires(APPROVER, mfa="approvals", session=True)
def reject(transaction_id: UUID) -> Response | tuple[str, int]:
    visible_transaction(transaction_id)
    try:
        body = ReasonSchema().load({"reason": request.form.get("reason", "").strip()})
    except ValidationError as error:
        message = schema_errors(error.messages).get("reason", "")
        return _inbox((transaction_id, _("Give the reason for the rejection.") + " " + message, "request.invalid"), 422)
    command = commands.RejectTransaction(actor_id=actor_id(), transaction_id=transaction_id, reason=body["reason"])
    return _decide(transaction_id, command)
