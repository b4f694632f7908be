"""An account's protection: its trusted list (proposed, approved by a second person, active from a date),
its limits and its freeze, and its organization's freeze. Every reader of the account sees the page; the
forms run the ledger's commands as the API does, and a refused one is shown next to its form with its code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from flask import flash, g, redirect, render_template, request
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError

from gateway.auth.access import current_principal, requires
from gateway.errors import Problem
from gateway.ledger.accounts_api import visible_account
from gateway.ledger.context import actor_id, check_status, handle_record, platform, uow
from gateway.ledger.schemas.protection import FreezeCreateSchema, LimitsSchema, TrustedAccountCreateSchema
from gateway.web.console import bp
from gateway.web.console.common import ADMIN, APPROVER, READERS, REPRESENTATIVE, root
from gateway.web.console.forms import schema_errors
from services.ledger.domain import commands
from services.ledger.domain.accounts import HOLDING_TYPES, Account
from services.ledger.domain.errors import CheckFailed
from services.ledger.service_layer import protection_queries
from services.ledger.service_layer.protection_queries import AccountProtection
from services.shared.messages import Command

TRUSTED_EDITORS = (ADMIN, REPRESENTATIVE)
TRUSTED_APPROVERS = (ADMIN, APPROVER, REPRESENTATIVE)
LIMIT_FIELDS = (
    ("per_transfer", _l("Units per transfer")),
    ("per_24_hours", _l("Units in any 24 hours")),
    ("transfers_per_24_hours", _l("Transfers in any 24 hours")),
)
DONE = {
    "trusted": _l("The trusted account is proposed: a second person approves it."),
    "trusted-approve": _l("The trusted account is approved: it is active from the date shown."),
    "trusted-remove": _l("The trusted account is removed."),
    "limits": _l("The account's limits are saved."),
    "freeze": _l("The account is frozen: nothing moves out of it."),
    "unfreeze": _l("The unfreeze is asked: a second administrator lifts the freeze."),
    "unfrozen": _l("The freeze is lifted."),
    "organization-freeze": _l("The organization is frozen: nothing moves out of its accounts."),
    "organization-unfreeze": _l("The unfreeze is asked: a second administrator lifts the freeze."),
}


@dataclass(frozen=True)
class Refusal:
    """A refused form: which one (`form`, and the trusted entry for a row's), what to do, and the code."""

    form: str
    message: str
    code: str
    entry: UUID | None = None


def protection_of(account: Account) -> AccountProtection:
    now = platform().ledger.clock.now()
    return protection_queries.account_protection(uow(), account.id, account.holder_id, now)


def _holding_account(account_id: UUID) -> Account:
    account = visible_account(account_id)
    if account.type not in HOLDING_TYPES:
        raise Problem(404, "resource.not_found", "only holding accounts have a trusted list, limits and freezes")
    return account


def _page(account: Account, refusal: Refusal | None = None, status: int = 200) -> tuple[str, int]:
    principal = current_principal()
    html = render_template(
        "web/console/protection.html",
        account=account,
        protection=protection_of(account),
        me=actor_id(),
        may_edit_trusted=principal.has_any(*TRUSTED_EDITORS),
        may_approve_trusted=principal.has_any(*TRUSTED_APPROVERS),
        is_admin=principal.has_any(ADMIN),
        limit_fields=LIMIT_FIELDS,
        refusal=refusal,
        values=request.form if refusal else {},
    )
    return html, status


@bp.get("/accounts/<uuid:account_id>/protection")
@requires(*READERS, session=True)
def protection(account_id: UUID) -> tuple[str, int]:
    return _page(_holding_account(account_id))


class Refused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


def _run(form: str, account_id: UUID, build: Callable[[Account], Command], entry: UUID | None = None) -> Any:
    """Run the command of one form; answer the page with the refusal next to that form, or go back to it."""
    account = _holding_account(account_id)
    g.audit_detail = {"control": form, "subject": str(entry or account_id)}
    try:
        result = handle_record(build(account))
    except Refused as refused:
        return _page(account, refused.refusal, 422)
    except CheckFailed as error:
        return _page(account, Refusal(form, error.message, error.code, entry), check_status(error))
    flash(str(DONE["unfrozen" if result.kind == "unfrozen" else form]), "ok")
    return redirect(f"{root()}/accounts/{account_id}/protection", 303)


def _form(schema: type[Schema], form: str, names: tuple[str, ...]) -> dict[str, Any]:
    """The submitted fields, loaded by the API's schema; empty ones are left out (None: no value)."""
    data = {name: request.form.get(name, "").strip() or None for name in names}
    try:
        loaded: dict[str, Any] = schema().load({k: v for k, v in data.items() if v is not None})
    except ValidationError as error:
        message = " ".join(f"{name}: {text}" for name, text in schema_errors(error.messages).items())
        raise Refused(Refusal(form, message, "request.invalid")) from error
    return loaded


@bp.post("/accounts/<uuid:account_id>/trusted")
@requires(*TRUSTED_EDITORS, session=True)
def propose_trusted(account_id: UUID) -> Any:
    def build(account: Account) -> Command:
        body = _form(TrustedAccountCreateSchema, "trusted", ("account_number", "registry_id"))
        return commands.ProposeTrustedAccount(actor_id=actor_id(), account_id=account.id, **body)

    return _run("trusted", account_id, build)


@bp.post("/accounts/<uuid:account_id>/trusted/<uuid:entry_id>/approve")
@requires(*TRUSTED_APPROVERS, session=True)
def approve_trusted(account_id: UUID, entry_id: UUID) -> Any:
    command = commands.ApproveTrustedAccount(actor_id=actor_id(), account_id=account_id, trusted_account_id=entry_id)
    return _run("trusted-approve", account_id, lambda _account: command, entry_id)


@bp.post("/accounts/<uuid:account_id>/trusted/<uuid:entry_id>/remove")
@requires(*TRUSTED_EDITORS, session=True)
def remove_trusted(account_id: UUID, entry_id: UUID) -> Any:
    command = commands.RemoveTrustedAccount(actor_id=actor_id(), account_id=account_id, trusted_account_id=entry_id)
    return _run("trusted-remove", account_id, lambda _account: command, entry_id)


@bp.post("/accounts/<uuid:account_id>/limits")
@requires(ADMIN, session=True)
def set_limits(account_id: UUID) -> Any:
    def build(account: Account) -> Command:
        body = _form(LimitsSchema, "limits", tuple(name for name, _label in LIMIT_FIELDS))
        return commands.SetAccountLimits(actor_id=actor_id(), account_id=account.id, **body)

    return _run("limits", account_id, build)


@bp.post("/accounts/<uuid:account_id>/freeze")
@requires(ADMIN, session=True)
def freeze(account_id: UUID) -> Any:
    def build(account: Account) -> Command:
        reason = _form(FreezeCreateSchema, "freeze", ("reason",))["reason"]
        return commands.FreezeAccount(actor_id=actor_id(), account_id=account.id, reason=reason)

    return _run("freeze", account_id, build)


@bp.post("/accounts/<uuid:account_id>/unfreeze")
@requires(ADMIN, session=True)
def unfreeze(account_id: UUID) -> Any:
    return _run("unfreeze", account_id, lambda a: commands.UnfreezeAccount(actor_id=actor_id(), account_id=a.id))


@bp.post("/accounts/<uuid:account_id>/organization/freeze")
@requires(ADMIN, session=True)
def freeze_organization(account_id: UUID) -> Any:
    def build(account: Account) -> Command:
        reason = _form(FreezeCreateSchema, "organization-freeze", ("reason",))["reason"]
        return _organization_command(account, reason)

    return _run("organization-freeze", account_id, build)


@bp.post("/accounts/<uuid:account_id>/organization/unfreeze")
@requires(ADMIN, session=True)
def unfreeze_organization(account_id: UUID) -> Any:
    return _run("organization-unfreeze", account_id, lambda a: _organization_command(a, None))


def _organization_command(account: Account, reason: str | None) -> Command:
    if account.holder_id is None:
        raise Problem(404, "resource.not_found", "this account has no holding organization")
    if reason is None:
        return commands.UnfreezeOrganization(actor_id=actor_id(), organization_id=account.holder_id)
    return commands.FreezeOrganization(actor_id=actor_id(), organization_id=account.holder_id, reason=reason)
