"""Administering people: disable and re-enable an account, reset its second factor.

The unit of work's realm decides whose account it is: a registry's user, or (no tenant) a platform
operator. Operators acting inside a registry see only its administrators (`administrators_only`).
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from services.identity.domain.errors import InvalidUser, UserNotFound
from services.identity.domain.roles import Role
from services.identity.domain.users import Account, User
from services.identity.service_layer.ports import IdentityUnitOfWork
from services.shared.clock import Clock


def disable(
    account_id: UUID, actor: str, uow: IdentityUnitOfWork, clock: Clock, *, administrators_only: bool = False
) -> Account:
    """Refuse the person's sign-ins and refresh tokens from now on; their access tokens stop at next use."""
    if str(account_id) == actor:
        raise InvalidUser("you cannot disable your own account: ask another administrator to do it")
    with uow:
        account = _account(uow, account_id, administrators_only)
        account.disabled = True
        uow.grants.revoke_refresh_of(account.id, clock.now())
        uow.commit()
        return account


def enable(account_id: UUID, uow: IdentityUnitOfWork, *, administrators_only: bool = False) -> Account:
    with uow:
        account = _account(uow, account_id, administrators_only)
        account.enable()
        uow.commit()
        return account


def reset_second_factor(account_id: UUID, uow: IdentityUnitOfWork, *, administrators_only: bool = False) -> Account:
    with uow:
        account = _account(uow, account_id, administrators_only)
        account.reset_second_factor()
        uow.commit()
        return account


@dataclass(frozen=True)
class Request:
    """One action on one account, as an administrator or operator asks for it."""

    action: str  # one of ACTIONS
    account_id: UUID
    actor: str  # the subject of whoever asks: nobody disables themselves
    administrators_only: bool = False


ACTIONS = ("disable", "enable", "mfa-reset")


def perform(request: Request, uow: IdentityUnitOfWork, clock: Clock) -> Account:
    admins = request.administrators_only
    if request.action == "disable":
        return disable(request.account_id, request.actor, uow, clock, administrators_only=admins)
    if request.action == "enable":
        return enable(request.account_id, uow, administrators_only=admins)
    if request.action == "mfa-reset":
        return reset_second_factor(request.account_id, uow, administrators_only=admins)
    raise ValueError(f"unknown action {request.action!r}: use one of {', '.join(ACTIONS)}")


def administrators(uow: IdentityUnitOfWork) -> list[User]:
    with uow:
        return [user for user in uow.users.list() if Role.REGISTRY_ADMIN.value in user.roles]


def operators(uow: IdentityUnitOfWork) -> list[Account]:
    with uow:
        return list(uow.operators.list())


def _account(uow: IdentityUnitOfWork, account_id: UUID, administrators_only: bool) -> Account:
    found: Account | None = uow.users.get(account_id) if uow.tenant_id else uow.operators.get(account_id)
    if administrators_only and not (isinstance(found, User) and Role.REGISTRY_ADMIN.value in found.roles):
        found = None  # an operator sees a registry's administrators only, and the rest as missing
    if found is None:
        raise UserNotFound("no such person here: check the identifier and the registry")
    return found
