"""Administering people over the API: a registry's administrators act on its users, operators on
each other and on registries' administrators. Disable, re-enable, reset the second factor."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.auth import schemas
from gateway.auth.access import current_principal, requires
from gateway.auth.principal import Role
from gateway.auth.realm import identity, realm_uow
from gateway.bootstrap import current_platform
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
SUMMARIES = {
    "disable": "Disable the person: sign-ins and refresh tokens are refused, access tokens stop at their next use",
    "enable": "Re-enable a disabled person; failed sign-in attempts are forgotten",
    "mfa-reset": "Reset the person's second factor; they sign in with the password and may enrol a new one",
}


def _perform(action: str, account_id: UUID, uow: IdentityUnitOfWork, *, administrators_only: bool = False) -> Account:
    request = people.Request(action, account_id, current_principal().subject, administrators_only)
    return people.perform(request, uow, identity().clock)


def _path_of(action: str) -> str:
    return "mfa/reset" if action == "mfa-reset" else action


def _registry_action(action: str, summary: str) -> None:
    class RegistryUserAction(MethodView):
        @registry_blp.response(200, schemas.UserSchema)
        @requires(ADMIN)
        def post(self, user_id: UUID) -> Any:
            return _perform(action, user_id, realm_uow())

    RegistryUserAction.post.__doc__ = summary
    endpoint = "user_" + action.replace("-", "_")
    registry_blp.route(f"/users/<uuid:user_id>/{_path_of(action)}", endpoint=endpoint)(RegistryUserAction)


def _administrator_action(action: str, summary: str) -> None:
    class AdministratorAction(MethodView):
        @platform_blp.response(200, schemas.UserSchema)
        @requires(OPERATOR)
        def post(self, code: str, user_id: UUID) -> Any:
            tenant = current_platform().catalogue.get(code)
            return _perform(action, user_id, identity().uow(tenant.id), administrators_only=True)

    AdministratorAction.post.__doc__ = summary.replace("the person", "the registry administrator")
    endpoint = "administrator_" + action.replace("-", "_")
    platform_blp.route(f"/tenants/<string:code>/administrators/<uuid:user_id>/{_path_of(action)}", endpoint=endpoint)(
        AdministratorAction
    )


def _operator_action(action: str, summary: str) -> None:
    class OperatorAction(MethodView):
        @platform_blp.response(200, schemas.OperatorSchema)
        @requires(OPERATOR)
        def post(self, operator_id: UUID) -> Any:
            return _perform(action, operator_id, identity().uow(None))

    OperatorAction.post.__doc__ = summary.replace("the person", "the operator")
    endpoint = "operator_" + action.replace("-", "_")
    platform_blp.route(f"/operators/<uuid:operator_id>/{_path_of(action)}", endpoint=endpoint)(OperatorAction)


for _action, _summary in SUMMARIES.items():
    _registry_action(_action, _summary)
    _administrator_action(_action, _summary)
    _operator_action(_action, _summary)


@platform_blp.route("/operators")
class Operators(MethodView):
    @platform_blp.response(200, schemas.OperatorSchema(many=True))
    @requires(OPERATOR)
    def get(self) -> Any:
        """The platform's operators"""
        return people.operators(identity().uow(None))
