"""A relay that stops dead between the broker's acknowledgement and marking its rows sent.

Run as `python -m tests.integration.events.crashing_relay MARKER`: it publishes one batch, writes the
batch size to MARKER once the broker has acknowledged, then hangs until the test SIGKILLs it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path

from gateway.bootstrap import Platform
from gateway.cli.events import build_relay
from gateway.settings import Settings
from services.events.service_layer.ports import OutboundMessage, Publisher


class AcknowledgedThenHang:
    def __init__(self, inner: Publisher, marker: Path) -> None:
        self.inner = inner
        self.marker = marker

    def publish(self, messages: Sequence[OutboundMessage]) -> None:
        self.inner.publish(messages)
        self.marker.write_text(str(len(messages)))
        time.sleep(600)

    def close(self) -> None:
        self.inner.close()


if __name__ == "__main__":
    platform = Platform.from_settings(Settings.from_env())
    relay = build_relay(platform, "crashing-relay")
    relay.publisher = AcknowledgedThenHang(relay.publisher, Path(sys.argv[1]))
    relay.run_once()
