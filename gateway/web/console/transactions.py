"""Transactions: the filtered list with pages, one transaction's page, and CSV / XLSX exports of the list."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from flask import Response, flash, redirect, render_template, request
from flask_babel import gettext as _
from marshmallow import ValidationError
from werkzeug.wrappers import Response as Redirect

from gateway.auth.access import current_principal, requires
from gateway.auth.audit import audited_read
from gateway.ledger.context import actor_id, handle_transaction, views
from gateway.ledger.schemas.actions import ReasonSchema
from gateway.ledger.transactions_api import visible_transaction
from gateway.tenancy import current_tenant
from gateway.training.marks import EXPORT_MARK, mark_for
from gateway.web.console import bp
from gateway.web.console.common import (
    ADMIN,
    PAGE_SIZE,
    READERS,
    REPRESENTATIVE,
    account_names,
    holder_accounts,
    page_number,
    parse_day,
    root,
    visible_accounts,
)
from gateway.web.console.exports import csv_lines, rows_of, xlsx_bytes
from services.ledger.api import TransactionFilter
from services.ledger.domain import commands
from services.ledger.domain.errors import CheckFailed
from services.ledger.domain.transactions import Transaction, TransactionStatus, TransactionType

FILTERS = ("type", "status", "account_id", "from", "until")
CANCELLABLE = (TransactionStatus.AWAITING_APPROVAL, TransactionStatus.AWAITING_RELEASE, TransactionStatus.DELAYED)
EXPORT_LIMIT = 10_000


def _filter(errors: dict[str, str]) -> TransactionFilter:
    args = request.args
    chosen: dict[str, Any] = {}
    if args.get("type"):
        if args["type"] in {t.value for t in TransactionType}:
            chosen["type"] = args["type"]
        else:
            errors["type"] = _("Choose a type from the list.")
    if args.get("status"):
        if args["status"] in {s.value for s in TransactionStatus}:
            chosen["status"] = args["status"]
        else:
            errors["status"] = _("Choose a status from the list.")
    if args.get("account_id"):
        try:
            chosen["account_id"] = UUID(args["account_id"])
        except ValueError:
            errors["account_id"] = _("Choose an account from the list.")
    for name, key, end in (("from", "proposed_from", False), ("until", "proposed_until", True)):
        try:
            chosen[key] = parse_day(args.get(name), end_of_day=end)
        except ValueError:
            errors[name] = _("Enter a date as YYYY-MM-DD.")
    return TransactionFilter(**chosen, holder_accounts=holder_accounts())


def _query(**extra: Any) -> str:
    kept = {name: request.args[name] for name in FILTERS if request.args.get(name)}
    return urlencode(kept | extra)


@bp.get("/transactions")
@requires(*READERS, session=True)
def transactions() -> tuple[str, int]:
    errors: dict[str, str] = {}
    found = _filter(errors)
    page = views().transactions(found, page_number(), PAGE_SIZE)
    accounts = visible_accounts(limit=1000)
    html = render_template(
        "web/console/transactions.html",
        page=page,
        names=account_names(accounts),
        accounts=accounts,
        errors=errors,
        values={name: request.args.get(name, "") for name in FILTERS},
        types=[t.value for t in TransactionType],
        statuses=[s.value for s in TransactionStatus],
        query=_query(),
    )
    return html, 422 if errors else 200


@bp.get("/transactions/<uuid:transaction_id>")
@requires(*READERS, session=True)
def transaction(transaction_id: UUID) -> str:
    found = visible_transaction(transaction_id)
    names = account_names(visible_accounts(limit=1000))
    public = None
    if found.type == TransactionType.RETIREMENT and found.status == TransactionStatus.COMPLETED:
        public = f"/registries/{current_tenant().code}/retirements/{found.id}"
    may_cancel = found.status in CANCELLABLE and current_principal().has_any(ADMIN, REPRESENTATIVE)
    return render_template("web/console/transaction.html", t=found, names=names, public=public, may_cancel=may_cancel)


@bp.post("/transactions/<uuid:transaction_id>/cancel")
@requires(ADMIN, REPRESENTATIVE, session=True)
def cancel_transaction(transaction_id: UUID) -> Redirect:
    """Cancel a transaction that awaits approval or its delay, as the API does; its units are released."""
    visible_transaction(transaction_id)
    back = f"{root()}/transactions/{transaction_id}"
    try:
        body = ReasonSchema().load({"reason": request.form.get("reason", "").strip()})
        result = handle_transaction(
            commands.CancelTransaction(actor_id=actor_id(), transaction_id=transaction_id, reason=body["reason"])
        )
    except ValidationError:
        flash(_("Give the reason for the cancellation."), "error")
        return redirect(back, 303)
    except CheckFailed as error:
        flash(f"{error.message} ({error.code})", "error")
        return redirect(back, 303)
    flash(_("Transaction %(number)s: %(status)s.", number=result.number, status=str(result.status).replace("_", " ")))
    return redirect(back, 303)


def _all_filtered() -> list[Transaction]:
    found = _filter({})
    items: list[Transaction] = []
    number = 1
    while len(items) < EXPORT_LIMIT:
        page = views().transactions(found, number, 200)
        items.extend(page.items)
        if number * 200 >= page.total:
            break
        number += 1
    return items[:EXPORT_LIMIT]


def _filename(extension: str) -> str:
    return f"transactions-{current_tenant().code}.{extension}"


@bp.get("/transactions.csv")
@requires(*READERS, session=True)
def transactions_csv() -> Response:
    audited_read()
    rows = rows_of(_all_filtered(), account_names(visible_accounts(limit=1000)), text=True)
    return Response(
        csv_lines(rows, mark_for(current_tenant(), EXPORT_MARK)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{_filename("csv")}"'},
    )


@bp.get("/transactions.xlsx")
@requires(*READERS, session=True)
def transactions_xlsx() -> Response:
    audited_read()
    rows = rows_of(_all_filtered(), account_names(visible_accounts(limit=1000)), text=False)
    return Response(
        xlsx_bytes(rows, mark_for(current_tenant(), EXPORT_MARK)),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{_filename("xlsx")}"'},
    )
