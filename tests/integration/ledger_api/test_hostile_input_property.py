"""Random JSON at representative write endpoints on PostgreSQL: whatever arrives, the answer is below
500, a refusal is problem+json, and a refused request leaves blocks, journal and outbox as they were."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from gateway.auth.principal import Role
from tests.conftest import DatabaseUrls
from tests.factories.auth import auth_header
from tests.integration.ledger_api.world import Registry, issue

pytestmark = pytest.mark.postgres

ODD_TEXT = ["\x00", "\ud800", "a\udfffb", "\x00\x00", "\u202e", "\ufeff", "\U0001d54f", "'; DROP TABLE x; --", ""]
RAW_NUMBERS = ["1" + "0" * 5_000, str(10**30), str(2**63), str(-(2**63) - 1), "1e400", "-0", "NaN", "1.5"]

texts = st.text(alphabet=st.characters(exclude_categories=()), max_size=12) | st.sampled_from(ODD_TEXT)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.sampled_from([0, 1, -1, 2**63 - 1, 2**62, 1990, 2200, 9999])
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts
)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3), max_leaves=6
)


@pytest.fixture
def database_urls(postgres_urls: DatabaseUrls) -> DatabaseUrls:
    """Only PostgreSQL here: NUL, surrogates and bigint overflow are what it refuses and SQLite takes."""
    return postgres_urls


def baselines(ghana: Registry) -> dict[str, dict[str, Any]]:
    a = ghana.accounts
    return {
        "/accounts": {"account_type": "party_holding", "name": "Fuzz"},
        "/transactions/issuances": {"issuance_id": ghana.issuance_id, "account_id": a["issuance"],
                                    "cooperative_approach_id": ghana.approach_id, "vintage": 2023, "quantity": 1},
        "/transactions/domestic-transfers": {"source_account_id": a["issuance"],
                                             "destination_account_id": a["party"], "quantity": 1},
    }  # fmt: skip


@st.composite
def hostile_bodies(draw: st.DrawFn, endpoints: dict[str, dict[str, Any]]) -> tuple[str, str]:
    """An endpoint and a raw body: its valid fields, some replaced by random values, maybe extra keys,
    maybe a key repeated in the raw text with a random or unparseable value."""
    path = draw(st.sampled_from(sorted(endpoints)))
    body = dict(endpoints[path])
    for key in draw(st.lists(st.sampled_from(sorted(body)), max_size=len(body), unique=True)):
        body[key] = draw(values)
    body |= draw(st.dictionaries(texts, values, max_size=2))
    raw = json.dumps(draw(st.one_of(st.just(body), values)), ensure_ascii=draw(st.booleans()))
    if raw.startswith("{") and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(endpoints[path])))
        repeated = draw(st.sampled_from(RAW_NUMBERS) | values.map(json.dumps))
        raw = f'{{"{key}": {repeated}, {raw[1:]}' if raw != "{}" else f'{{"{key}": {repeated}}}'
    return path, raw


def test_random_json_never_answers_500_and_a_refusal_changes_nothing(ghana: Registry) -> None:
    issue(ghana, 1_000)
    headers = auth_header(ghana.token(Role.REGISTRY_ADMIN)) | {"Content-Type": "application/json"}
    client = ghana.http

    @seed(15)
    @settings(max_examples=100, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(hostile_bodies(baselines(ghana)))
    def attack(case: tuple[str, str]) -> None:
        path, raw = case
        before = ghana.counts()
        answer = client.post(ghana.url(path), data=raw.encode("utf-8", "surrogatepass"), headers=headers)
        assert answer.status_code < 500, (path, raw[:200], answer.get_data(as_text=True)[:300])
        if answer.status_code >= 400:
            assert answer.mimetype == "application/problem+json", (path, raw[:200])
            assert answer.get_json()["code"], (path, raw[:200])
            assert ghana.counts() == before, f"refused {path} {raw[:200]!r} changed the ledger"

    attack()
