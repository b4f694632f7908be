"""The relay's work done at once, as a relay running beside the test would have done it by now."""

from __future__ import annotations

from gateway.bootstrap import Platform
from gateway.cli.events import build_relay


def publish_pending_events(platform: Platform) -> int:
    """Publish every pending outbox row, batch after batch: a test's database may hold other tests' rows, so a
    single batch need not reach the test's own events. Answers how many were published."""
    relay, published = build_relay(platform), 0
    while sent := relay.publish_pending():
        published += sent
    return published
