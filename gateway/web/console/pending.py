"""Pending movements: transactions out of the visible accounts that wait for approval, a delay or an
administrator's release, each with the moment it executes, why it waits (the check code of the control that
holds it) and a form to cancel it before then; administrators release one held over a limit."""

from __future__ import annotations

from uuid import UUID

from flask import flash, g, redirect, render_template, request
from flask_babel import gettext as _
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from gateway.auth.access import current_principal, requires
from gateway.ledger.context import actor_id, check_status, handle_transaction, views
from gateway.ledger.schemas.actions import ReasonSchema
from gateway.ledger.transactions_api import visible_transaction
from gateway.web.console import bp
from gateway.web.console.common import (
    ADMIN,
    READERS,
    REPRESENTATIVE,
    account_names,
    holder_accounts,
    root,
    visible_accounts,
)
from services.ledger.api import TransactionFilter
from services.ledger.domain import commands
from services.ledger.domain.errors import CheckFailed
from services.ledger.domain.transactions import Transaction, TransactionStatus
from services.shared.messages import Command

PENDING_STATUSES = (TransactionStatus.DELAYED, TransactionStatus.AWAITING_APPROVAL, TransactionStatus.AWAITING_RELEASE)
LISTED = 200  # per status; a registry under attack still fits on one page
Refusal = tuple[UUID, str, str]  # the transaction, the message and the check code shown next to it


def pending_movements() -> list[Transaction]:
    """Every pending transaction the signed-in person sees, the soonest to execute first."""
    own = holder_accounts()
    found: list[Transaction] = []
    for status in PENDING_STATUSES:
        found.extend(views().transactions(TransactionFilter(status=status, holder_accounts=own), 1, LISTED).items)
    return sorted(found, key=lambda t: (t.execute_after is None, t.execute_after or t.proposed_at))


def waits_because(transaction: Transaction) -> str | None:
    """What the control that holds the transaction said when it took its current status (e.g. LDG-086: ...)."""
    held = [change for change in transaction.history if change.status == transaction.status]
    return held[-1].reason if held else None


def _names(pending: list[Transaction]) -> dict[UUID, str]:
    """Number and name of the accounts the person sees; only the number of any other (abroad, another holder's)."""
    names = account_names(visible_accounts(limit=1000))
    for destination in {t.destination_account_id for t in pending} - set(names) - {None}:
        found = views().account(destination) if destination else None
        if found is not None:
            names[found.id] = str(found.number)
    return names


def _page(refusal: Refusal | None = None, status: int = 200) -> tuple[str, int]:
    pending = pending_movements()
    html = render_template(
        "web/console/pending.html",
        pending=pending,
        names=_names(pending),
        waits_because=waits_because,
        may_cancel=current_principal().has_any(ADMIN, REPRESENTATIVE),
        may_release=current_principal().has_any(ADMIN),
        refusal=refusal,
        reason=request.form.get("reason", "") if refusal else "",
    )
    return html, status


@bp.get("/pending")
@requires(*READERS, session=True)
def pending() -> tuple[str, int]:
    return _page()


@bp.post("/pending/<uuid:transaction_id>/cancel")
@requires(ADMIN, REPRESENTATIVE, session=True)
def cancel_pending(transaction_id: UUID) -> Response | tuple[str, int]:
    """Cancel as the transaction page does, but answer on this page, the refusal next to its row."""
    visible_transaction(transaction_id)
    try:
        body = ReasonSchema().load({"reason": request.form.get("reason", "").strip()})
    except ValidationError:
        return _page((transaction_id, _("Give the reason for the cancellation."), "request.invalid"), 422)
    command = commands.CancelTransaction(actor_id=actor_id(), transaction_id=transaction_id, reason=body["reason"])
    return _decided(transaction_id, command)


def _decided(transaction_id: UUID, command: Command) -> Response | tuple[str, int]:
    try:
        result = handle_transaction(command)
    except CheckFailed as error:
        return _page((transaction_id, error.message, error.code), check_status(error))
    flash(_("Transaction %(number)s: %(status)s.", number=result.number, status=str(result.status).replace("_", " ")))
    return redirect(f"{root()}/pending", 303)


@bp.post("/pending/<uuid:transaction_id>/release")
@requires(ADMIN, session=True)
def release_pending(transaction_id: UUID) -> Response | tuple[str, int]:
    """Release a movement held over a limit: it goes on to approval, its delay or execution."""
    visible_transaction(transaction_id)
    g.audit_detail = {"control": "transaction.released", "subject": str(transaction_id)}
    command = commands.ReleaseTransaction(actor_id=actor_id(), transaction_id=transaction_id)
    return _decided(transaction_id, command)
