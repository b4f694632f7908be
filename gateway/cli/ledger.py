"""`registry journal ...`: checks of a registry's hash-chained ledger journal."""

from __future__ import annotations

import sys

import click

from gateway.cli.platform import platform
from gateway.journal_check import first_broken_link
from services.transparency.bootstrap import TenantLog
from services.transparency.service_layer.audit import tree_mismatch


@click.group()
def journal() -> None:
    """The per-registry ledger journal."""


@journal.command()
@click.option("--registry", "code", required=True, help="code of the registry, e.g. ghana")
def verify(code: str) -> None:
    """Recompute the hash chain and the transparency tree; report the first break (exit status 1), or that both
    are intact."""
    with platform() as p:
        tenant = p.catalogue.find(code)
        if tenant is None:
            click.echo(f"error: no registry {code!r}: check the code with `registry tenants list`", err=True)
            sys.exit(2)
        with p.database.transaction(tenant.id) as session:
            broken, count = first_broken_link(session, tenant.id)
            log = TenantLog(session, tenant.id)
            mismatch, _size = tree_mismatch(log.tree(), log.journal())
    if broken is not None:
        click.echo(f"journal broken at record {broken.sequence}: {broken.reason}")
        sys.exit(1)
    if mismatch is not None:
        where = f" at record {mismatch.sequence}" if mismatch.sequence is not None else ""
        click.echo(f"transparency tree disagrees with the journal{where}: {mismatch.reason}")
        sys.exit(1)
    click.echo(f"journal intact: {count} records")
