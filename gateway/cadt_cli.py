"""`registry cadt backfill|diff|publish --registry X`: CAD Trust publishing from the command line."""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Iterator

import click

from gateway import bus
from gateway.cadt.wiring import cadt_for
from gateway.platform import Platform
from gateway.tenants_cli import platform as open_platform
from services.cadt.service_layer.backfill import backfill
from services.cadt.service_layer.diff import diff
from services.events.domain.envelope import CloudEvent, MalformedEnvelope, parse
from tenants.domain.model import Tenant


@click.group()
def cadt() -> None:
    """CAD Trust publishing."""


def _tenant(platform: Platform, code: str) -> Tenant:
    tenant = platform.catalogue.find(code)
    if tenant is None:
        raise click.UsageError(f"no registry {code!r}; `registry tenants list` shows them")
    return tenant


def history(platform: Platform) -> Iterator[CloudEvent]:
    """Every domain event on the bus from the start, read by a throwaway consumer group."""
    topics = bus.domain_topics(platform.settings)
    subscription = bus.make_subscription(platform.settings, platform.database, f"cadt-backfill-{uuid.uuid4()}", topics)
    subscription.seek_to_beginning()
    try:
        while messages := subscription.poll(1.0, 500):
            for message in messages:
                try:
                    yield parse(message.value)
                except MalformedEnvelope:
                    continue
            subscription.commit(messages[-1])
    finally:
        subscription.close()


@cadt.command("backfill")
@click.option("--registry", required=True, help="registry code")
def backfill_command(registry: str) -> None:
    """Publish the registry's whole history to its CAD Trust node; run again to resume after a failure."""
    with open_platform() as platform:
        tenant = _tenant(platform, registry)
        service = cadt_for(platform)
        with click.progressbar(length=1, label=f"{registry}: publishing to CAD Trust", file=sys.stderr) as bar:

            def progress(done: int, total: int) -> None:
                bar.length = max(total, 1)
                bar.update(done - bar.pos)

            result = backfill(service.store(tenant.id), service.publisher(tenant.id), tenant.id, history(platform),
                              progress)  # fmt: skip
        click.echo(f"{result.events} events, {result.published} of {result.total} records published: {result.outcome}")
        if result.outcome != "published" or result.published < result.total:
            click.echo(result.detail or "Some records are not published; `registry cadt diff` lists them.", err=True)
            sys.exit(1)


@cadt.command("diff")
@click.option("--registry", required=True, help="registry code")
@click.option("--json", "as_json", is_flag=True, help="print the differences as JSON")
def diff_command(registry: str, as_json: bool) -> None:
    """Compare what the CAD Trust node holds with the registry; exit 1 when they differ."""
    with open_platform() as platform:
        tenant = _tenant(platform, registry)
        service = cadt_for(platform)
        store = service.store(tenant.id)
        connection = store.connection()
        if connection is None:
            raise click.UsageError(f"{registry} has no CAD Trust connection; set one through the API first")
        differences = diff(store, service.client_for(connection), connection)
        if as_json:
            click.echo(json.dumps([d.to_dict() for d in differences], indent=2))
        else:
            for difference in differences:
                click.echo(difference.describe())
            click.echo(f"{len(differences)} difference(s)")
        if differences:
            sys.exit(1)
