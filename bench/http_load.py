"""The HTTP load client: real tokens, fetched before the timed part, and a fresh idempotency key per request.

Each client is a thread with its own keep-alive connection, moving 1 unit at a time along its lanes (a
registry, a token, a source and a destination account) in turn, until the deadline. Only 201 answers count
as transfers; every other answer or broken connection is counted by kind. A 429 (the registry's fair share
of the gateway is taken) is not a failure: the client waits its Retry-After, as a well-behaved client does.
"""

from __future__ import annotations

import base64
import http.client
import json
import threading
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from uuid6 import uuid7

BUSY = "429"


@dataclass(frozen=True)
class Lane:
    registry: str  # the tenant's code, as in the URL
    token: str
    source: str
    destination: str


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)  # seconds, of the transfers done (201)
    answers: Counter[str] = field(default_factory=Counter)  # status code, or the connection error's name

    @property
    def transfers(self) -> int:
        return len(self.latencies)

    @property
    def failures(self) -> int:
        return sum(count for answer, count in self.answers.items() if answer not in ("201", BUSY))

    @property
    def refusals(self) -> int:
        """429 answers: asked to come back later, and waited for."""
        return self.answers[BUSY]

    def merge(self, other: Outcome) -> None:
        self.latencies.extend(other.latencies)
        self.answers.update(other.answers)


def fetch_token(port: int, registry: str, client_id: str, secret: str) -> str:
    """An access token from the registry's token endpoint (client credentials), over HTTP."""
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(
        "POST",
        f"/api/v1/registries/{registry}/oauth/token",
        body="grant_type=client_credentials",
        headers={"Authorization": f"Basic {basic}", "Content-Type": "application/x-www-form-urlencoded"},
    )
    answer = connection.getresponse()
    body = answer.read()
    connection.close()
    if answer.status != 200:
        raise RuntimeError(f"no token for {registry}: {answer.status} {body[:200]!r}")
    token: str = json.loads(body)["access_token"]
    return token


def drive(port: int, lanes: Sequence[Lane], deadline: float) -> Outcome:
    """One client: transfers along its lanes in turn until `deadline` (time.monotonic)."""
    outcome = Outcome()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    turn = 0
    while time.monotonic() < deadline:
        lane = lanes[turn % len(lanes)]
        turn += 1
        started = time.perf_counter()
        try:
            status, retry_after = post_transfer(connection, lane)
        except (OSError, http.client.HTTPException) as error:
            outcome.answers[type(error).__name__] += 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            continue
        outcome.answers[str(status)] += 1
        if status == 201:
            outcome.latencies.append(time.perf_counter() - started)
        elif status == 429:  # the server may drop an idle keep-alive connection while we wait: start anew
            connection.close()
            time.sleep(max(0.0, min(retry_after, deadline - time.monotonic())))
    connection.close()
    return outcome


def post_transfer(connection: http.client.HTTPConnection, lane: Lane) -> tuple[int, float]:
    """The answer's status and its Retry-After in seconds (0 without one)."""
    body = json.dumps({"source_account_id": lane.source, "destination_account_id": lane.destination, "quantity": 1})
    headers = {
        "Authorization": f"Bearer {lane.token}",
        "Content-Type": "application/json",
        "Idempotency-Key": uuid7().hex,
    }
    connection.request("POST", f"/api/v1/registries/{lane.registry}/transactions/domestic-transfers", body, headers)
    answer = connection.getresponse()
    answer.read()
    return answer.status, retry_after_seconds(answer.getheader("Retry-After"))


def retry_after_seconds(value: str | None) -> float:
    """Retry-After in delay-seconds; a date or nonsense counts as 1 s."""
    if value is None:
        return 0.0
    return float(value) if value.isdigit() else 1.0


def run_clients(port: int, clients: Sequence[Sequence[Lane]], seconds: float) -> Outcome:
    """Every client in its own thread for `seconds`; their outcomes together."""
    return run_groups(port, {"all": clients}, seconds)["all"]


def run_groups(port: int, groups: Mapping[str, Sequence[Sequence[Lane]]], seconds: float) -> dict[str, Outcome]:
    """Groups of clients at once, each client in its own thread for `seconds`; each group's outcome."""
    deadline = time.monotonic() + seconds
    clients = [(group, lanes) for group, members in groups.items() for lanes in members]
    outcomes = [Outcome() for _ in clients]

    def client(number: int) -> None:
        outcomes[number] = drive(port, clients[number][1], deadline)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    totals = {group: Outcome() for group in groups}
    for (group, _lanes), outcome in zip(clients, outcomes, strict=True):
        totals[group].merge(outcome)
    return totals


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")
