"""Every long-running process logs one JSON line when it starts and one when it stops."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TEST_SECRET, sqlite_urls

REGISTRY = str(Path(sys.executable).with_name("registry"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def json_lines(text: str) -> list[dict[str, Any]]:
    lines = []
    for line in text.splitlines():
        try:
            lines.append(json.loads(line))
        except ValueError:
            continue
    return lines


def run_until_started(args: list[str], env: dict[str, str], timeout_s: float = 60) -> list[dict[str, Any]]:
    """Start the command, wait for its start line, stop it with SIGTERM, and return its JSON log lines."""
    process = subprocess.Popen(args, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert process.stderr is not None
    seen, deadline = [], time.monotonic() + timeout_s
    try:
        while time.monotonic() < deadline:
            line = process.stderr.readline()
            seen.append(line)
            if '"process started"' in line:
                break
        time.sleep(1.0)  # let it settle into its loop
        process.send_signal(signal.SIGTERM)
        _, rest = process.communicate(timeout=timeout_s)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return json_lines("".join(seen) + rest)


@pytest.mark.parametrize(
    ("args", "process"),
    [(["relay"], "relay"), (["consume", "reporting"], "consume reporting"), (["serve"], "serve"), (["demo"], "demo")],
)
def test_a_process_logs_its_start_and_its_stop(tmp_path: Path, args: list[str], process: str) -> None:
    urls = sqlite_urls(tmp_path)
    env = {
        **os.environ,
        "DATABASE_URL": urls.app,
        "SECRET_KEY": TEST_SECRET,
        "REGISTRY_PORT": str(free_port()),
        "REGISTRY_WORKERS": "1",
        "KAFKA_BOOTSTRAP_SERVERS": "",
        "REGISTRY_HEARTBEAT_FILE": str(tmp_path / "heartbeat"),
        "LOG_LEVEL": "INFO",
    }

    lines = run_until_started([REGISTRY, *args], env)

    mine = [line for line in lines if line.get("process_type") == process]
    assert [line["message"] for line in mine] == ["process started", "process stopped"]
    assert mine[1]["outcome"] == "stopped"
    assert mine[0]["pid"] == mine[1]["pid"]
