"""`registry transparency ...`: the per-registry transparency log (docs/transparency.md)."""

from __future__ import annotations

import sys
import time

import click

from gateway.tenants_cli import platform
from services.transparency.entrypoints.sequencer import catch_up


@click.group()
def transparency() -> None:
    """The Merkle tree of each registry's journal: its sequencer."""


@transparency.command()
@click.option("--registry", "code", default=None, help="code of one registry (default: every registry)")
@click.option("--every", "every_s", type=click.FloatRange(min=0.1), default=None, help="repeat every N seconds")
@click.option("--batch", "batch_size", type=click.IntRange(1, 100_000), default=1000, help="records per transaction")
def sequence(code: str | None, every_s: float | None, batch_size: int) -> None:
    """Integrate committed journal records into each registry's tree, once or as a periodic duty."""
    with platform() as p:
        while True:
            tenants = p.catalogue.list() if code is None else [p.catalogue.find(code)]
            for tenant in tenants:
                if tenant is None:
                    click.echo(f"error: no registry {code!r}: check the code with `registry tenants list`", err=True)
                    sys.exit(2)
                done = catch_up(p.database, tenant.id, batch_size)
                if every_s is None or done.count:
                    click.echo(f"{tenant.code}: integrated {done.count}, tree size {done.size}, root {done.root.hex()}")
            if every_s is None:
                return
            time.sleep(every_s)
