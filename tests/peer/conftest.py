"""The peer suite runs only against a real CAD Trust v1 node named by the environment."""

from __future__ import annotations

import os

import pytest

from tests.peer.node import PeerNode

SKIP_REASON = "set CADT_PEER_URL and CADT_PEER_API_KEY to run the peer suite against a real CAD Trust v1 node"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("CADT_PEER_URL") and os.environ.get("CADT_PEER_API_KEY"):
        return
    for item in items:
        if item.path.is_relative_to(os.path.dirname(__file__)):
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


@pytest.fixture
def peer() -> PeerNode:
    node = PeerNode(os.environ["CADT_PEER_URL"], os.environ["CADT_PEER_API_KEY"])
    node.ensure_organization()
    return node
