"""`registry transparency ...`: the per-registry transparency log (docs/transparency.md)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator

import click

from gateway.platform import Platform
from gateway.tenants_cli import platform
from services.shared.secret_box import AesGcmSecretBox
from services.transparency.entrypoints.checkpoints import publish, rotate
from services.transparency.entrypoints.sequencer import catch_up
from services.transparency.service_layer.ports import SecretBox
from services.transparency.service_layer.sequencer import Integrated, JournalGap
from tenants.domain.model import Tenant


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
        while True:
            halted = False
            for tenant, done in sequence_pass(p, code, batch_size, publish_unchanged=every_s is None):
                if isinstance(done, JournalGap):
                    halted = True
                    click.echo(
                        f"{tenant.code}: not integrated: {done}; the journal lost or changed a record: "
                        f"run `registry journal verify --registry {tenant.code}`",
                        err=True,
                    )
                elif done.count or every_s is None:
                    click.echo(f"{tenant.code}: integrated {done.count}, tree size {done.size}, root {done.root.hex()}")
            if every_s is None:
                sys.exit(1 if halted else 0)
            time.sleep(every_s)


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
            publish(p.database, tenant.id, tenant.registry_id, box_of(p))
        yield tenant, done


@transparency.command()
@click.option("--registry", "code", required=True, help="code of the registry")
def checkpoint(code: str) -> None:
    """Sign and print the registry's checkpoint of its tree as it is now."""
    with platform() as p:
        for tenant in _tenants(p, code):
            click.echo(publish(p.database, tenant.id, tenant.registry_id, box_of(p)).note, nl=False)


@transparency.command("rotate-key")
@click.option("--registry", "code", required=True, help="code of the registry")
def rotate_key(code: str) -> None:
    """Make a new checkpoint key for the registry; the old one is retired and stays published."""
    with platform() as p:
        for tenant in _tenants(p, code):
            key = rotate(p.database, tenant.id, tenant.registry_id, box_of(p))
            click.echo(f"{tenant.code}: new checkpoint key {key.key_id}")
