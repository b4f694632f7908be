"""Start the real `registry` console script as a child process and talk HTTP to it."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from authlib.oauth2.rfc7636 import create_s256_code_challenge

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
    with serving(args, env, cwd, port) as (base, log, _pid):
        yield base, log


@contextmanager
def serving(args: list[str], env: dict[str, str | None], cwd: Path, port: int) -> Iterator[tuple[str, Path, int]]:
    """`running`, also yielding the process id (with `registry serve`, gunicorn's master)."""
    base = f"http://127.0.0.1:{port}"
    with _started(args, env, cwd) as (process, log):
        _wait_until(process, log, _healthy(base), "no /healthz")
        yield base, log, process.pid


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (gunicorn's workers, when `pid` is its master)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):  # the process ended meanwhile
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@contextmanager
def working(args: list[str], env: dict[str, str | None], cwd: Path) -> Iterator[Path]:
    """Run a worker, `registry ARGS` (relay, consumer), until its first heartbeat; yield its log file."""
    cwd.mkdir(parents=True, exist_ok=True)
    heartbeat = cwd / "heartbeat"
    with _started(args, {**env, "REGISTRY_HEARTBEAT_FILE": str(heartbeat)}, cwd) as (process, log):
        _wait_until(process, log, heartbeat.exists, "no heartbeat")
        yield log


@contextmanager
def _started(args: list[str], env: dict[str, str | None], cwd: Path) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """Start `registry ARGS` in a session of its own; on leaving, SIGTERM it (SIGKILL after 20 s)."""
    log = cwd / "process.log"
    environment = {k: v for k, v in {**os.environ, **env}.items() if v is not None}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [REGISTRY, *args], env=environment, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield process, log
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _wait_until(process: subprocess.Popen[bytes], log: Path, probe: Callable[[], bool], failure: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"process exited with {process.returncode}:\n{log.read_text()}")
        if probe():
            return
        time.sleep(0.2)
    raise AssertionError(f"{failure} within 60 s:\n{log.read_text()}")


def _healthy(base: str) -> Callable[[], bool]:
    def probe() -> bool:
        try:
            return get(f"{base}/healthz", timeout=1).status == 200
        except OSError:
            return False

    return probe


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: Any, **_kwargs: Any) -> None:
        return None


class Browser:
    def __init__(self) -> None:
        cookies = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        self.opener = urllib.request.build_opener(cookies, _NoRedirect())

    def send(
        self, url: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=headers or {})  # noqa: S310 - loopback test server
        try:
            with self.opener.open(request, timeout=10) as answer:
                return answer.status, dict(answer.headers), answer.read().decode()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, dict(error.headers), error.read().decode()


def sign_in_over_http(base: str, tenant_code: str, username: str, password: str) -> dict[str, Any]:
    """The console client's code flow with PKCE against a running process; answers the token response."""
    realm = f"{base}/api/v1/registries/{tenant_code}"
    browser = Browser()
    verifier = secrets.token_urlsafe(48)
    query = urllib.parse.urlencode(
        {
            "response_type": "code",
            "client_id": "registry-console",
            "redirect_uri": f"{realm}/oauth/callback",
            "code_challenge": create_s256_code_challenge(verifier),
            "code_challenge_method": "S256",
        }
    )
    _status, _headers, page = browser.send(f"{realm}/oauth/authorize?{query}")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf is not None, page
    login = {"csrf_token": csrf.group(1), "username": username, "password": password}
    status, headers, page = browser.send(f"{realm}/oauth/authorize?{query}", data=login)
    if status == 200 and 'name="step" value="later"' in page:  # offered to enrol a second factor: not now
        status, headers, page = browser.send(f"{realm}/oauth/authorize?{query}", data={**login, "step": "later"})
    assert status == 302, page
    code = urllib.parse.parse_qs(urllib.parse.urlsplit(headers["Location"]).query)["code"][0]
    exchange = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": f"{realm}/oauth/callback",
        "client_id": "registry-console",
        "code_verifier": verifier,
    }
    status, _headers, body = browser.send(f"{realm}/oauth/token", data=exchange)
    assert status == 200, body
    answer: dict[str, Any] = json.loads(body)
    return answer
