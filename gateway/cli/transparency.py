"""`registry transparency ...`: the per-registry transparency log (docs/transparency.md)."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator

import click

from gateway.bootstrap import Platform
from gateway.bootstrap.witnesses import cosign_latest
from gateway.cli.events import beat
from gateway.cli.platform import platform
from gateway.training.guards import same_side
from services.shared.secret_box import AesGcmSecretBox
from services.transparency.domain.notes import InvalidNote, parse_verifier_key
from services.transparency.domain.witness import parse_witness_key
from services.transparency.entrypoints.checkpoints import log_verifier_key, origin_for, publish, rotate
from services.transparency.entrypoints.sequencer import catch_up
from services.transparency.entrypoints.witnessing import add_witness, follow
from services.transparency.entrypoints.witnessing import witness_key as witness_key_of
from services.transparency.service_layer.ports import SecretBox, WitnessEntry
from services.transparency.service_layer.sequencer import Integrated, JournalGap
from tenants.domain.model import Tenant

log = logging.getLogger(__name__)


@click.group()
def transparency() -> None:
    """The Merkle tree of each registry's journal: its sequencer, checkpoints and keys."""


def _tenants(p: Platform, code: str | None) -> Iterator[Tenant]:
    if code is None:
        yield from (tenant for tenant in p.catalogue.list() if tenant.is_served)
        return
    tenant = p.catalogue.find(code)
    if tenant is None:
        click.echo(f"error: no registry {code!r}: check the code with `registry tenants list`", err=True)
        sys.exit(2)
    yield tenant


def box_of(p: Platform) -> SecretBox:
    return AesGcmSecretBox(p.settings.secret_key)


@transparency.command()
@click.option("--registry", "code", default=None, help="code of one registry (default: every registry)")
@click.option("--every", "every_s", type=click.FloatRange(min=0.1), default=None, help="repeat every N seconds")
@click.option("--batch", "batch_size", type=click.IntRange(1, 100_000), default=1000, help="records per transaction")
def sequence(code: str | None, every_s: float | None, batch_size: int) -> None:
    """Integrate committed journal records into each registry's tree and sign a checkpoint when it grew.

    A registry whose journal does not continue its tree is reported and left as it is; the others go on.
    Run once, the command then ends with exit status 1."""
    with platform() as p:
        if every_s is None:
            sys.exit(1 if _report_pass(p, code, batch_size, publish_unchanged=True) else 0)
        while True:  # the deployed duty: a failed pass is logged and the next one tries again
            try:
                _report_pass(p, code, batch_size, publish_unchanged=False)
                beat()  # the liveness probe (`registry healthcheck`) sees passes that succeed
            except Exception:
                log.exception("transparency sequencer pass failed")
            time.sleep(every_s)


def _report_pass(p: Platform, code: str | None, batch_size: int, *, publish_unchanged: bool) -> bool:
    """Run one pass and print what it did; whether a registry's journal had a gap."""
    halted = False
    for tenant, done in sequence_pass(p, code, batch_size, publish_unchanged=publish_unchanged):
        if isinstance(done, JournalGap):
            halted = True
            click.echo(
                f"{tenant.code}: not integrated: {done}; the journal lost or changed a record: "
                f"run `registry journal verify --registry {tenant.code}`",
                err=True,
            )
        elif done.count or publish_unchanged:
            click.echo(f"{tenant.code}: integrated {done.count}, tree size {done.size}, root {done.root.hex()}")
    return halted


def sequence_pass(
    p: Platform, code: str | None, batch_size: int = 1000, *, publish_unchanged: bool = False
) -> Iterator[tuple[Tenant, Integrated | JournalGap]]:
    """One pass of the sequencer over one registry or every served one; a checkpoint where the tree grew.

    A journal gap stops that registry's tree where it is (it must never integrate past a missing record)
    and is yielded in place of its outcome, so that one altered journal does not stall every registry."""
    for tenant in _tenants(p, code):
        try:
            done = catch_up(p.database, tenant.id, batch_size)
        except JournalGap as gap:
            yield tenant, gap
            continue
        if done.count or publish_unchanged:
            publish(p.database, tenant.id, tenant.registry_id, box_of(p), p.clock)
            cosign_latest(p, tenant)
        yield tenant, done


@transparency.command()
@click.option("--registry", "code", required=True, help="code of the registry")
def checkpoint(code: str) -> None:
    """Sign and print the registry's checkpoint of its tree as it is now."""
    with platform() as p:
        for tenant in _tenants(p, code):
            click.echo(publish(p.database, tenant.id, tenant.registry_id, box_of(p), p.clock).note, nl=False)


@transparency.command("rotate-key")
@click.option("--registry", "code", required=True, help="code of the registry")
def rotate_key(code: str) -> None:
    """Make a new checkpoint key for the registry; the old one is retired and stays published."""
    with platform() as p:
        for tenant in _tenants(p, code):
            key = rotate(p.database, tenant.id, tenant.registry_id, box_of(p), p.clock)
            click.echo(f"{tenant.code}: new checkpoint key {key.key_id}")


@transparency.command()
@click.option("--registry", "code", required=True, help="code of the registry whose log is witnessed")
@click.option("--by", "witness_code", default=None, help="code of another registry of this platform as the witness")
@click.option("--url", default=None, help="URL of a witness outside the platform (its add-checkpoint is under it)")
@click.option("--witness-key", default=None, help="the outside witness's verifier key (cosignature/v1)")
def witness(code: str, witness_code: str | None, url: str | None, witness_key: str | None) -> None:
    """Have a witness cosign the registry's checkpoints from now on: another registry, or one at a URL.

    With --by, the other registry follows this registry's current checkpoint key; after `rotate-key`, run
    this again. With --url, give the operator of that witness this registry's key (`registry transparency
    checkpoint` prints the origin; GET .../log/keys the key)."""
    if (witness_code is None) == (url is None) or (url is not None and witness_key is None):
        click.echo("error: give --by CODE, or --url URL with --witness-key KEY", err=True)
        sys.exit(2)
    with platform() as p:
        (log_tenant,) = _tenants(p, code)
        by = next(_tenants(p, witness_code)) if witness_code is not None else None
        if not same_side(log_tenant, by):
            click.echo("error: training registries witness, and are witnessed by, training registries only", err=True)
            sys.exit(2)
        if by is not None:
            if by.id == log_tenant.id:
                click.echo("error: a registry cannot witness its own log", err=True)
                sys.exit(2)
            log_key = log_verifier_key(p.database, log_tenant.id, log_tenant.registry_id, box_of(p), p.clock)
            follow(p.database, by.id, origin_for(log_tenant.registry_id), log_key)
            witness_key = witness_key_of(p.database, by.id, by.registry_id, box_of(p), p.clock)
        try:
            name, _ = parse_witness_key(witness_key or "")
        except InvalidNote as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(2)
        entry = WitnessEntry(name, witness_key or "", witness_code, url, 0)
        add_witness(p.database, log_tenant.id, entry)
        click.echo(f"{log_tenant.code}: witnessed by {name}")


@transparency.command()
@click.option("--registry", "code", default=None, help="code of one registry (default: every registry)")
def cosign(code: str | None) -> None:
    """Ask each registry's witnesses to cosign its latest checkpoint now (the sequencer does after each)."""
    with platform() as p:
        for tenant in _tenants(p, code):
            names = cosign_latest(p, tenant)
            click.echo(f"{tenant.code}: cosigned by {', '.join(names) or 'no witness'}")


@transparency.command("follow")
@click.option("--registry", "code", required=True, help="code of the registry that witnesses")
@click.option("--origin", required=True, help="the witnessed log's origin line")
@click.option("--log-key", required=True, help="the witnessed log's verifier key (C2SP signed-note)")
def follow_log(code: str, origin: str, log_key: str) -> None:
    """Have the registry witness a log of another platform: it cosigns that log's checkpoints at
    POST .../witness/add-checkpoint once they are signed by this key and extend the last one it cosigned."""
    try:
        name, _ = parse_verifier_key(log_key)
    except InvalidNote as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    if name != origin:
        click.echo(f"error: the key is named {name!r}, not after the origin {origin!r}", err=True)
        sys.exit(2)
    with platform() as p:
        (tenant,) = _tenants(p, code)
        if tenant.is_training:
            click.echo("error: a training registry witnesses no log outside the platform", err=True)
            sys.exit(2)
        follow(p.database, tenant.id, origin, log_key)
        key = witness_key_of(p.database, tenant.id, tenant.registry_id, box_of(p), p.clock)
        click.echo(f"{tenant.code}: witnesses {origin} as {key}")
