"""`registry journal ...`: checks of a registry's hash-chained ledger journal."""

from __future__ import annotations

import sys

import click

from gateway.journal_check import first_broken_link
from gateway.tenants_cli import platform


@click.group()
def journal() -> None:
    """The per-registry ledger journal."""


@journal.command()
@click.option("--registry", "code", required=True, help="code of the registry, e.g. ghana")
def verify(code: str) -> None:
    """Recompute the hash chain and report its first broken link (exit status 1), or that it is intact."""
    with platform() as p:
        tenant = p.catalogue.find(code)
        if tenant is None:
            click.echo(f"error: no registry {code!r}: check the code with `registry tenants list`", err=True)
            sys.exit(2)
        with p.database.transaction(tenant.id) as session:
            broken, count = first_broken_link(session, tenant.id)
    if broken is not None:
        click.echo(f"journal broken at record {broken.sequence}: {broken.reason}")
        sys.exit(1)
    click.echo(f"journal intact: {count} records")
