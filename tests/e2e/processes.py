"""Start the real `registry` console script as a child process and talk HTTP to it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REGISTRY = str(Path(sys.executable).parent / "registry")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def get(url: str, timeout: float = 10) -> Reply:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback test server
            return Reply(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Reply(error.code, dict(error.headers), error.read())


@contextmanager
def running(args: list[str], env: dict[str, str | None], cwd: Path, port: int) -> Iterator[tuple[str, Path]]:
    """Run `registry ARGS` until /healthz answers; yield its base URL and its log file.

    A variable given as None is removed from the inherited environment.
    """
    log = cwd / "process.log"
    environment = {k: v for k, v in {**os.environ, **env}.items() if v is not None}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [REGISTRY, *args], env=environment, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_healthy(process, base, log)
            yield base, log
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _wait_until_healthy(process: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"process exited with {process.returncode}:\n{log.read_text()}")
        try:
            if get(f"{base}/healthz", timeout=1).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"no /healthz within 60 s:\n{log.read_text()}")
