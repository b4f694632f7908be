"""The compose stack on podman, started by infra/containers/stack.sh from the images that
infra/containers/images.sh built. Collected only when the container step of the test command runs
these tests (REGISTRY_CONTAINER_STACK=1, see tests/conftest.py)."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DatabaseUrls

REPO_ROOT = Path(__file__).resolve().parents[2]
STACK = REPO_ROOT / "infra" / "containers" / "stack.sh"
PROJECT = os.environ.get("REGISTRY_CT_PROJECT", "carbon-registry-ct")


def stack(command: str) -> None:
    # Output to a file, not a pipe: processes podman starts (the network's dnsmasq) inherit descriptors.
    log = REPO_ROOT / ".local" / "containers" / "stack.log"
    with log.open("a") as out:
        code = subprocess.run(["bash", str(STACK), command], stdout=out, stderr=out, timeout=900, check=False)
    assert code.returncode == 0, f"stack.sh {command} failed:\n{log.read_text()[-4000:]}"


def inspect(service: str) -> dict[str, Any]:
    result = subprocess.run(
        ["podman", "inspect", f"{PROJECT}_{service}_1"], capture_output=True, text=True, timeout=60, check=True
    )
    answer: dict[str, Any] = json.loads(result.stdout)[0]
    return answer


def exec_in(service: str, *argv: str) -> str:
    result = subprocess.run(
        ["podman", "exec", f"{PROJECT}_{service}_1", *argv], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="session")
def gateway_url() -> Iterator[str]:
    """The stack from empty volumes; removed with its volumes afterwards."""
    stack("down")
    stack("up")
    try:
        yield f"http://127.0.0.1:{os.environ.get('REGISTRY_CT_GATEWAY_PORT', '58000')}"
    finally:
        stack("down")


@pytest.fixture(scope="session")
def stack_database() -> DatabaseUrls:
    """The containerized PostgreSQL through its published port, with compose.yaml's local roles."""
    port = os.environ.get("REGISTRY_CT_PG_PORT", "57432")
    return DatabaseUrls(
        app=f"postgresql+psycopg://registry_app:local-only-app@127.0.0.1:{port}/registry",
        owner=f"postgresql+psycopg://registry_owner:local-only-owner@127.0.0.1:{port}/registry",
        app_role="registry_app",
    )


def images() -> dict[str, str]:
    """The image tags infra/containers/images.sh wrote."""
    lines = (REPO_ROOT / ".local" / "containers" / "images.env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line)
