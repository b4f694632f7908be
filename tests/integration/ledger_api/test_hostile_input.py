"""Hostile input never answers 500 and never changes anything: each refusal is 4xx problem+json with a
stable code, on SQLite and on PostgreSQL, and the ledger's tables, journal and outbox keep their rows."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.auth.principal import Role
from tests.factories.auth import auth_header
from tests.integration.ledger_api.world import Registry, issue

BIGINT_MAX = 2**63 - 1


def post_raw(registry: Registry, path: str, raw: str | bytes, role: Role = Role.REGISTRY_ADMIN) -> Any:
    headers = auth_header(registry.token(role)) | {"Content-Type": "application/json"}
    return registry.http.post(registry.url(path), data=raw, headers=headers)


def assert_refused(answer: Any, status: int, code: str) -> None:
    problem = answer.get_json(force=True)
    assert answer.status_code == status, problem
    assert answer.mimetype == "application/problem+json"
    assert problem["code"] == code, problem


def transfer_text(ghana: Registry, quantities: str) -> str:
    a = ghana.accounts
    return f'{{"source_account_id": "{a["issuance"]}", "destination_account_id": "{a["party"]}", {quantities}}}'


def test_a_duplicate_key_is_refused_and_moves_nothing(ghana: Registry) -> None:
    issue(ghana, 10)
    before = ghana.counts()

    answer = post_raw(ghana, "/transactions/domestic-transfers", transfer_text(ghana, '"quantity": 0, "quantity": 1'))

    assert_refused(answer, 400, "request.duplicate_key")
    assert ghana.counts() == before
    assert ghana.holdings("party") == 0


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("[" * 50_000 + "]" * 50_000, "request.too_deep"),
        ('{"a": ' * 65 + "1" + "}" * 65, "request.too_deep"),
        ('{"quantity": 1' + "0" * 4_999 + "}", "request.number_out_of_range"),
        ('{"quantity": 1e400}', "request.number_out_of_range"),
        ('{"quantity": NaN}', "request.malformed"),
    ],
    ids=["50000 levels", "65 levels", "5000 digits", "infinite float", "NaN"],
)
def test_json_the_parser_cannot_hold_is_refused(ghana: Registry, raw: str, code: str) -> None:
    before = ghana.counts()

    assert_refused(post_raw(ghana, "/transactions/domestic-transfers", raw), 400, code)
    assert ghana.counts() == before


def test_json_at_the_depth_limit_is_read(ghana: Registry) -> None:
    nested = '{"a": ' * 63 + "1" + "}" * 63
    body = transfer_text(ghana, f'"quantity": 1, "memo": {nested}')

    # 64 levels parse; the schema then refuses the unknown field, which proves the body was read.
    assert_refused(post_raw(ghana, "/transactions/domestic-transfers", body), 422, "request.invalid")


def test_a_nul_byte_in_the_path_is_refused(ghana: Registry) -> None:
    answer = ghana.http.get("/api/v1/registries/x%00/public/holdings")

    assert_refused(answer, 400, "request.invalid_text")


@pytest.mark.parametrize("year", ["9999", "10000", "-1", "99999999999999999999999"])
def test_a_year_outside_the_registry_calendar_is_refused(ghana: Registry, year: str) -> None:
    answer = ghana.http.get(ghana.url("/public/holdings"), query_string={"year": year})

    assert_refused(answer, 422, "request.invalid")


TEXTS = {"NUL": "Bad\x00name", "lone surrogate": "Bad\ud800name"}


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_text_fields_refuse_nul_and_unpaired_surrogates(ghana: Registry, text: str) -> None:
    before = ghana.counts()
    bodies = {
        "/accounts": {"account_type": "party_holding", "name": text},
        "/projects": {"name": text, "developer": "D", "sector": "Energy", "project_type": "Cookstoves",
                      "methodology": "M", "status": "registered", "country": ghana.party},
        "/authorized-entities": {"cooperative_approach_id": ghana.approach_id, "name": text,
                                 "country_of_incorporation": ghana.party, "identification_number": "1",
                                 "authorized_on": "2024-01-01"},
    }  # fmt: skip
    for path, body in bodies.items():
        assert_refused(ghana.post(path, body), 400, "request.invalid_text")
    assert ghana.counts() == before


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/audit-events", {"actor": "x\x00"}),
        ("/accounts", {"name": "x\x00"}),
        ("/accounts", {"x\x00": "1"}),
        ("/public/holdings", {"cooperative_approach_id": "CA\x001"}),
    ],
)
def test_query_strings_refuse_nul(ghana: Registry, path: str, query: dict[str, str]) -> None:
    assert_refused(ghana.get(path, Role.REGISTRY_ADMIN, **query), 400, "request.invalid_text")


def test_headers_refuse_nul(ghana: Registry) -> None:
    before = ghana.counts()
    body = {"account_type": "party_holding", "name": "Keyed"}

    answer = ghana.post("/accounts", body, Idempotency_Key="key\x00", X_Request_Id="request\x00id")

    assert_refused(answer, 400, "request.invalid_text")
    assert "\x00" not in answer.headers["X-Request-Id"]
    assert ghana.counts() == before


def test_integers_beyond_bigint_in_a_body_are_refused(ghana: Registry) -> None:
    before = ghana.counts()
    issuance = {"issuance_id": ghana.issuance_id, "account_id": ghana.accounts["issuance"],
                "cooperative_approach_id": ghana.approach_id}  # fmt: skip

    for body in (
        issuance | {"vintage": 10**30, "quantity": 1},
        issuance | {"vintage": 2023, "quantity": 2**63},
        {"account_type": "ndc_use", "name": "NDC", "ndc_year": -(2**64)},
    ):
        path = "/accounts" if "account_type" in body else "/transactions/issuances"
        assert_refused(ghana.post(path, body), 400, "request.number_out_of_range")
    assert ghana.counts() == before


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/accounts", {"account_type": "ndc_use", "name": "NDC", "ndc_year": -6505904350421400}),
        ("/transactions/issuances", {"vintage": 1_000_000}),
        ("/transactions/issuances", {"vintage": -2023}),
    ],
)
def test_integers_beyond_the_domain_in_a_body_are_refused(ghana: Registry, path: str, body: dict[str, Any]) -> None:
    before = ghana.counts()
    if path == "/transactions/issuances":
        body = {"issuance_id": ghana.issuance_id, "account_id": ghana.accounts["issuance"],
                "cooperative_approach_id": ghana.approach_id, "quantity": 1, **body}  # fmt: skip

    assert_refused(ghana.post(path, body), 422, "request.invalid")
    assert ghana.counts() == before


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/accounts", {"page": "172998173905563999535104"}),
        ("/accounts", {"page": "1" + "0" * 5_000}),
        ("/transactions", {"page": str(BIGINT_MAX)}),
        ("/public/holdings", {"year": str(2**64)}),
        ("/audit-events", {"limit": str(2**64)}),
    ],
)
def test_integers_beyond_bounds_in_a_query_string_are_refused(
    ghana: Registry, path: str, query: dict[str, str]
) -> None:
    assert_refused(ghana.get(path, Role.REGISTRY_ADMIN, **query), 422, "request.invalid")


def issuance_record(ghana: Registry, quantity: int) -> Any:
    project = ghana.read("/projects")["items"][0]["id"]
    body = {"project_id": project, "monitoring_start": "2023-01-01", "monitoring_end": "2023-12-31",
            "verifier": "V", "verified_on": "2024-03-01", "issued_on": "2024-03-15",
            "quantities": [{"vintage": 2023, "quantity": quantity}]}  # fmt: skip
    return ghana.post("/issuances", body)


def test_an_issuance_record_beyond_bigint_is_refused(ghana: Registry) -> None:
    before = ghana.counts()

    assert_refused(issuance_record(ghana, 10**30), 400, "request.number_out_of_range")
    assert ghana.counts() == before


def test_an_issuance_past_the_serial_space_fails_its_check(ghana: Registry) -> None:
    issue(ghana, 1)
    created = issuance_record(ghana, BIGINT_MAX)
    assert created.status_code == 201, created.get_json()
    before = ghana.counts()

    body = {"issuance_id": created.get_json()["id"], "account_id": ghana.accounts["issuance"],
            "cooperative_approach_id": ghana.approach_id, "vintage": 2023, "quantity": BIGINT_MAX}  # fmt: skip
    answer = ghana.post("/transactions/issuances", body)

    assert_refused(answer, 422, "LDG-016")
    assert answer.get_json()["field"] == "quantity"
    assert ghana.counts() == before
    issue(ghana, 1)  # the registry keeps issuing within its serial space


def test_an_over_long_url_answers_414_problem(ghana: Registry) -> None:
    answer = ghana.get("/accounts", Role.REGISTRY_ADMIN, name="x" * 9_000)

    assert_refused(answer, 414, "request.uri_too_long")
