"""One request sent many times at once with one Idempotency-Key, on PostgreSQL, through HTTP with real tokens.

Each family of keyed endpoint (unit actions, transaction lifecycle, accounts, reference data,
authorizations) is sent by twelve threads released together: the first to claim the key acts, the
others wait for it and answer what it answered. Nothing happens twice, and nothing answers 500.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest
from werkzeug.test import TestResponse

from gateway.auth.principal import Role
from tests.conftest import DatabaseUrls
from tests.factories.auth import auth_header
from tests.integration.ledger_api.test_lifecycle import held_first_transfer
from tests.integration.ledger_api.world import Registry, issue, transfer

pytestmark = pytest.mark.postgres

AT_ONCE = 12


@pytest.fixture
def database_urls(postgres_urls: DatabaseUrls) -> DatabaseUrls:
    """Only PostgreSQL runs requests side by side: SQLite takes one writer at a time."""
    return postgres_urls


def at_once(registry: Registry, path: str, body: Any, key: str, role: Role = Role.REGISTRY_ADMIN) -> list[TestResponse]:
    """`AT_ONCE` threads, each with its own client, post the same request as soon as all are ready."""
    headers = auth_header(registry.token(role)) | {"Idempotency-Key": key}
    start = threading.Barrier(AT_ONCE)

    def send(_: int) -> TestResponse:
        client = registry.app.test_client()
        start.wait()
        return client.post(registry.url(path), json=body, headers=headers)

    with ThreadPoolExecutor(AT_ONCE) as pool:
        return list(pool.map(send, range(AT_ONCE)))


def assert_answered_alike(answers: list[TestResponse], status: int) -> dict[str, Any]:
    """Every answer is the first one: the same status and the same body."""
    seen = [(answer.status_code, answer.get_json()) for answer in answers]
    assert all(code == status for code, _ in seen), seen
    bodies = {repr(body) for _, body in seen}
    assert len(bodies) == 1, bodies
    first: dict[str, Any] = seen[0][1]
    return first


def grew(registry: Registry, act: Callable[[], object]) -> dict[str, int]:
    """How many rows each ledger table and the outbox gained while `act` ran."""
    before = registry.counts()
    act()
    after = registry.counts()
    return {table: after[table] - before[table] for table in after if after[table] != before[table]}


@dataclass(frozen=True)
class Family:
    path: str
    body: Callable[[Registry], Any]
    status: int = 201
    role: Role = Role.REGISTRY_ADMIN


def funded(registry: Registry) -> Registry:
    issue(registry, 100)
    transfer(registry, 100, "issuance", "party")
    registry.open_account("second", "party_holding")
    return registry


FAMILIES = {
    "domestic transfer": Family(
        "/transactions/domestic-transfers",
        lambda r: {
            "source_account_id": funded(r).accounts["party"],
            "destination_account_id": r.accounts["second"],
            "quantity": 30,
        },
    ),
    "retirement": Family(
        "/transactions/retirements",
        lambda r: {
            "source_account_id": funded(r).accounts["party"],
            "retirement_account_id": r.accounts["retirement"],
            "quantity": 30,
            "beneficiary": "Village of Kumasi",
        },
    ),
    "account": Family("/accounts", lambda r: {"account_type": "party_holding", "name": "Second holding"}),
    "project": Family(
        "/projects",
        lambda r: {
            "name": "Solar mini-grids",
            "developer": "Sun Ltd",
            "sector": "Energy",
            "project_type": "Solar",
            "methodology": "AMS-I.L.",
            "status": "registered",
            "country": r.party,
            "cooperative_approach_id": r.approach_id,
            "locations": [{"country": r.party, "region": "Volta"}],
            "links": [],
            "crediting_periods": [{"start": "2022-01-01", "end": "2031-12-31"}],
        },
    ),
    "authorization": Family(
        "/authorizations",
        lambda r: {
            "reference": f"{r.party}-A-concurrent",
            "authorized_on": "2024-01-15",
            "cooperative_approach_id": r.approach_id,
            "authorizing_party": r.party,
            "purposes": ["NDC"],
            "timeframe": {"vintage_from": 2021, "vintage_to": 2030},
            "gwp_values": ["AR5"],
        },
        role=Role.AUTHORIZING_OFFICER,
    ),
}


@pytest.mark.parametrize("family", FAMILIES.values(), ids=FAMILIES.keys())
def test_concurrent_replays_of_one_key_act_once_and_answer_alike(ghana: Registry, family: Family) -> None:
    body = family.body(ghana)
    answers: list[TestResponse] = []

    growth = grew(ghana, lambda: answers.extend(at_once(ghana, family.path, body, "one-key", family.role)))

    assert_answered_alike(answers, family.status)
    assert growth.get("ledger_idempotency_keys") == 1
    assert all(rows == 1 for table, rows in growth.items() if table != "outbox"), growth
    repeat = ghana.post_as(ghana.token(family.role), family.path, body, Idempotency_Key="one-key")
    assert (repeat.status_code, repeat.get_json()) == (family.status, answers[0].get_json())


def test_concurrent_approvals_with_one_key_approve_once(ghana: Registry) -> None:
    transaction_id = held_first_transfer(ghana, ghana.token(Role.REGISTRY_ADMIN))
    path = f"/transactions/{transaction_id}/approval"

    growth = grew(ghana, lambda: assert_answered_alike(at_once(ghana, path, {}, "approve-1", Role.APPROVER), 200))

    assert growth.get("ledger_idempotency_keys") == 1
    assert ghana.read(f"/transactions/{transaction_id}")["status"] == "awaiting_acceptance"


def test_concurrent_transfers_of_one_key_move_the_units_once(ghana: Registry) -> None:
    body = FAMILIES["domestic transfer"].body(ghana)

    first = assert_answered_alike(at_once(ghana, "/transactions/domestic-transfers", body, "move-30"), 201)

    assert first["status"] == "completed"
    assert (ghana.holdings("party"), ghana.holdings("second")) == (70, 30)


def test_the_same_key_with_another_body_is_refused_even_at_once(ghana: Registry) -> None:
    body = FAMILIES["domestic transfer"].body(ghana)
    path = "/transactions/domestic-transfers"
    at_once(ghana, path, body, "move-once")

    other = ghana.post(path, body | {"quantity": 31}, Idempotency_Key="move-once")

    assert (other.status_code, other.get_json()["code"]) == (409, "LDG-073")
    assert other.headers["Content-Type"] == "application/problem+json"
    assert (ghana.holdings("party"), ghana.holdings("second")) == (70, 30)
