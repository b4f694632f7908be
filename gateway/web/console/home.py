"""Console home: what needs the signed-in person's attention."""

from __future__ import annotations

from flask import render_template

from gateway.auth.access import current_principal, requires
from gateway.ledger.context import views
from gateway.web.console import bp
from gateway.web.console.common import (
    APPROVER,
    READERS,
    account_names,
    holder_accounts,
    visible_account_count,
    visible_accounts,
)
from gateway.web.console.pending import pending_movements
from services.ledger.api import TransactionFilter


@bp.get("/")
@requires(*READERS, session=True)
def home() -> str:
    principal = current_principal()
    own = holder_accounts()
    awaiting = None
    if principal.has_any(APPROVER):
        awaiting = views().transactions(TransactionFilter(status="awaiting_approval"), 1, 5)
    recent = views().transactions(TransactionFilter(holder_accounts=own), 1, 10)
    every_account = visible_accounts()
    return render_template(
        "web/console/home.html",
        awaiting=awaiting,
        recent=recent,
        accounts=every_account[:10],
        account_count=visible_account_count(),
        pending_count=len(pending_movements()),
        names=account_names(every_account),
    )
