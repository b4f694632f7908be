"""`registry tenants ...`: the operator's tenant lifecycle commands."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from gateway.bootstrap import Platform
from gateway.cli.platform import platform
from gateway.journal_check import journal_intact
from gateway.settings import SettingsError
from gateway.training.errors import TrainingRefused
from gateway.training.onboard import create_training_registry
from gateway.training.reset import reset_training_registry
from tenants.domain.errors import InvalidTenant
from tenants.domain.model import Tenant, TenantKind
from tenants.service_layer.archive import export_tenant, import_tenant
from tenants.service_layer.catalogue import CreateTenant, freeze_transfers_abroad
from tenants.service_layer.dedicated import open_dedicated
from tenants.service_layer.placement import move_tenant


@click.group()
def tenants() -> None:
    """Create and manage hosted registries."""


@tenants.command()
@click.option("--code", required=True, help="URL slug, e.g. ghana")
@click.option("--party", required=True, help="ISO 3166-1 alpha-3 code of the Party, e.g. GHA")
@click.option("--registry-id", required=True, help="Party ITMO registry id: the Party code plus two digits, e.g. GHA01")
@click.option("--name", required=True, help="display name of the registry")
@click.option("--settings", "settings_file", type=click.Path(dir_okay=False), help="JSON settings file")
@click.option("--database-url", default=None, help="dedicated database for this tenant (data residency)")
@click.option("--kind", type=click.Choice([k.value for k in TenantKind]), default="production", show_default=True)
@click.option("--partner", default=None, help="training only: an existing training registry to transfer to")
def create(
    code: str,
    party: str,
    registry_id: str,
    name: str,
    settings_file: str | None,
    database_url: str | None,
    kind: str,
    partner: str | None,
) -> None:
    """Create a registry and make it active; a training registry is seeded (its passwords printed once)."""
    with platform() as p:
        settings = _read_settings(settings_file)
        command = CreateTenant(code, party, registry_id, name, settings, database_url, kind=TenantKind(kind))
        if command.kind is TenantKind.TRAINING:
            _create_training(p, command, partner)
            return
        tenant = p.catalogue.create(command)
        click.echo(f"created {tenant.code} ({tenant.registry_id}), status {tenant.status.value}, id {tenant.id}")


@tenants.command()
@click.argument("code")
@click.option("--yes", is_flag=True, help="do not ask for confirmation")
def reset(code: str, yes: bool) -> None:
    """Reset a training registry to its seed: its data is deleted and seeded again; people keep their passwords."""
    with platform() as p:
        tenant = p.catalogue.get(code)
        if not tenant.is_training:
            raise click.UsageError(f"{code} is a production registry: only a training registry is reset")
        if not yes:
            click.confirm(f"Delete everything done in {code} and seed it again?", abort=True)
        seed = reset_training_registry(p, tenant)
    click.echo(f"{code} is back to its seed; partner training registry: {seed.partner}")
    for person in seed.people():
        click.echo(f"  new password (shown only now): {person['registry']} {person['username']} {person['password']}")


def _create_training(p: Platform, command: CreateTenant, partner: str | None) -> None:
    try:
        tenant, seed = create_training_registry(p, command, partner)
    except TrainingRefused as error:
        raise click.UsageError(str(error)) from error
    click.echo(f"created {tenant.code} ({tenant.registry_id}), training registry seeded, id {tenant.id}")
    click.echo(f"partner training registry: {seed.partner}")
    click.echo("people (passwords shown only now):")
    for person in seed.people():
        click.echo(f"  {person['registry']:<24} {person['username']:<18} {person['password']}")


@tenants.command("list")
def list_() -> None:
    """List hosted registries."""
    with platform() as p:
        for t in p.catalogue.list():
            demo = (" [demo]" if t.is_demo else "") + (" [training]" if t.is_training else "")
            click.echo(f"{t.code:<24} {t.registry_id:<6} {t.party:<4} {t.status.value:<12} {t.name}{demo}")


@tenants.command()
@click.argument("code")
def show(code: str) -> None:
    """Show one registry as JSON."""
    with platform() as p:
        click.echo(json.dumps(_describe(p.catalogue.get(code)), indent=2))


def _lifecycle(command: str, help_text: str) -> None:
    @tenants.command(command, help=help_text)
    @click.argument("code")
    def run(code: str) -> None:
        with platform() as p:
            tenant = p.catalogue.change_status(code, command)
            click.echo(f"{tenant.code} is now {tenant.status.value}")


_lifecycle("suspend", "Make an active registry read-only.")
_lifecycle("resume", "Return a suspended registry to active.")
_lifecycle("archive", "Archive a suspended registry; it is no longer served.")


@tenants.command("freeze-abroad")
@click.argument("code")
@click.option("--reason", required=True, help="why, as the registry's users will read it")
def freeze_abroad(code: str, reason: str) -> None:
    """Freeze every transfer abroad out of a registry at once, during an incident (the ledger answers LDG-082)."""
    with platform() as p:
        freeze_transfers_abroad(p.catalogue, code, reason, "operator (CLI)")
        click.echo(f"transfers abroad out of {code} are frozen: {reason}")


@tenants.command("unfreeze-abroad")
@click.argument("code")
def unfreeze_abroad(code: str) -> None:
    """Lift the freeze of transfers abroad out of a registry."""
    with platform() as p:
        freeze_transfers_abroad(p.catalogue, code, None, "operator (CLI)")
        click.echo(f"transfers abroad out of {code} are open again")


@tenants.command()
@click.argument("code")
@click.option("--output", "-o", type=click.Path(dir_okay=False), required=True, help="JSON Lines file to write")
def export(code: str, output: str) -> None:
    """Write a registry's whole data, as of one moment, as a JSON Lines archive."""
    with platform() as p:
        tenant = p.catalogue.get(code)
        partial = Path(f"{output}.partial")
        with _writable(partial).open("w", encoding="utf-8") as out:
            rows = export_tenant(p.database, tenant, out, progress=_progress)
        partial.replace(output)
        click.echo(f"exported {rows} rows of {tenant.code} to {output}")


@tenants.command("import")
@click.argument("archive")
@click.option("--database-url", default=None, help="restore into this dedicated database (migrated first)")
def import_(archive: str, database_url: str | None) -> None:
    """Restore a registry from an export archive, whole or not at all."""
    with platform() as p, _readable(archive) as lines:
        into = open_dedicated(p.database, database_url) if database_url else None
        counts: list[tuple[str, int]] = []
        tenant_id = import_tenant(p.database, lines, into=into, checks=[journal_intact], progress=_collect(counts))
        for table, rows in counts:
            _progress(table, rows)
        click.echo(f"imported tenant {tenant_id}")


@tenants.command()
@click.argument("code")
@click.option("--database-url", required=True, help="the dedicated database, migrated with 'registry db upgrade'")
def move(code: str, database_url: str) -> None:
    """Move a registry's data into its own dedicated database and route it there."""
    with platform() as p:
        counts: list[tuple[str, int]] = []
        tenant = move_tenant(p.catalogue, code, database_url, checks=[journal_intact], progress=_collect(counts))
        for table, rows in counts:
            _progress(table, rows)
        click.echo(f"moved {tenant.code} to its dedicated database; status {tenant.status.value}")


@contextmanager
def _readable(path: str) -> Iterator[Iterator[str]]:
    archive = Path(path)
    if not archive.is_file():
        raise InvalidTenant(f"no archive file {path}: give the path of a file written by 'registry tenants export'")
    try:
        with archive.open(encoding="utf-8") as handle:
            yield handle
    except UnicodeDecodeError:
        raise InvalidTenant(f"archive {path} is not UTF-8 text: give the JSON Lines file of an export") from None


def _writable(path: Path) -> Path:
    if not path.parent.is_dir():
        raise InvalidTenant(f"folder {path.parent} does not exist: create it or choose another --output")
    return path


def _collect(counts: list[tuple[str, int]]) -> Callable[[str, int], None]:
    """Row counts kept until the import commits: a refused import prints only its one-line reason."""
    return lambda table, rows: counts.append((table, rows))


def _progress(table: str, rows: int) -> None:
    click.echo(f"  {table}: {rows} rows", err=True)


def _read_settings(path: str | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        loaded = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise SettingsError(f"cannot read settings file {path}: {error}") from None
    if not isinstance(loaded, dict):
        raise SettingsError(f"settings file {path} must hold a JSON object")
    return loaded


def _describe(tenant: Tenant) -> dict[str, Any]:
    return {
        "id": str(tenant.id),
        "code": tenant.code,
        "party": tenant.party,
        "registry_id": tenant.registry_id,
        "name": tenant.name,
        "status": tenant.status.value,
        "is_demo": tenant.is_demo,
        "kind": tenant.kind.value,
        "dedicated_database": tenant.database_url is not None,
        "created_at": tenant.created_at.isoformat(),
        "settings": tenant.settings,
    }
