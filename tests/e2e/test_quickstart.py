"""The README's quickstart works as written: its commands, taken from README.md between the quickstart
markers, run in bash against a running demo (`registry demo`) and make a transfer that shows on both
demo registries."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.e2e.processes import free_port, running

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
MARKED = re.compile(r"<!-- quickstart:begin -->\s*```bash\n(.*?)```\s*<!-- quickstart:end -->", re.DOTALL)
MOST_COMMANDS = 10


def quickstart_commands() -> list[str]:
    found = MARKED.search((ROOT / "README.md").read_text())
    assert found is not None, "README.md has no quickstart between the markers"
    return [line for line in found.group(1).splitlines() if line.strip()]


def test_the_quickstart_has_at_most_ten_commands() -> None:
    assert 0 < len(quickstart_commands()) <= MOST_COMMANDS


def test_the_quickstart_transfers_between_the_demo_registries(tmp_path: Path) -> None:
    port = free_port()
    env: dict[str, str | None] = {"REGISTRY_PORT": str(port), "DATABASE_URL": None, "KAFKA_BOOTSTRAP_SERVERS": None}
    for shared in (".venv", "examples"):  # the commands run from the repository's folder, as a user's do
        (tmp_path / shared).symlink_to(ROOT / shared)
    with running(["demo"], env, tmp_path, port) as (base, _log):
        script = "set -euo pipefail\n" + "\n".join(quickstart_commands()) + "\n"
        shell = {**os.environ, "REGISTRY_URL": base}
        result = subprocess.run(
            ["bash", "-c", script], cwd=tmp_path, env=shell, capture_output=True, text=True, timeout=300
        )
    assert result.returncode == 0, result.stdout + result.stderr
    approval, host, buyer = (json.loads(line) for line in result.stdout.splitlines())
    assert approval["status"] == "awaiting_acceptance"
    assert (host["number"], host["type"], host["status"]) == (approval["number"], "first_transfer", "completed")
    assert host["quantity"] == 1000
    assert (buyer["type"], buyer["status"], buyer["quantity"]) == ("acquisition", "completed", 1000)
