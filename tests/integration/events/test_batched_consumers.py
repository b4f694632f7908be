"""Every consumer the build offers applies a poll's events of one tenant in one transaction."""

from __future__ import annotations

import pytest

from gateway.bootstrap import Platform
from gateway.bootstrap.consumers import CONSUMERS
from gateway.cli.events import build_runtime


@pytest.mark.parametrize("name", sorted(CONSUMERS))
def test_every_consumer_runs_with_the_batching_inbox(platform: Platform, name: str) -> None:
    runtime = build_runtime(platform, name)

    assert runtime.batch_inbox is not None
    assert runtime.skip_marks is not None
