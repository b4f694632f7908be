"""Authorizations: versioned decisions of this Party on what its mitigation outcomes may be used for."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.auth.access import requires
from gateway.auth.principal import Role
from gateway.ledger.context import IDEMPOTENCY_PARAMETER, actor_id, handle_record, unknown, views
from gateway.ledger.schemas import accounts as s
from gateway.ledger.schemas.common import page_body
from services.ledger.api import Page
from services.ledger.domain import commands
from services.ledger.domain.authorizations import (
    Authorization,
    AuthorizationTerms,
    FirstTransferDefinition,
    Purpose,
    Timeframe,
)
from services.ledger.domain.values import Metric

blp = Blueprint(
    "ledger_authorizations",
    __name__,
    url_prefix="/api/v1/registries/<string:registry>",
    description="Authorizations of mitigation outcomes (AEF Table 2), versioned",
)
OFFICER = Role.AUTHORIZING_OFFICER
READERS = (Role.REGISTRY_ADMIN, Role.AUDITOR, Role.AUTHORIZING_OFFICER, Role.APPROVER, Role.ACCOUNT_REPRESENTATIVE)


def terms_from(body: dict[str, Any], version: int) -> AuthorizationTerms:
    metric_name = body.get("non_ghg_metric")
    definition = body.get("oimp_first_transfer")
    factor = body.get("conversion_factor")
    return AuthorizationTerms(
        version=version,
        authorized_on=body["authorized_on"],
        cooperative_approach_id=body["cooperative_approach_id"],
        authorizing_party=body["authorizing_party"],
        metric=Metric.ghg() if metric_name is None else Metric.non_ghg(metric_name),
        purposes=frozenset(Purpose(p) for p in body["purposes"]),
        timeframe=Timeframe(**body["timeframe"]),
        authorized_quantity=body.get("authorized_quantity"),
        oimp_first_transfer=None if definition is None else FirstTransferDefinition(definition),
        gwp_values=tuple(body["gwp_values"]),
        conversion_factor=None if factor is None else Decimal(factor),
        sectors=frozenset(body["sectors"]),
        activity_types=frozenset(body["activity_types"]),
        authorized_parties=frozenset(body["authorized_parties"]),
        authorized_entities=frozenset(body["authorized_entities"]),
        terms=body["terms"],
    )


def _view(authorization: Authorization | None) -> dict[str, Any]:
    if authorization is None:
        raise unknown("authorization")
    return {**authorization.__dict__, "current": authorization.current}


@blp.route("/authorizations")
class Authorizations(MethodView):
    @blp.arguments(s.AuthorizationQuery, location="query")
    @blp.response(200, s.AuthorizationPage)
    @requires(*READERS)
    def get(self, query: dict[str, Any]) -> Any:
        """Authorizations of this Party, each with every version"""
        page = views().authorizations(query.get("reference"), query["page"], query["page_size"])
        return page_body(Page([_view(a) for a in page.items], page.page, page.page_size, page.total))

    @blp.arguments(s.AuthorizationCreateSchema)
    @blp.response(201, s.AuthorizationSchema)
    @blp.doc(parameters=[IDEMPOTENCY_PARAMETER])
    @requires(OFFICER)
    def post(self, body: dict[str, Any]) -> Any:
        """Record an authorization (version 1)"""
        command = commands.RecordAuthorization(
            actor_id=actor_id(), reference=body["reference"], terms=terms_from(body, 1)
        )
        return _view(views().authorization(UUID(handle_record(command).record_id)))


@blp.route("/authorizations/<uuid:authorization_id>")
class AuthorizationById(MethodView):
    @blp.response(200, s.AuthorizationSchema)
    @requires(*READERS)
    def get(self, authorization_id: UUID) -> Any:
        """One authorization with its versions; the last is in force"""
        return _view(views().authorization(authorization_id))


@blp.route("/authorizations/<uuid:authorization_id>/versions")
class AuthorizationVersions(MethodView):
    @blp.arguments(s.AuthorizationVersionSchema)
    @blp.response(201, s.AuthorizationSchema)
    @blp.doc(parameters=[IDEMPOTENCY_PARAMETER])
    @requires(OFFICER)
    def post(self, body: dict[str, Any], authorization_id: UUID) -> Any:
        """Record the next version of an authorization; it is in force from its date"""
        existing = _view(views().authorization(authorization_id))
        command = commands.RecordAuthorization(
            actor_id=actor_id(),
            reference=existing["reference"],
            terms=terms_from(body, body["version"]),
            authorization_id=authorization_id,
        )
        handle_record(command)
        return _view(views().authorization(authorization_id))
