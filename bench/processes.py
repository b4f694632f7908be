"""The deployed processes of the HTTP benchmark, started as a user starts them, and their CPU from /proc.

`registry serve` (gunicorn), `registry relay` and `registry consume NAME` for every consumer run as
separate processes from the same environment; `CpuMeter` reads each one's CPU time, PostgreSQL's and the
machine's, so that a measurement can divide what it used by the transfers it made.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from gateway.bootstrap.consumers import CONSUMERS

CONSUMER_NAMES = tuple(sorted(CONSUMERS))  # every consumer the build offers, as a deployment runs them
TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def registry_command(*arguments: str) -> list[str]:
    """The `registry` console script of this interpreter's environment."""
    return [str(Path(sys.executable).with_name("registry")), *arguments]


@dataclass
class Pipeline:
    """The gateway, the relay and the consumers, each its own OS process, logging to `log_dir`."""

    environment: Mapping[str, str]
    port: int
    log_dir: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    logs: list[BinaryIO] = field(default_factory=list)

    def start(self) -> None:
        commands: dict[str, tuple[str, ...]] = {"gateway": ("serve",), "relay": ("relay",)}
        commands |= {f"consume {name}": ("consume", name) for name in CONSUMER_NAMES}
        for label, arguments in commands.items():
            log = (self.log_dir / f"{label.replace(' ', '-')}.log").open("ab")
            self.logs.append(log)
            self.processes[label] = subprocess.Popen(  # noqa: S603 - our own console script
                registry_command(*arguments), env=dict(self.environment), stdout=log, stderr=subprocess.STDOUT
            )
        self.wait_until_serving()

    def wait_until_serving(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.check_alive()
            if self.answers_health_check() and self.worker_pids():
                return
            time.sleep(0.3)
        raise RuntimeError(f"the gateway did not answer on port {self.port} within {seconds:.0f} s")

    def answers_health_check(self) -> bool:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            connection.request("GET", "/healthz")
            return connection.getresponse().status == 200
        except OSError:
            return False
        finally:
            connection.close()

    def check_alive(self) -> None:
        for label, process in self.processes.items():
            if process.poll() is not None:
                log = (self.log_dir / f"{label.replace(' ', '-')}.log").read_text(errors="replace")
                raise RuntimeError(f"{label} ended with {process.returncode}; the end of its log:\n{log[-3000:]}")

    def worker_pids(self) -> list[int]:
        return children(self.processes["gateway"].pid)

    def pids_by_role(self) -> dict[str, list[int]]:
        """The processes to measure: the gunicorn workers together, then each other process on its own."""
        roles = {"gunicorn workers": self.worker_pids(), "gunicorn master": [self.processes["gateway"].pid]}
        roles |= {label: [process.pid] for label, process in self.processes.items() if label != "gateway"}
        return roles

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()
        for log in self.logs:
            log.close()
        self.logs.clear()


def children(pid: int) -> list[int]:
    try:
        listed = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in listed.split()]


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU time of a process so far, or None once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime and stime, fields 14 and 15 of proc(5)


def postgres_pids() -> list[int]:
    """Every PostgreSQL server process on the machine (the shared cluster, other users' backends too)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def machine_busy_seconds() -> float:
    """CPU time spent by the whole machine, all cores, since boot (not idle, not waiting for I/O)."""
    values = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / TICK


@dataclass
class CpuSample:
    seconds: dict[int, float]
    machine: float


def sample(pids: Iterable[int]) -> CpuSample:
    found = {pid: cpu_seconds(pid) for pid in set(pids)}
    return CpuSample({pid: value for pid, value in found.items() if value is not None}, machine_busy_seconds())


def used(before: CpuSample, after: CpuSample, pids: Iterable[int]) -> float:
    """CPU seconds these processes used between the samples (a process born in between counts from 0)."""
    return sum(after.seconds.get(pid, 0.0) - before.seconds.get(pid, 0.0) for pid in set(pids) if pid in after.seconds)
