"""Accounts: the list the signed-in person may see, and an account's holdings and statement."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from flask import render_template, request
from flask_babel import gettext as _

from gateway.auth.access import current_principal, requires
from gateway.ledger.accounts_api import BEGINNING, visible_account
from gateway.ledger.context import platform, representative_scope, uow, views
from gateway.web.console import bp
from gateway.web.console.common import ADMIN, PAGE_SIZE, READERS, page_number, parse_day
from services.ledger.service_layer import queries


@bp.get("/accounts")
@requires(*READERS, session=True)
def accounts() -> str:
    scope = representative_scope()
    filters = {} if scope is None else {"holder_id": scope}
    page = views().accounts(filters, page_number(), PAGE_SIZE)
    may_open = current_principal().has_any(ADMIN)
    return render_template("web/console/accounts.html", page=page, may_open=may_open)


@bp.get("/accounts/<uuid:account_id>")
@requires(*READERS, session=True)
def account(account_id: UUID) -> tuple[str, int]:
    found = visible_account(account_id)
    errors: dict[str, str] = {}
    start, end = _period(errors)
    holdings = queries.holdings(uow(), account_id)
    with uow() as unit_of_work:
        blocks = unit_of_work.blocks.held_by(account_id)
    statement = queries.statement(uow(), account_id, start, end) if not errors else None
    html = render_template(
        "web/console/account.html",
        account=found,
        holdings=holdings,
        blocks=blocks,
        statement=statement,
        errors=errors,
        period={"start": request.args.get("start", ""), "end": request.args.get("end", "")},
    )
    return html, 422 if errors else 200


def _period(errors: dict[str, str]) -> tuple[datetime, datetime]:
    now = platform().ledger.clock.now()
    try:
        start = parse_day(request.args.get("start")) or BEGINNING
    except ValueError:
        errors["start"] = _("Enter a date as YYYY-MM-DD.")
        start = BEGINNING
    try:
        end = min(parse_day(request.args.get("end"), end_of_day=True) or now, now)
    except ValueError:
        errors["end"] = _("Enter a date as YYYY-MM-DD.")
        end = now
    if not errors and start >= end:
        errors["start"] = _("The start must come before the end: swap them.")
    return start.astimezone(UTC), end.astimezone(UTC)
