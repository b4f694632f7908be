"""`registry users ...`, `registry keys rotate` and `registry auth access-table`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

from gateway.cli.platform import platform
from services.identity.domain.errors import IdentityError
from services.identity.domain.roles import Role
from services.identity.domain.tokens import PURGE_GRACE
from services.identity.service_layer import accounts

T = TypeVar("T")


@click.group()
def users() -> None:
    """Registry administrators and platform operators."""


@users.command("create-admin")
@click.option("--tenant", "code", required=True, help="registry code, e.g. ghana")
@click.option("--username", required=True)
@click.password_option(help="at least 12 characters; asked for when not given")
def create_admin(code: str, username: str, password: str) -> None:
    """Create a registry's first administrator."""
    with platform() as p:
        tenant = p.catalogue.get(code)
        command = accounts.CreateUser(username, password, frozenset({Role.REGISTRY_ADMIN}))
        user = _run(lambda: accounts.bootstrap_admin(command, p.identity.uow(tenant.id), p.identity.credentials))
        click.echo(f"created administrator {user.username} of {tenant.code}; sign in at /api/v1/registries/{code}")


@users.command("create-operator")
@click.option("--username", required=True)
@click.password_option(help="at least 12 characters; asked for when not given")
def create_operator(username: str, password: str) -> None:
    """Create a platform operator."""
    with platform() as p:
        operator = _run(
            lambda: accounts.create_operator(username, password, p.identity.uow(None), p.identity.credentials)
        )
        click.echo(f"created operator {operator.username}; sign in at /api/v1/platform/oauth/authorize")


@users.command("purge-expired")
def purge_expired() -> None:
    """Delete expired authorization codes, refresh tokens, revocations and spent proofs (the relay does this hourly)."""
    from gateway.cli.events import purge_expired_grants

    with platform() as p:
        purged = purge_expired_grants(p)
    click.echo(
        f"purged {purged.authorization_codes} authorization codes, {purged.refresh_tokens} refresh tokens, "
        f"{purged.revoked_tokens} revocations and {purged.spent_proofs} spent proofs "
        f"that expired over {PURGE_GRACE.seconds // 60} minutes ago"
    )


@click.group()
def keys() -> None:
    """The token signing key ring."""


@keys.command()
def rotate() -> None:
    """Sign new tokens with a new key; the old key stays published until its tokens expire."""
    with platform() as p:
        key = p.identity.keys.rotate(p.identity.uow(None))
        click.echo(f"new signing key {key.kid} is active; the previous one is retired")


@click.group()
def auth() -> None:
    """Access rules."""


@auth.command("access-table")
def access_table() -> None:
    """Print the endpoint x role table (docs/access.md)."""
    from gateway.app import create_app
    from gateway.auth.access_doc import access_table as table

    with platform() as p:
        click.echo(table(create_app(p.settings, p)), nl=False)


def _run(action: Callable[[], T]) -> T:
    try:
        return action()
    except IdentityError as error:
        click.echo(f"error: {error}", err=True)
        raise SystemExit(2) from None
