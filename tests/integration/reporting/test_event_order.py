"""The reporting projection ends the same whatever order its events arrive in, and however often."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from gateway.bootstrap import Platform
from gateway.cli.events import build_runtime
from services.events.domain.envelope import parse
from services.events.service_layer.ports import InboundMessage, Subscription
from tests.conftest import DatabaseUrls, fresh_postgres_database, sqlite_urls
from tests.integration.reporting.scenario import build, project
from tests.integration.reporting.test_worked_example import projection_rows

Reorder = Callable[[list[InboundMessage]], list[InboundMessage]]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DatabaseUrls]:
    """A database of the test's own: the replay reorders this test's events, not every earlier test's too."""
    if request.param == "sqlite":
        yield sqlite_urls(tmp_path)
    else:
        yield from fresh_postgres_database(request.getfixturevalue("postgres_server"))


@dataclass
class Reordered:
    """A subscription that hands over everything the topic holds in another order, a few at a time."""

    inner: Subscription
    reorder: Reorder
    pending: list[InboundMessage] | None = None
    handed: list[InboundMessage] = field(default_factory=list)

    def poll(self, timeout_s: float, max_records: int) -> list[InboundMessage]:
        if self.pending is None:
            self.pending = self.reorder(self.inner.poll(timeout_s, 100_000))
        taken, self.pending = self.pending[:7], self.pending[7:]
        self.handed += taken
        return taken

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def newest_first_and_twice(messages: list[InboundMessage]) -> list[InboundMessage]:
    newest_first = list(reversed(messages))
    return [m for pair in zip(newest_first, newest_first[::-1], strict=True) for m in pair]


def one_transaction_reversed_then_in_order(messages: list[InboundMessage]) -> list[InboundMessage]:
    """Each transaction's events in reverse order (the move before the split), transactions in order."""
    groups: dict[str, list[InboundMessage]] = {}
    for message in messages:
        number = parse(message.value).data.get("transaction_number") or str(parse(message.value).id)
        groups.setdefault(number, []).append(message)
    return [m for group in groups.values() for m in reversed(group)]


def first_half_unsequenced_then_newest_first(messages: list[InboundMessage]) -> list[InboundMessage]:
    """As after an upgrade: events published before envelopes carried a sequence, then late ones."""
    half = len(messages) // 2

    def unsequenced(message: InboundMessage) -> InboundMessage:
        body = json.loads(message.value)
        body.pop("sequence")
        return replace(message, value=json.dumps(body).encode())

    return [unsequenced(m) for m in messages[:half]] + messages[half:][::-1]


def test_out_of_order_and_repeated_events_give_the_projection_of_the_events_in_order(platform: Platform) -> None:
    host, buyer, _facts = build(platform)
    project(platform)
    in_order = {r.tenant.code: projection_rows(platform, r) for r in (host, buyer)}
    for reorder in (
        newest_first_and_twice,
        one_transaction_reversed_then_in_order,
        first_half_unsequenced_then_newest_first,
    ):
        runtime = build_runtime(platform, "reporting")
        runtime.replay()
        shuffled = Reordered(runtime.subscription, reorder)
        runtime.subscription = shuffled  # type: ignore[assignment]
        runtime.drain(idle_polls=1, timeout_s=0.01)
        events = [parse(m.value) for m in shuffled.handed]
        several = [e for e in events if e.data.get("transaction_number") and len(e.data.get("blocks", [])) > 0]
        assert len(several) > 10, "the example must have block events of several transactions"
        sequenced = [e.sequence for e in events if e.sequence is not None]
        assert sequenced != sorted(sequenced)
        assert runtime.stats.duplicates > 0 or reorder is not newest_first_and_twice
        assert {r.tenant.code: projection_rows(platform, r) for r in (host, buyer)} == in_order, reorder.__name__
