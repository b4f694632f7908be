"""The HTTP benchmark's report: every figure with its load average, and each target of issue 17, met or not."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bench.http_load import BUSY
from bench.pgbench import Result as PgbenchResult

if TYPE_CHECKING:
    from bench.http import Measurement

PLATFORM_ROLES = (
    "gunicorn workers",
    "gunicorn master",
    "relay",
    "consume reporting",
    "consume cadt",
    "consume interregistry",
    "consume notifications",
    "consume webhooks",
    "PostgreSQL (this database's backends)",
    "Kafka broker",
)
SHORT = {
    "gunicorn workers": "workers",
    "gunicorn master": "master",
    "relay": "relay",
    "consume reporting": "report",
    "consume cadt": "cadt",
    "consume interregistry": "inter",
    "consume notifications": "notify",
    "consume webhooks": "hooks",
    "Kafka broker": "kafka",
    "PostgreSQL (this database's backends)": "pg",
    "load client": "client",
    "PostgreSQL (whole cluster)": "pg all",
    "machine": "machine",
}


def platform_cpu_ms(measurement: Measurement) -> float:
    """All the platform's processes and the PostgreSQL backends serving them, per transfer (not the client)."""
    return sum(measurement.cpu_ms_per_transfer(role) for role in PLATFORM_ROLES)


@dataclass
class Report:
    loads: dict[tuple[int, int], Measurement] = field(default_factory=dict)  # (workers, clients)
    scenarios: dict[str, tuple[int, Measurement]] = field(default_factory=dict)
    references: dict[int, tuple[PgbenchResult, float]] = field(default_factory=dict)
    bus: str = ""
    seeding: tuple[int, float] | None = None  # (transfers of history, seconds it took to seed them)

    def pipeline_started(self, bus: str, workers: int, pids: Mapping[str, list[int]], logs: Path) -> None:
        self.bus = bus
        listed = ", ".join(f"{role} {' '.join(map(str, found))}" for role, found in pids.items())
        print(f"[{bus} bus, {workers} workers] pids: {listed}", flush=True)
        print(f"[{bus} bus, {workers} workers] logs in {logs}", flush=True)

    def load(self, workers: int, clients: int, measurement: Measurement) -> None:
        self.loads[(workers, clients)] = measurement
        print(f"[{workers} workers] {load_row(clients, measurement)}", flush=True)

    def scenario(self, name: str, clients: int, measurement: Measurement) -> None:
        self.scenarios[name] = (clients, measurement)
        print(f"[scenario] {name}: {load_row(clients, measurement)}", flush=True)

    def history_seeded(self, transfers: int, seconds: float) -> None:
        self.seeding = (transfers, seconds)
        print(f"[history] {transfers:,} transfers seeded in {seconds:.0f} s", flush=True)

    def pgbench(self, result: PgbenchResult, load_average: float) -> None:
        self.references[result.clients] = (result, load_average)
        print(f"[pgbench] {result.clients} clients: {result.tps:.0f} TPS (load avg {load_average:.2f})", flush=True)

    def render(self) -> str:
        lines = [f"HTTP pipeline, {self.bus} bus: domestic transfers of 1 unit, pipeline caught up"]
        lines.append(f"{'workers':>7} {LOAD_HEADER}")
        lines += [f"{workers:>7} {load_row(clients, m)}" for (workers, clients), m in self.loads.items()]
        lines += [
            "",
            "pgbench TPC-B, same cluster, same run",
            f"{'clients':>7} {'TPS':>9} {'machine ms/tx':>14} {'load avg':>9}",
        ]
        for clients, (result, load_average) in self.references.items():
            lines.append(
                f"{clients:>7} {result.tps:>9.0f} {result.machine_ms_per_transaction:>14.2f} {load_average:>9.2f}"
            )
        lines += ["", "CPU ms per transfer, by process (platform = all but client, pg all and machine)"]
        lines.append(f"{'run':<28}" + "".join(f"{SHORT[role]:>8}" for role in SHORT) + f"{'platform':>9}")
        named = [(f"{w} workers, {c} clients", m) for (w, c), m in self.loads.items()]
        named += [(f"{name} ({c})", m) for name, (c, m) in self.scenarios.items()]
        for label, m in named:
            cells = "".join(f"{m.cpu_ms_per_transfer(role):>8.1f}" for role in SHORT)
            lines.append(f"{label[:27]:<28}{cells}{platform_cpu_ms(m):>9.1f}")
        if self.scenarios:
            lines += ["", f"scenarios       {LOAD_HEADER}"]
            lines += [f"{name[:24]:<24} {load_row(c, m)}" for name, (c, m) in self.scenarios.items()]
        lines += ["", "targets (issue 17)", *self.targets()]
        return "\n".join(lines)

    def targets(self) -> list[str]:
        rows = []
        reference = self.references.get(8)
        for workers in sorted({w for w, _ in self.loads}):
            at_8 = self.loads.get((workers, 8))
            if at_8 and reference:
                ratio = at_8.tps / reference[0].tps
                rows.append(
                    target(f"{workers} workers: transfers/s at 8 clients / pgbench TPS at 8", ratio, ">=", 0.04)
                )
            if at_8:
                rows.append(
                    target(f"{workers} workers: platform CPU ms per transfer at 8", platform_cpu_ms(at_8), "<=", 10)
                )
            half = half_peak(self.loads, workers)
            if half:
                rows.append(
                    target(f"{workers} workers: p99 ms at half the peak ({half[0]} clients)", half[1], "<=", 100)
                )
        rows += self.scenario_targets()
        return rows

    def scenario_targets(self) -> list[str]:
        found = {name: m for name, (_, m) in self.scenarios.items()}
        one = found.get("one registry")
        spread = next((m for name, m in found.items() if name.endswith(" registries")), None)
        rows = []
        if one and spread:
            rows.append(target("many registries / one registry, transfers/s", spread.tps / one.tps, ">=", 0.9))
        history = next((m for name, m in found.items() if name.startswith("history of ")), None)
        if one and history and self.seeding:
            label = f"after {self.seeding[0]:,} transfers of history / empty ledger, transfers/s"
            rows.append(target(label, history.tps / one.tps, ">=", 0.9))
        else:
            rows.append("after 1,000,000 transfers of history / empty ledger: not measured (--history 0)")
        hot = found.get("hot account")
        if one and hot:
            rows.append(target("hot account / spread load, transfers/s", hot.tps / one.tps, ">=", 0.3))
            rows.append(target("hot account: failed requests", hot.failures, "<=", 0))
        alone, flood = found.get("quiet registry alone"), found.get("quiet during a flood")
        if alone and flood:
            ratio = flood.latency(0.99, "quiet") / alone.latency(0.99, "quiet")
            rows.append(target("quiet registry p99 during the flood / alone", ratio, "<=", 1.5))
        return rows


LOAD_HEADER = (
    f"{'clients':>7} {'transfers/s':>11} {'p50 ms':>7} {'p99 ms':>7} {'failed':>6} {'429':>6} {'load s':>6} "
    f"{'catch-up s':>10} {'cpu ms':>6} {'load avg':>8}"
)


def load_row(clients: int, m: Measurement) -> str:
    failed, refused = m.failures, sum(outcome.refusals for outcome in m.outcomes.values())
    answers = Counter[str]()
    for outcome in m.outcomes.values():
        answers.update(outcome.answers)
    kinds = ", ".join(f"{answer}: {count}" for answer, count in sorted(answers.items()) if answer not in ("201", BUSY))
    return (
        f"{clients:>7} {m.tps:>11.1f} {m.latency(0.5) * 1000:>7.0f} {m.latency(0.99) * 1000:>7.0f} {failed:>6} "
        f"{refused:>6} {m.load_s:>6.1f} {m.catch_up_s:>10.1f} {platform_cpu_ms(m):>6.1f} {m.load_average:>8.2f}"
        + (f"  ({kinds})" if kinds else "")
    )


def half_peak(loads: Mapping[tuple[int, int], Measurement], workers: int) -> tuple[int, float] | None:
    """(clients, p99 ms) of the run whose throughput is nearest half this worker count's peak."""
    runs = {clients: m for (w, clients), m in loads.items() if w == workers}
    if not runs:
        return None
    peak = max(m.tps for m in runs.values())
    clients = min(runs, key=lambda c: abs(runs[c].tps - peak / 2))
    return clients, runs[clients].latency(0.99) * 1000


def target(label: str, value: float, relation: str, bound: float) -> str:
    met = value >= bound if relation == ">=" else value <= bound
    verdict = "met" if met and not math.isnan(value) else "NOT MET"
    return f"{label:<62} {value:>9.4g}  {relation} {bound:g}  {verdict}"
