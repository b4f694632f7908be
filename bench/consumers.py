"""CPU per transfer of each consumer, with the events it skips skipped and without: issue 17's first lever.

Run `.venv/bin/python -m bench.consumers [--transfers 400] [--per-poll 4] [--profile]` after
`source .local/postgres.env`. It makes a scratch database (as bench.ledger does), sets up one tenant
without a CAD Trust connection, makes `--transfers` domestic transfers of 1 unit through the service layer,
publishes them with the relay (the embedded database bus), and then lets each consumer (`registry consume
NAME`, built by `gateway.cli.events.build_runtime`) read them all twice from the start: once with its
`skips` removed (every event applied in a tenant transaction, as before the lever) and once as built. A
poll takes at most `--per-poll` events (4: about what a consumer finds at 40 transfers per second and a
50 ms poll; a backlog's 200 would hide the per-transaction cost). It prints, per transfer, the SQL
statements the consumer sent (bus reads and offset commits included), the process's own CPU and the
machine's (/proc/stat, so PostgreSQL's share and every other process's too), and with `--profile` the top functions of
each run by cumulative time (cProfile). Nothing here is a test and nothing asserts a time.

Then the periodic duties while idle (`--ticks`, 20): `--registries` more registries (49: 50 in all, as in
bench.http) are created without any event, and the `cadt` consumer's retry timer and the `interregistry`
consumer's outbound sender each run `--ticks` times with nothing to do, `--tick-every` seconds apart (0; 5.1
lets the cached answer "no CAD Trust connection" expire between ticks, as it does between the timer's real
ticks 5 s apart); per tick, the statements sent and the process's own CPU. The relay's idle poll (every
50 ms when idle) is measured the same way, ten polls a tick. The first line is the relay publishing the
transfers' events `--per-poll` at a time, as under live load.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from sqlalchemy import event as sqlalchemy_event

from bench.ledger import Urls, bench_settings, scratch_database, set_up, transfers
from gateway.bootstrap import Platform
from gateway.cli.events import build_relay, build_runtime
from services.events.service_layer.consumer import ConsumerRuntime
from tenants.service_layer.catalogue import CreateTenant

CONSUMERS = ("cadt", "interregistry", "reporting")
PERIODIC = ("cadt", "interregistry")


def machine_cpu_s() -> float:
    """CPU seconds spent by the whole machine (user, nice, system, irq, softirq), from /proc/stat."""
    with open("/proc/stat") as stat:
        fields = stat.readline().split()[1:]
    busy = sum(int(fields[i]) for i in (0, 1, 2, 5, 6))
    return busy / os.sysconf("SC_CLK_TCK")


def drain(runtime: ConsumerRuntime, per_poll: int) -> None:
    while runtime.run_once(timeout_s=0.01, max_records=per_poll):
        pass


def measured(platform: Platform, action: Callable[[], None], profile: bool) -> tuple[float, float, int, str]:
    """(own CPU s, machine CPU s, SQL statements sent, profile summary) of `action`."""
    sent = []

    def count(*_: object) -> None:
        sent.append(1)

    profiler = cProfile.Profile() if profile else None
    sqlalchemy_event.listen(platform.database.engine, "before_cursor_execute", count)
    own, machine = time.process_time(), machine_cpu_s()
    if profiler:
        profiler.enable()
    action()
    if profiler:
        profiler.disable()
    own, machine = time.process_time() - own, machine_cpu_s() - machine
    sqlalchemy_event.remove(platform.database.engine, "before_cursor_execute", count)
    summary = ""
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(18)
        summary = out.getvalue()
    return own, machine, len(sent), summary


def run(platform: Platform, count: int, per_poll: int, profile: bool, names: Sequence[str] = CONSUMERS) -> list[str]:
    ledger = set_up(platform)
    assert ledger.pool is not None
    sink = ledger.account("sink")
    transfers(ledger, ledger.pool, sink, count)
    relay = build_relay(platform, "bench-consumers")
    relay.batch_size = per_poll  # what a relay polling every 50 ms finds under live load, not a backlog

    def publish_all() -> None:
        while relay.publish_pending():
            pass

    own, _machine, statements, _ = measured(platform, publish_all, profile=False)
    relay_line = (
        f"relay, {per_poll} events a batch: {statements / count:.2f} statements, {own * 1000 / count:.2f} own ms"
    )
    heading = f"{'consumer':<14} {'skips':<6} {'events':>7} {'skipped':>8} {'statements/transfer':>20}"
    lines = [f"{heading} {'own ms/transfer':>16} {'machine ms/transfer':>20}"]
    profiles = []
    for name in names:
        for skipping in (False, True):
            runtime = build_runtime(platform, name)
            if not skipping:
                runtime.consumer = replace(runtime.consumer, skips=None)
            runtime.replay()
            own, machine, statements, summary = measured(platform, lambda r=runtime: drain(r, per_poll), profile)
            stats = runtime.stats
            lines.append(
                f"{name:<14} {'yes' if skipping else 'no':<6} {stats.applied + stats.skipped:>7} {stats.skipped:>8}"
                f" {statements / count:>20.2f}"
                f" {own * 1000 / count:>16.2f} {machine * 1000 / count:>20.2f}"
            )
            if summary:
                profiles.append(f"--- {name}, skips {'on' if skipping else 'off'}\n{summary}")
    return [relay_line + " per transfer", *lines, *profiles]


def idle_ticks(platform: Platform, registries: int, ticks: int, every: float) -> list[str]:
    """Statements and own CPU per tick of each consumer's periodic duty, with nothing due anywhere."""
    for number in range(min(registries, 97)):  # registry ids GHA02 to GHA98
        code = f"idle{number:02d}"
        platform.catalogue.create(CreateTenant(code=code, party="GHA", registry_id=f"GHA{number + 2:02d}", name=code))
    tenants = len(platform.catalogue.list())
    lines = [f"{'periodic duty':<14} {'registries':>10} {'ticks':>6} {'statements/tick':>16} {'own ms/tick':>12}"]
    relay = build_relay(platform, "bench-idle")
    own, _machine, statements, _ = measured(platform, lambda: [relay.run_once() for _ in range(ticks * 10)], False)
    lines.append(
        f"{'relay poll':<14} {tenants:>10} {ticks * 10:>6} {statements / ticks / 10:>16.1f}"
        f" {own * 1000 / ticks / 10:>12.2f}"
    )
    for name in PERIODIC:
        duty = build_runtime(platform, name).consumer.periodic
        assert duty is not None
        duty.run()  # the first tick fills the caches a running consumer has

        def tick_all(run: Callable[[], object] = duty.run) -> None:
            for _ in range(ticks):
                time.sleep(every)  # sleeping costs no CPU; it lets the caches' times pass as between real ticks
                run()

        own, _machine, statements, _ = measured(platform, tick_all, profile=False)
        lines.append(f"{name:<14} {tenants:>10} {ticks:>6} {statements / ticks:>16.1f} {own * 1000 / ticks:>12.2f}")
    return lines


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.consumers")
    parser.add_argument("--transfers", type=int, default=400)
    parser.add_argument("--per-poll", type=int, default=4)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--consumer", action="append", choices=CONSUMERS, help="only these (default: all)")
    parser.add_argument("--registries", type=int, default=49, help="idle registries added for the duties' ticks")
    parser.add_argument("--ticks", type=int, default=20, help="idle ticks of each periodic duty (0: none)")
    parser.add_argument("--tick-every", type=float, default=0.0, help="seconds between ticks (5.1: as they run)")
    args = parser.parse_args(argv)
    app_url, owner_url = os.environ.get("DATABASE_URL", ""), os.environ.get("DATABASE_OWNER_URL", "")
    if not app_url.startswith("postgresql") or not owner_url.startswith("postgresql"):
        print("set DATABASE_URL and DATABASE_OWNER_URL to PostgreSQL (source .local/postgres.env)", file=sys.stderr)
        return 2
    role = os.environ.get("DATABASE_APP_ROLE", "registry_app")
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    with scratch_database(app_url, owner_url, role) as (app, owner):
        platform = Platform.from_settings(bench_settings(Urls(app, owner, role)))
        try:
            if args.transfers:
                print("\n".join(run(platform, args.transfers, args.per_poll, args.profile, args.consumer or CONSUMERS)))
            if args.ticks:
                print("\n".join(idle_ticks(platform, args.registries, args.ticks, args.tick_every)))
        finally:
            platform.close()
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
