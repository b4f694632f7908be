"""`registry journal ...`: checks of a registry's hash-chained ledger journal."""

from __future__ import annotations

import sys

import click
from sqlalchemy import select

from gateway.tenants_cli import platform
from services.ledger.adapters import orm
from services.ledger.adapters.journal import SqlJournalRepository
from services.ledger.domain.journal import verify_chain


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
            records = SqlJournalRepository(session, tenant.id).records()
            heads = orm.journal_heads.c
            head = session.execute(select(heads.record_hash).where(heads.tenant_id == tenant.id)).scalar()
    broken = verify_chain(records, head_hash=head)
    if broken is not None:
        click.echo(f"journal broken at record {broken.sequence}: {broken.reason}")
        sys.exit(1)
    click.echo(f"journal intact: {len(records)} records")
