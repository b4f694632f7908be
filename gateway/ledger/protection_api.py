"""Account protection of one registry: trusted accounts, limits, freezes, pending movements and release.

Accounts are named by id or by number. A representative reads its organization's accounts' trusted lists
and pending movements, proposes, approves (a second person) and removes trusted accounts, and cancels its
pending movements (POST .../transactions/{id}/cancellation); only administrators change limits and freezes
and release movements held over a limit. Every change is in the registry's audit log.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.auth.access import requires
from gateway.auth.principal import Role
from gateway.auth.realm import realm_uow
from gateway.ledger.accounts_api import acting_from
from gateway.ledger.context import (
    IDEMPOTENCY_PARAMETER,
    actor_id,
    handle,
    handle_transaction,
    ledger_tenant,
    platform,
    representative_scope,
    unknown,
    uow,
    views,
)
from gateway.ledger.schemas import actions as action_schemas
from gateway.ledger.schemas import protection as s
from gateway.ledger.transactions_api import transaction_view, visible_transaction
from services.identity.domain.errors import UserNotFound
from services.identity.service_layer import organizations
from services.ledger.bootstrap import protection_settings
from services.ledger.domain import catalogue, commands
from services.ledger.domain.accounts import Account
from services.ledger.domain.errors import failed
from services.ledger.domain.protection import Freeze
from services.ledger.domain.transactions import TransactionStatus
from services.ledger.service_layer import protection_queries
from services.ledger.service_layer.protection_queries import AccountProtection, TrustedEntry
from services.ledger.service_layer.results import TransactionResult
from services.ledger.service_layer.views import TransactionFilter

blp = Blueprint(
    "ledger_protection",
    __name__,
    url_prefix="/api/v1/registries/<string:registry>",
    description="Account protection: trusted accounts, limits, freezes, pending movements and their release",
)
ADMIN, REPRESENTATIVE = Role.REGISTRY_ADMIN, Role.ACCOUNT_REPRESENTATIVE
READERS = (Role.REGISTRY_ADMIN, Role.AUDITOR, Role.AUTHORIZING_OFFICER, Role.APPROVER, Role.ACCOUNT_REPRESENTATIVE)
HOLDERS = (ADMIN, REPRESENTATIVE)
KEYED = {"parameters": [IDEMPOTENCY_PARAMETER]}
PENDING = (TransactionStatus.AWAITING_APPROVAL, TransactionStatus.AWAITING_RELEASE, TransactionStatus.DELAYED)


def visible(account: str) -> Account:
    """The account named by id or number, if the caller may see it (a representative: its organization's)."""
    found = None
    try:
        found = views().account(UUID(account))
    except ValueError:
        with uow() as unit_of_work:
            found = unit_of_work.accounts.by_number(account)
    scope = representative_scope()
    if found is None or (scope is not None and found.holder_id != scope):
        raise unknown("account")
    return found


def _audit(control: str, subject: str) -> None:
    g.audit_detail = {"control": control, "subject": subject}


def _protection(account: Account) -> AccountProtection:
    now = platform().ledger.clock.now()
    return protection_queries.account_protection(uow(), account.id, account.holder_id, now)


def _trusted(entry: TrustedEntry) -> dict[str, Any]:
    e = entry.entry
    return {
        **e.__dict__,
        "account_number": e.counterparty.account_number,
        "registry_id": e.counterparty.registry_id,
        "status": entry.status,
    }


def _trusted_list(account: Account) -> dict[str, Any]:
    return {"account_id": account.id, "items": [_trusted(e) for e in _protection(account).trusted]}


@blp.route("/accounts/<string:account>/trusted-accounts")
class TrustedAccounts(MethodView):
    @blp.response(200, s.TrustedAccountListSchema)
    @requires(*READERS)
    def get(self, account: str) -> Any:
        """The holding account's trusted list: proposed, approved (active from `active_from`) and active entries"""
        return _trusted_list(visible(account))

    @blp.arguments(s.TrustedAccountCreateSchema)
    @blp.response(201, s.TrustedAccountListSchema)
    @blp.doc(**KEYED)
    @requires(*HOLDERS)
    def post(self, body: dict[str, Any], account: str) -> Any:
        """Propose a trusted account; a second person approves it, and it is active only after the registry's
        trusted-account delay (LDG-083, LDG-084)"""
        found = visible(account)
        _audit("trusted_account.proposed", str(found.number))
        command = commands.ProposeTrustedAccount(actor_id=actor_id(), account_id=found.id, **body)
        handle(command, acting_from(found.id))
        return _trusted_list(found)


@blp.route("/accounts/<string:account>/trusted-accounts/<uuid:entry_id>/approval")
class TrustedAccountApproval(MethodView):
    @blp.response(200, s.TrustedAccountListSchema)
    @blp.doc(**KEYED)
    @requires(*HOLDERS, Role.APPROVER)
    def post(self, account: str, entry_id: UUID) -> Any:
        """Approve a proposed trusted account: not by the person who proposed it (LDG-084)"""
        found = visible(account)
        _audit("trusted_account.approved", str(found.number))
        command = commands.ApproveTrustedAccount(actor_id=actor_id(), account_id=found.id, trusted_account_id=entry_id)
        handle(command, acting_from(found.id))
        return _trusted_list(found)


@blp.route("/accounts/<string:account>/trusted-accounts/<uuid:entry_id>")
class TrustedAccountById(MethodView):
    @blp.response(200, s.TrustedAccountListSchema)
    @blp.doc(**KEYED)
    @requires(*HOLDERS)
    def delete(self, account: str, entry_id: UUID) -> Any:
        """Remove a trusted account, at once"""
        found = visible(account)
        _audit("trusted_account.removed", str(found.number))
        command = commands.RemoveTrustedAccount(actor_id=actor_id(), account_id=found.id, trusted_account_id=entry_id)
        handle(command, acting_from(found.id))
        return _trusted_list(found)


def _limits(account: Account) -> dict[str, Any]:
    settings = protection_settings(ledger_tenant().settings)
    return {
        "account_id": account.id,
        "account": _protection(account).limits,
        "registry": settings.limits,
        "on_limit": settings.on_limit.value,
    }


@blp.route("/accounts/<string:account>/limits")
class AccountLimits(MethodView):
    @blp.response(200, s.AccountLimitsSchema)
    @requires(*READERS)
    def get(self, account: str) -> Any:
        """The account's own limits and the registry's; the tighter of each applies"""
        return _limits(visible(account))

    @blp.arguments(s.LimitsSchema)
    @blp.response(200, s.AccountLimitsSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN)
    def put(self, body: dict[str, Any], account: str) -> Any:
        """Set the account's limits per transfer, per 24 hours and on transfers per 24 hours (LDG-087 to 089)"""
        found = visible(account)
        _audit("limits.set", str(found.number))
        handle(commands.SetAccountLimits(actor_id=actor_id(), account_id=found.id, **body))
        return _limits(found)


def _freeze_state(subject_id: UUID, freeze: Freeze | None, organization: Freeze | None = None) -> dict[str, Any]:
    return {
        "subject_id": subject_id,
        "frozen": freeze is not None or organization is not None,
        "freeze": freeze,
        "organization_freeze": organization,
    }


def _account_freeze(account: Account) -> dict[str, Any]:
    protection = _protection(account)
    return _freeze_state(account.id, protection.freeze, protection.organization_freeze)


@blp.route("/accounts/<string:account>/freeze")
class AccountFreeze(MethodView):
    @blp.response(200, s.FreezeStateSchema)
    @requires(*READERS)
    def get(self, account: str) -> Any:
        """Whether the account, or its organization, is frozen, why and since when"""
        return _account_freeze(visible(account))

    @blp.arguments(s.FreezeCreateSchema)
    @blp.response(200, s.FreezeStateSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN)
    def post(self, body: dict[str, Any], account: str) -> Any:
        """Freeze the account: nothing moves out, everything still reads (LDG-080)"""
        found = visible(account)
        _audit("account.frozen", str(found.number))
        handle(commands.FreezeAccount(actor_id=actor_id(), account_id=found.id, reason=body["reason"]))
        return _account_freeze(found)

    @blp.response(200, s.FreezeStateSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN)
    def delete(self, account: str) -> Any:
        """Ask to unfreeze the account; a second administrator's same call lifts the freeze (LDG-092)"""
        found = visible(account)
        _audit("account.unfrozen", str(found.number))
        handle(commands.UnfreezeAccount(actor_id=actor_id(), account_id=found.id))
        return _account_freeze(found)


def known_organization(organization_id: UUID) -> UUID:
    """An organization of this registry; any other answers 404 like a missing one."""
    try:
        organizations.get_organization(organization_id, realm_uow())
    except UserNotFound:
        raise unknown("organization") from None
    return organization_id


def _organization_freeze(organization_id: UUID) -> dict[str, Any]:
    return _freeze_state(organization_id, protection_queries.organization_freeze(uow(), organization_id))


@blp.route("/organizations/<uuid:organization_id>/freeze")
class OrganizationFreeze(MethodView):
    @blp.response(200, s.FreezeStateSchema)
    @requires(ADMIN, Role.AUDITOR)
    def get(self, organization_id: UUID) -> Any:
        """Whether the organization is frozen"""
        return _organization_freeze(known_organization(organization_id))

    @blp.arguments(s.FreezeCreateSchema)
    @blp.response(200, s.FreezeStateSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN)
    def post(self, body: dict[str, Any], organization_id: UUID) -> Any:
        """Freeze every account of the organization: nothing moves out of them (LDG-081)"""
        known_organization(organization_id)
        _audit("organization.frozen", str(organization_id))
        command = commands.FreezeOrganization(
            actor_id=actor_id(), organization_id=organization_id, reason=body["reason"]
        )
        handle(command)
        return _organization_freeze(organization_id)

    @blp.response(200, s.FreezeStateSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN)
    def delete(self, organization_id: UUID) -> Any:
        """Ask to unfreeze the organization; a second administrator's same call lifts the freeze (LDG-092)"""
        known_organization(organization_id)
        _audit("organization.unfrozen", str(organization_id))
        handle(commands.UnfreezeOrganization(actor_id=actor_id(), organization_id=organization_id))
        return _organization_freeze(organization_id)


@blp.route("/accounts/<string:account>/pending-movements")
class PendingMovements(MethodView):
    @blp.response(200, action_schemas.TransactionPage)
    @requires(*READERS)
    def get(self, account: str) -> Any:
        """Movements out of the account that wait for approval, release or their delay; each can be cancelled"""
        found = visible(account)
        items = []
        for status in PENDING:
            page = views().transactions(TransactionFilter(status=status.value, account_id=found.id), 1, 200)
            items += [t for t in page.items if t.source_account_id == found.id]
        items.sort(key=lambda t: t.proposed_at, reverse=True)
        return {"items": [transaction_view(t) for t in items], "page": 1, "page_size": 200, "total": len(items)}


@blp.route("/transactions/<uuid:transaction_id>/release")
class Release(MethodView):
    @blp.response(200, action_schemas.TransactionResultSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN)
    def post(self, transaction_id: UUID) -> TransactionResult:
        """Release a movement held over a limit: it goes on to approval, its delay or execution (LDG-090)"""
        visible_transaction(transaction_id)
        _audit("transaction.released", str(transaction_id))
        return handle_transaction(commands.ReleaseTransaction(actor_id=actor_id(), transaction_id=transaction_id))


@blp.route("/transactions/<uuid:transaction_id>/release-rejection")
class ReleaseRejection(MethodView):
    @blp.arguments(action_schemas.ReasonSchema)
    @blp.response(200, action_schemas.TransactionResultSchema)
    @blp.doc(**KEYED)
    @requires(ADMIN)
    def post(self, body: dict[str, Any], transaction_id: UUID) -> TransactionResult:
        """Reject a movement held over a limit; its units are released to the account"""
        if visible_transaction(transaction_id).status is not TransactionStatus.AWAITING_RELEASE:
            raise failed(catalogue.HELD_FOR_RELEASE, "The transaction is not held for release.", "transaction_id")
        _audit("transaction.release_rejected", str(transaction_id))
        command = commands.RejectTransaction(actor_id=actor_id(), transaction_id=transaction_id, reason=body["reason"])
        return handle_transaction(command)
