"""What the registry console's pages share: roles, the page root, navigation, labels and form values."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from uuid import UUID

from flask import request
from flask_babel import lazy_gettext as _l

from gateway.auth.access import current_principal, optional_principal
from gateway.auth.principal import Principal, Role
from gateway.inputs.limits import PAGE_MAX, whole_number
from gateway.ledger.context import representative_scope, views
from gateway.tenancy import current_tenant
from gateway.web.console import bp
from gateway.web.public.common import TYPE_LABELS, label
from services.ledger.domain.accounts import Account

ADMIN, OFFICER, APPROVER = Role.REGISTRY_ADMIN, Role.AUTHORIZING_OFFICER, Role.APPROVER
AUDITOR, REPRESENTATIVE = Role.AUDITOR, Role.ACCOUNT_REPRESENTATIVE
READERS = (ADMIN, AUDITOR, OFFICER, APPROVER, REPRESENTATIVE)
PAGE_SIZE = 25

# Navigation: (path under the console, label, roles that can use the page; empty = every reader).
NAV: tuple[tuple[str, Any, tuple[Role, ...]], ...] = (
    ("/", _l("Home"), ()),
    ("/accounts", _l("Accounts"), ()),
    ("/actions", _l("Actions"), (ADMIN, OFFICER, REPRESENTATIVE)),
    ("/approvals", _l("Approvals"), (APPROVER,)),
    ("/pending", _l("Pending movements"), ()),
    ("/transactions", _l("Transactions"), ()),
    ("/reports", _l("Reports"), (ADMIN, AUDITOR)),
    ("/cadt", _l("CAD Trust"), (ADMIN, AUDITOR)),
    ("/audit", _l("Audit log"), (ADMIN, AUDITOR)),
    ("/people", _l("People"), (ADMIN, AUDITOR)),
    ("/webhooks", _l("Webhooks"), (ADMIN, AUDITOR, REPRESENTATIVE)),
    ("/settings", _l("Settings"), (ADMIN,)),
)
STATUS_LABELS = {
    "proposed": _l("Proposed"),
    "checked": _l("Checked"),
    "awaiting_approval": _l("Awaiting approval"),
    "awaiting_release": _l("Awaiting release"),
    "delayed": _l("Delayed"),
    "awaiting_acceptance": _l("Awaiting acceptance"),
    "completed": _l("Completed"),
    "rejected": _l("Rejected"),
    "cancelled": _l("Cancelled"),
    "terminated": _l("Terminated"),
}
ACCOUNT_TYPE_LABELS = {
    "issuance": _l("Issuance"),
    "party_holding": _l("Party holding"),
    "entity_holding": _l("Entity holding"),
    "ndc_use": _l("NDC use"),
    "oimp": _l("OIMP"),
    "voluntary_cancellation": _l("Voluntary cancellation"),
    "omge_cancellation": _l("OMGE cancellation"),
    "retirement": _l("Retirement"),
    "external": _l("External (another registry)"),
}
STATE_LABELS = {
    "active": _l("held"),
    "pending_out": _l("reserved"),
    "used": _l("used"),
    "cancelled": _l("cancelled"),
    "retired": _l("retired"),
}


def root() -> str:
    return f"/registries/{current_tenant().code}/console"


def nav_items(principal: Principal | None) -> list[tuple[str, Any]]:
    if principal is None:
        return []
    return [(path, text) for path, text, roles in NAV if not roles or principal.has_any(*roles)]


@bp.context_processor
def _console_context() -> dict[str, Any]:
    return {
        "console_root": root(),
        "console_nav": nav_items(optional_principal()),
        "type_label": lambda value: label(TYPE_LABELS, value),
        "status_label": lambda value: label(STATUS_LABELS, value),
        "account_type_label": lambda value: label(ACCOUNT_TYPE_LABELS, value),
        "state_label": lambda value: label(STATE_LABELS, value),
    }


def visible_accounts(limit: int = 500) -> list[Account]:
    """The accounts the signed-in person sees: all of them, or a representative's organization's."""
    scope = representative_scope()
    filters = {} if scope is None else {"holder_id": scope}
    return list(views().accounts(filters, 1, limit).items)


def visible_account_count() -> int:
    """How many accounts the signed-in person sees, counted by the database (not the length of a page)."""
    scope = representative_scope()
    return views().accounts({} if scope is None else {"holder_id": scope}, 1, 1).total


def account_names(accounts: list[Account]) -> dict[UUID, str]:
    return {a.id: f"{a.number} · {a.name}" for a in accounts}


def holder_accounts() -> frozenset[UUID] | None:
    scope = representative_scope()
    return None if scope is None else frozenset(views().accounts_of_holder(scope))


def is_representative_only() -> bool:
    return representative_scope(current_principal()) is not None


def page_number() -> int:
    return whole_number(request.args.get("page", "1"), PAGE_MAX) or 1


def parse_day(value: str | None, end_of_day: bool = False) -> datetime | None:
    """A date from a form (YYYY-MM-DD) as an aware UTC moment: its start, or its end for an 'until' bound."""
    if not value:
        return None
    day = date.fromisoformat(value)
    return datetime.combine(day, time.max if end_of_day else time.min, tzinfo=UTC)
