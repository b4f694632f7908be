"""`registry notifications REGISTRY`: the e-mails a registry's account holders were, or are to be, sent."""

from __future__ import annotations

import click

from gateway.bootstrap import Platform
from gateway.bootstrap.notifications import outbox_listing
from gateway.cli.platform import user_errors
from gateway.settings import Settings


@click.command()
@click.argument("registry")
@click.option("--status", type=click.Choice(["pending", "sent"]), help="only e-mails not sent yet, or only sent ones")
@click.option("--limit", default=50, show_default=True)
def notifications(registry: str, status: str | None, limit: int) -> None:
    """E-mails of REGISTRY (a tenant code) to its account holders: recipient, subject, attempts, last error."""
    with user_errors():
        platform = Platform.from_settings(Settings.from_env())
    try:
        tenant = next((t for t in platform.catalogue.list() if t.code == registry), None)
        if tenant is None:
            raise click.UsageError(f"no registry {registry!r}; `registry tenants list` shows the codes")
        rows = outbox_listing(platform, tenant.id, status, limit)
    finally:
        platform.close()
    for row in rows:
        state = (
            f"sent={row['sent_at']:%Y-%m-%dT%H:%M:%SZ}"
            if row["sent_at"]
            else f"next={row['next_attempt_at']:%Y-%m-%dT%H:%M:%SZ}"
        )
        error = f"  error={row['last_error']}" if row["last_error"] and not row["sent_at"] else ""
        click.echo(f"{row['recipient']:<40} attempts={row['attempts']} {state}  {row['subject']}{error}")
    if not rows:
        click.echo("no e-mails", err=True)
