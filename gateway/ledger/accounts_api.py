"""Accounts of one registry: open, list, status, holdings now and in the past, statements."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.auth.access import requires
from gateway.auth.principal import Role
from gateway.auth.realm import realm_uow
from gateway.errors import Problem
from gateway.ledger.context import (
    IDEMPOTENCY_PARAMETER,
    actor_id,
    handle_record,
    platform,
    representative_scope,
    unknown,
    uow,
    views,
)
from gateway.ledger.schemas import accounts as s
from gateway.ledger.schemas.common import page_body
from services.identity.domain.errors import UserNotFound
from services.identity.service_layer import organizations
from services.ledger.api import Page
from services.ledger.domain import catalogue, commands
from services.ledger.domain.accounts import Account, AccountStatus, AccountType, OimpAction
from services.ledger.domain.values import Metric
from services.ledger.service_layer import queries
from services.ledger.service_layer.ports import AbstractLedgerUnitOfWork, Guard

blp = Blueprint(
    "ledger_accounts",
    __name__,
    url_prefix="/api/v1/registries/<string:registry>",
    description="Ledger accounts, holdings and statements",
)
ADMIN = Role.REGISTRY_ADMIN
READERS = (Role.REGISTRY_ADMIN, Role.AUDITOR, Role.AUTHORIZING_OFFICER, Role.APPROVER, Role.ACCOUNT_REPRESENTATIVE)
BEGINNING = datetime(2000, 1, 1, tzinfo=UTC)


def visible_account(account_id: UUID) -> Account:
    """The account, if the caller may see it: a representative sees only its organization's accounts."""
    account = views().account(account_id)
    scope = representative_scope()
    if account is None or (scope is not None and account.holder_id != scope):
        raise unknown("account")
    return account


def acting_from(account_id: UUID) -> tuple[Guard, ...]:
    """A representative acts only from its organization's accounts; others answer 404 like missing ones.
    The command checks it first in its own transaction. For everyone else, an unknown account is the
    ledger's to refuse, with its check code."""
    scope = representative_scope()
    if scope is None:
        return ()

    def held_by_the_representative(uow: AbstractLedgerUnitOfWork) -> None:
        account = uow.accounts.get_many([account_id]).get(account_id)
        if account is None or account.holder_id != scope:
            raise unknown("account")

    return (held_by_the_representative,)


def _check_holder(holder_id: UUID | None) -> None:
    if holder_id is None:
        return
    try:
        organizations.get_organization(holder_id, realm_uow())
    except UserNotFound:
        raise Problem(
            422,
            catalogue.ACCOUNT_EXISTS.code,
            f"There is no organization {holder_id} in this registry. Register the organization first "
            "(POST .../organizations), then open its account.",
            title="Check failed",
            field="holder_id",
        ) from None


@blp.route("/accounts")
class Accounts(MethodView):
    @blp.arguments(s.AccountQuery, location="query")
    @blp.response(200, s.AccountPage)
    @requires(*READERS)
    def get(self, query: dict[str, Any]) -> Any:
        """Accounts; a representative sees its organization's accounts only"""
        filters = {k: v for k, v in query.items() if k not in ("page", "page_size")}
        scope = representative_scope()
        if scope is not None:
            if filters.get("holder_id", scope) != scope:
                return page_body(Page([], query["page"], query["page_size"], 0))
            filters["holder_id"] = scope
        return page_body(views().accounts(filters, query["page"], query["page_size"]))

    @blp.arguments(s.AccountCreateSchema)
    @blp.response(201, s.AccountSchema)
    @blp.doc(parameters=[IDEMPOTENCY_PARAMETER])
    @requires(ADMIN)
    def post(self, body: dict[str, Any]) -> Any:
        """Open an account of a type: holding, issuance, NDC use, OIMP, cancellation, retirement, external"""
        _check_holder(body.get("holder_id"))
        metric_name = body.pop("non_ghg_metric", None)
        oimp_action = body.pop("oimp_action", None)
        command = commands.OpenAccount(
            actor_id=actor_id(),
            **{**body, "account_type": AccountType(body["account_type"])},
            metric=Metric.ghg() if metric_name is None else Metric.non_ghg(metric_name),
            oimp_action=None if oimp_action is None else OimpAction(oimp_action),
        )
        return views().account(UUID(handle_record(command).record_id))


@blp.route("/accounts/<uuid:account_id>")
class AccountById(MethodView):
    @blp.response(200, s.AccountSchema)
    @requires(*READERS)
    def get(self, account_id: UUID) -> Any:
        """One account"""
        return visible_account(account_id)


@blp.route("/accounts/<uuid:account_id>/status")
class AccountStatusChange(MethodView):
    @blp.arguments(s.AccountStatusSchema)
    @blp.response(200, s.AccountSchema)
    @blp.doc(parameters=[IDEMPOTENCY_PARAMETER])
    @requires(ADMIN)
    def post(self, body: dict[str, Any], account_id: UUID) -> Any:
        """Open, suspend or close an account; only open accounts move units, a closed one stays closed"""
        visible_account(account_id)
        command = commands.ChangeAccountStatus(
            actor_id=actor_id(), account_id=account_id, status=AccountStatus(body["status"])
        )
        handle_record(command)
        return views().account(account_id)


@blp.route("/accounts/<uuid:account_id>/holdings")
class AccountHoldings(MethodView):
    @blp.arguments(s.HoldingsQuery, location="query")
    @blp.response(200, s.HoldingsSchema)
    @requires(*READERS)
    def get(self, query: dict[str, Any], account_id: UUID) -> Any:
        """Units held by cooperative approach and vintage, now or as of a past moment"""
        visible_account(account_id)
        as_of = query.get("as_of")
        if as_of is not None and as_of > platform().ledger.clock.now():
            raise Problem(
                422, "request.invalid", "as_of is in the future: leave it out for today's holdings", field="as_of"
            )
        return queries.holdings(uow(), account_id, as_of)


@blp.route("/accounts/<uuid:account_id>/statement")
class AccountStatement(MethodView):
    @blp.arguments(s.StatementQuery, location="query")
    @blp.response(200, s.StatementSchema)
    @requires(*READERS)
    def get(self, query: dict[str, Any], account_id: UUID) -> Any:
        """Units in and out of the account between two moments, with running balances"""
        visible_account(account_id)
        start = query.get("start", BEGINNING)
        end = query.get("end") or platform().ledger.clock.now()
        if start >= end:
            raise Problem(422, "request.invalid", "start must come before end: swap them", field="start")
        return queries.statement(uow(), account_id, start, end)
