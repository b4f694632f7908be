"""Administering people over the API: a registry's administrators act on its users, operators on
each other and on registries' administrators. Disable, re-enable, reset the second factor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.auth import schemas
from gateway.auth.access import current_principal, requires
from gateway.auth.principal import Role
from gateway.auth.realm import identity, realm_uow
from services.identity.domain.users import Account
from services.identity.service_layer import people
from services.identity.service_layer.ports import IdentityUnitOfWork

registry_blp = Blueprint(
    "people", __name__, url_prefix="/api/v1/registries/<string:registry>", description="Administering people"
)
platform_blp = Blueprint(
    "platform_people", __name__, url_prefix="/api/v1/platform", description="Operators: administering people"
)
ADMIN = Role.REGISTRY_ADMIN
OPERATOR = Role.PLATFORM_OPERATOR
Action = Callable[[UUID, IdentityUnitOfWork, bool], Account]

ACTIONS: dict[str, tuple[str, Action]] = {
    "disable": (
        "Disable the person: sign-ins and refresh tokens are refused, access tokens stop at their next use",
        lambda account_id, uow, admins: people.disable(
            account_id, current_principal().subject, uow, identity().clock, administrators_only=admins
        ),
    ),
    "enable": (
        "Re-enable a disabled person; failed sign-in attempts are forgotten",
        lambda account_id, uow, admins: people.enable(account_id, uow, administrators_only=admins),
    ),
    "mfa/reset": (
        "Reset the person's second factor; they sign in with the password and may enrol a new one",
        lambda account_id, uow, admins: people.reset_second_factor(account_id, uow, administrators_only=admins),
    ),
}


def _registry_action(path: str, summary: str, action: Action) -> None:
    class RegistryUserAction(MethodView):
        @registry_blp.response(200, schemas.UserSchema)
        @requires(ADMIN)
        def post(self, user_id: UUID) -> Any:
            return action(user_id, realm_uow(), False)

    RegistryUserAction.post.__doc__ = summary
    endpoint = "user_" + path.replace("/", "_")
    registry_blp.route(f"/users/<uuid:user_id>/{path}", endpoint=endpoint)(RegistryUserAction)


def _administrator_action(path: str, summary: str, action: Action) -> None:
    class AdministratorAction(MethodView):
        @platform_blp.response(200, schemas.UserSchema)
        @requires(OPERATOR)
        def post(self, code: str, user_id: UUID) -> Any:
            tenant = current_app.extensions["registry"].catalogue.get(code)
            return action(user_id, identity().uow(tenant.id), True)

    AdministratorAction.post.__doc__ = summary.replace("the person", "the registry administrator")
    endpoint = "administrator_" + path.replace("/", "_")
    platform_blp.route(f"/tenants/<string:code>/administrators/<uuid:user_id>/{path}", endpoint=endpoint)(
        AdministratorAction
    )


def _operator_action(path: str, summary: str, action: Action) -> None:
    class OperatorAction(MethodView):
        @platform_blp.response(200, schemas.OperatorSchema)
        @requires(OPERATOR)
        def post(self, operator_id: UUID) -> Any:
            return action(operator_id, identity().uow(None), False)

    OperatorAction.post.__doc__ = summary.replace("the person", "the operator")
    endpoint = "operator_" + path.replace("/", "_")
    platform_blp.route(f"/operators/<uuid:operator_id>/{path}", endpoint=endpoint)(OperatorAction)


for _path, (_summary, _action) in ACTIONS.items():
    _registry_action(_path, _summary, _action)
    _administrator_action(_path, _summary, _action)
    _operator_action(_path, _summary, _action)


@platform_blp.route("/operators")
class Operators(MethodView):
    @platform_blp.response(200, schemas.OperatorSchema(many=True))
    @requires(OPERATOR)
    def get(self) -> Any:
        """The platform's operators"""
        return people.operators(identity().uow(None))
