"""Pytest fixtures that run the stand-in; import them into a conftest."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.cadt_standin.server import CadtStandIn, serving
from tests.cadt_standin.server_v2 import CadtStandInV2


@dataclass
class RunningStandIn:
    node: CadtStandIn
    url: str


@pytest.fixture
def cadt_node() -> Iterator[RunningStandIn]:
    node = CadtStandIn()
    with serving(node) as url:
        yield RunningStandIn(node, url)


@pytest.fixture
def cadt_node_v2() -> Iterator[RunningStandIn]:
    node = CadtStandInV2()
    with serving(node) as url:
        yield RunningStandIn(node, url)
