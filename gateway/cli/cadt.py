"""`registry cadt connect|backfill|diff --registry X`: CAD Trust publishing from the command line."""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Iterator

import click

from gateway.bootstrap import Platform, bus
from gateway.bootstrap.cadt import cadt_for
from gateway.cadt.ledger_projects import LedgerProjectReads
from gateway.cli.platform import platform as open_platform
from services.cadt.domain.model import Connection
from services.cadt.service_layer.backfill import backfill
from services.cadt.service_layer.connection_check import check_connection
from services.cadt.service_layer.diff import diff
from services.cadt.service_layer.ledger_check import ledger_differences
from services.cadt.service_layer.ledger_projects import project_differences
from services.cadt.service_layer.settings import DATA_MODEL_VERSIONS, ConfigureConnection, InvalidSettings, configure
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
            subscription.commit(messages)
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
        client = service.client_for(connection)
        differences = diff(store, client, connection)
        blocks = platform.reporting.source(tenant.id).current_blocks()  # the ledger's blocks, not ours
        differences += ledger_differences(blocks, client.units(), tenant.registry_id)
        ledger = LedgerProjectReads(platform.database, tenant.id)  # the ledger's projects, not our copies
        differences += project_differences(ledger, client.projects(), connection)
        if as_json:
            click.echo(json.dumps([d.to_dict() for d in differences], indent=2))
        else:
            for difference in differences:
                click.echo(difference.describe())
            click.echo(f"{len(differences)} difference(s)")
        if differences:
            sys.exit(1)


@cadt.command("connect")
@click.option("--registry", required=True, help="registry code")
@click.option("--url", required=True, help="the CAD Trust node's base URL, e.g. http://node:31310")
@click.option("--api-key", envvar="CADT_API_KEY", help="the node's API key (x-api-key); or set CADT_API_KEY")
@click.option("--org-uid", required=True, help="the orgUid of the node's home organization (create it first)")
@click.option("--enable/--disable", "enabled", default=None, help="switch publishing on or off (default: as it is)")
@click.option("--data-model", type=click.Choice(DATA_MODEL_VERSIONS), help="v1 or v2 (default: as it is, else v1)")
def connect_command(
    registry: str, url: str, api_key: str | None, org_uid: str, enabled: bool | None, data_model: str | None
) -> None:
    """Test a CAD Trust node and save it as the registry's connection; nothing is saved if the test fails."""
    with open_platform() as platform:
        tenant = _tenant(platform, registry)
        if tenant.is_training:
            raise click.UsageError(f"{registry} is a training registry: it never publishes to CAD Trust")
        service = cadt_for(platform)
        store = service.store(tenant.id)
        current = store.connection()
        key = api_key or (current.api_key if current else "")
        if not key:
            raise click.UsageError("give the node's API key with --api-key or CADT_API_KEY")
        trial = Connection(base_url=url, api_key=key, organization_id=org_uid)
        result = check_connection(service.client_for, trial)
        if not result.ok:
            click.echo(f"{registry}: {result.outcome}: {result.describe()}", err=True)
            sys.exit(1)
        on = enabled if enabled is not None else bool(current and current.enabled)
        model = data_model or (current.data_model_version if current else "v1")
        command = ConfigureConnection(url, key, org_uid, model, on, None)
        try:
            configure(store, command, party=tenant.party, retry=store.retry_refused)
        except InvalidSettings as error:
            raise click.BadParameter(str(error), param_hint=f"--{error.field.replace('_', '-')}") from None
        click.echo(f"{registry}: {result.detail} Saved; publishing {'on' if on else 'off'}.")
        if current is None:
            click.echo(
                f"What {registry} recorded before now reaches the node with: "
                f"registry cadt backfill --registry {registry}"
            )
