"""One publisher per registry at a time: a backfill and the consumer's passes never interleave."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
import requests

from gateway.bootstrap import Platform
from gateway.bootstrap import cadt as wiring
from services.cadt import bootstrap
from services.cadt.adapters.requests_client import RequestsCadtClient
from services.cadt.bootstrap import Cadt
from services.cadt.domain.model import Connection
from services.cadt.service_layer.backfill import backfill
from services.cadt.service_layer.publisher import PublishPolicy
from tests.cadt_standin.fixtures import RunningStandIn
from tests.integration.cadt.scenario import worked_example
from tests.integration.cadt.test_publishing import expected_state, node_state


@pytest.fixture(autouse=True)
def quick_policy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(wiring, "POLICY", PublishPolicy(poll_interval_s=0.01, backoff_s=0))
    return


@pytest.fixture(autouse=True)
def one_lock_per_publisher(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each publisher gets its own process lock, as the consumer and a backfill in two processes would."""
    monkeypatch.setattr(bootstrap, "tenant_lock", lambda tenant_id: threading.Lock())


def recording(cadt: Cadt, name: str, log: list[str], guard: threading.Lock) -> Cadt:
    """The same publisher, noting which pass made each request to the node."""
    passes = itertools.count()

    def client_for(connection: Connection) -> RequestsCadtClient:
        pass_id = f"{name} pass {next(passes)}"
        session = requests.Session()

        def note(response: requests.Response, *args: Any, **kwargs: Any) -> None:
            with guard:
                log.append(pass_id)

        session.hooks["response"].append(note)
        return RequestsCadtClient(connection, session=session)

    return replace(cadt, client_for=client_for)


def repeatedly(action: Callable[[], object], stop: threading.Event) -> threading.Thread:
    def run() -> None:
        while not stop.is_set():
            action()
            time.sleep(0.005)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_a_backfill_and_the_consumers_passes_never_interleave(
    postgres_platform: Platform, cadt_node: RunningStandIn
) -> None:
    example = worked_example(postgres_platform)
    example.connect(cadt_node.url, enabled=False)
    example.sync()  # the records are projected; nothing is published yet
    example.connect(cadt_node.url)
    cadt_node.node.pending_polls = 3  # commits take a while to land, so that passes are long
    log: list[str] = []
    guard = threading.Lock()
    tenant_id = example.tenant.id
    consumer = recording(wiring.cadt_for(postgres_platform), "consumer", log, guard)
    backfilling = recording(wiring.cadt_for(postgres_platform), "backfill", log, guard)
    stop = threading.Event()
    thread = repeatedly(lambda: consumer.publisher(tenant_id).publish(), stop)
    try:
        result = backfill(backfilling.store(tenant_id), backfilling.publisher(tenant_id), tenant_id, [])
    finally:
        stop.set()
        thread.join(timeout=60)
    runs = [pass_id for pass_id, _ in itertools.groupby(log)]
    assert len(runs) == len(set(runs)), runs  # every pass's requests in one unbroken run
    assert {run.split()[0] for run in runs} == {"consumer", "backfill"}
    assert result.outcome == "published"
    assert node_state(cadt_node.node) == expected_state(example)
