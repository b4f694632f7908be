"""pgbench TPC-B on the benchmark's own PostgreSQL cluster: the reference every HTTP figure is divided by.

It initialises a scratch database of its own (dropped afterwards) with `pgbench -i` and runs the built-in
TPC-B script at each client count, as the owner role, with prepared statements.
"""

from __future__ import annotations

import glob
import os
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from uuid6 import uuid7

from bench.processes import machine_busy_seconds

SCALE = 16  # branches: as many as the most clients, so TPC-B's own branch rows do not queue them
_TPS = re.compile(r"^tps = ([0-9.]+)", re.MULTILINE)


@dataclass(frozen=True)
class Result:
    clients: int
    tps: float
    machine_ms_per_transaction: float


def executable() -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pgbench"))
    if not found:
        raise RuntimeError("pgbench not found: it ships with Debian's postgresql package")
    return found[-1]


@contextmanager
def scratch(owner_url: str) -> Iterator[dict[str, str]]:
    """A pgbench database initialised at SCALE; yields the libpq environment that reaches it."""
    name = f"registry_bench_pgbench_{uuid7().hex[-12:]}"
    admin = create_engine(owner_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(owner_url)
    environment = os.environ | {
        "PGHOST": url.host or "127.0.0.1",
        "PGPORT": str(url.port or 5432),
        "PGUSER": url.username or "",
        "PGPASSWORD": url.password or "",
        "PGDATABASE": name,
    }
    try:
        subprocess.run([executable(), "-i", "-q", "-s", str(SCALE)], env=environment, check=True, capture_output=True)  # noqa: S603
        yield environment
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def tpc_b(environment: dict[str, str], clients: int, seconds: float) -> Result:
    threads = min(clients, 2)
    command = [executable(), "-n", "-M", "prepared", "-c", str(clients), "-j", str(threads), "-T", str(int(seconds))]
    busy = machine_busy_seconds()
    finished = subprocess.run(command, env=environment, check=True, capture_output=True, text=True)  # noqa: S603
    busy = machine_busy_seconds() - busy
    found = _TPS.search(finished.stdout)
    if found is None:
        raise RuntimeError(f"pgbench printed no tps: {finished.stdout[-500:]}")
    tps = float(found.group(1))
    return Result(clients, tps, 1000 * busy / max(1.0, tps * seconds))
