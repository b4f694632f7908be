"""The request path's CPU per transfer, in one process: the gateway app as `registry serve` builds it (JSON
logging and tracing included) driven by Flask's test client against a scratch PostgreSQL database; no
gunicorn, relay or consumers. Run with the environment of `.local/postgres.env`:

    .venv/bin/python -m bench.request_path                 # CPU ms per transfer, 5 rounds of 200
    .venv/bin/python -m bench.request_path --profile 30    # and cProfile's top 30 functions by CPU time

The figure is this process's CPU time (`time.process_time`, every thread) per `POST .../domestic-transfers`
answered 201, the median of the rounds: the worker's share of a transfer without PostgreSQL's, and much less
sensitive to a busy machine than the wall clock.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import os
import pstats
import statistics
import time
from collections.abc import Sequence
from typing import Any

from flask.testing import FlaskClient
from uuid6 import uuid7

from bench.http import bench_settings
from bench.http_setup import LaneSpec, new_registry
from bench.ledger import scratch_database
from gateway.app import create_app
from gateway.bootstrap import Platform
from gateway.logging_setup import configure_logging


def token(http: FlaskClient, lane: LaneSpec) -> str:
    form = {"grant_type": "client_credentials", "client_id": lane.client_id, "client_secret": lane.secret}
    answer = http.post(f"/api/v1/registries/{lane.registry}/oauth/token", data=form)
    found: str = answer.get_json()["access_token"]
    return found


def transfers(http: FlaskClient, lane: LaneSpec, bearer: str, count: int) -> None:
    body = {"source_account_id": str(lane.source), "destination_account_id": str(lane.destination), "quantity": 1}
    path = f"/api/v1/registries/{lane.registry}/transactions/domestic-transfers"
    for _ in range(count):
        headers = {"Authorization": f"Bearer {bearer}", "Idempotency-Key": uuid7().hex}
        answer = http.post(path, json=body, headers=headers)
        if answer.status_code != 201:
            raise RuntimeError(f"transfer answered {answer.status_code}: {answer.get_data(as_text=True)[:300]}")


def cpu_ms_per_transfer(http: FlaskClient, lane: LaneSpec, bearer: str, count: int) -> float:
    started = time.process_time()
    transfers(http, lane, bearer, count)
    return (time.process_time() - started) * 1000 / count


def measure(rounds: int, count: int, top: int) -> str:
    app_url, owner_url = os.environ["DATABASE_URL"], os.environ["DATABASE_OWNER_URL"]
    role = os.environ.get("DATABASE_APP_ROLE", "registry_app")
    with scratch_database(app_url, owner_url, role) as (app_db, owner_db):
        settings = bench_settings(app_db, owner_db, role, "")
        platform = Platform.from_settings(settings)
        try:
            return _measure(settings, platform, rounds, count, top)
        finally:
            platform.close()


def _measure(settings: Any, platform: Platform, rounds: int, count: int, top: int) -> str:
    registry = new_registry(platform, 0, "bench-main")
    lane = registry.add_lanes(platform, 1)[0]
    configure_logging(settings.log_level)
    logging.getLogger().handlers[0].setStream(io.StringIO())  # formatted as served, written nowhere
    http = create_app(settings, platform).test_client()
    bearer = token(http, lane)
    transfers(http, lane, bearer, count)  # warm: connections, statement caches, imports
    figures = [cpu_ms_per_transfer(http, lane, bearer, count) for _ in range(rounds)]
    lines = [
        f"CPU ms per transfer, {rounds} rounds of {count}: median {statistics.median(figures):.2f} "
        f"(min {min(figures):.2f}, max {max(figures):.2f}); load average {os.getloadavg()[0]:.2f}"
    ]
    if top:
        profiler = cProfile.Profile(time.process_time)  # CPU time: waiting for PostgreSQL costs nothing
        profiler.runcall(transfers, http, lane, bearer, count)
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(top)
        stats.sort_stats("tottime").print_stats(top)
        stats.sort_stats("cumulative").print_stats("gateway|services|tenants|_scope|lambdas|logging|trace", top)
        lines.append(out.getvalue())
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--transfers", type=int, default=200, help="transfers per round")
    parser.add_argument("--profile", type=int, default=0, metavar="TOP", help="cProfile one more round")
    args = parser.parse_args(argv)
    print(measure(args.rounds, args.transfers, args.profile))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
