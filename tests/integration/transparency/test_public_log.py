"""The public log API: a checkpoint signed by the registry's key, proofs that check against it, key history."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from gateway.app import create_app
from gateway.cli import main
from gateway.platform import Platform
from services.transparency.domain.merkle import leaf_hash
from services.transparency.domain.notes import InvalidNote, open_note, parse_verifier_key
from services.transparency.domain.proofs import verify_consistency, verify_inclusion
from tests.conftest import TEST_SECRET, DatabaseUrls, settings_for
from tests.integration.transparency.journal import append_records, new_registry


@pytest.fixture
def app(database_urls: DatabaseUrls) -> Iterator[Flask]:
    built = create_app(settings_for(database_urls))
    built.config.update(RATE_LIMIT_PER_CLIENT_PER_MINUTE=100_000, RATE_LIMIT_PER_TENANT_PER_MINUTE=100_000)
    yield built
    built.extensions["registry"].close()


def registry(urls: DatabaseUrls, *args: str) -> str:
    env = {"DATABASE_URL": urls.app, "DATABASE_OWNER_URL": urls.owner, "SECRET_KEY": TEST_SECRET}
    result = CliRunner().invoke(main, ["transparency", *args], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def code_of(platform: Platform, tenant_id: UUID) -> str:
    return next(t.code for t in platform.catalogue.list() if t.id == tenant_id)


def get(client: FlaskClient, code: str, path: str, **query: Any) -> Any:
    return client.get(f"/api/v1/registries/{code}/log{path}", query_string=query)


def test_a_buyer_checks_a_record_and_the_log_growth_against_signed_checkpoints(
    database_urls: DatabaseUrls, app: Flask
) -> None:
    platform: Platform = app.extensions["registry"]
    tenant_id = new_registry(platform)
    code, client = code_of(platform, tenant_id), app.test_client()
    assert get(client, code, "/checkpoint").json["code"] == "transparency.no_checkpoint"
    records = append_records(platform, tenant_id, 5)
    registry(database_urls, "sequence", "--registry", code)

    keys = get(client, code, "/keys").json["items"]
    name, public = parse_verifier_key(keys[0]["verifier_key"])
    answer = get(client, code, "/checkpoint")
    assert answer.mimetype == "text/plain"
    first = open_note(answer.get_data(as_text=True), name, public)
    assert (first.size, first.origin) == (5, name)
    assert name.startswith("carbon-registry/")

    proof = get(client, code, "/proofs/inclusion", sequence=3).json
    leaf = proof["leaf"].encode()
    assert base64.b64decode(proof["leaf_hash"]) == leaf_hash(leaf)
    assert f'"record_hash":"{records[2].record_hash}"' in proof["leaf"]
    path = [base64.b64decode(h) for h in proof["hashes"]]
    verify_inclusion(leaf_hash(leaf), proof["leaf_index"], proof["tree_size"], path, first.root)
    assert open_note(proof["checkpoint"], name, public) == first

    append_records(platform, tenant_id, 4, last=records[-1])
    registry(database_urls, "rotate-key", "--registry", code)
    registry(database_urls, "sequence", "--registry", code)
    keys = get(client, code, "/keys").json["items"]
    assert [k["retired_at"] is None for k in keys] == [False, True]
    new_name, new_public = parse_verifier_key(keys[1]["verifier_key"])
    second = open_note(get(client, code, "/checkpoint").get_data(as_text=True), new_name, new_public)
    with pytest.raises(InvalidNote):  # the retired key signs no more
        open_note(get(client, code, "/checkpoint").get_data(as_text=True), name, public)
    growth = get(client, code, "/proofs/consistency", first=5, second=9).json
    hashes = [base64.b64decode(h) for h in growth["hashes"]]
    verify_consistency(5, 9, hashes, first.root, second.root)


@pytest.mark.parametrize(
    ("path", "query", "status", "code"),
    [
        ("/proofs/inclusion", {"sequence": 4, "tree_size": 3}, 422, "transparency.beyond_tree"),
        ("/proofs/inclusion", {"sequence": 1, "tree_size": 4}, 422, "transparency.beyond_tree"),
        ("/proofs/inclusion", {"sequence": 0}, 422, "request.invalid"),
        ("/proofs/inclusion", {"sequence": 2**63}, 422, "request.invalid"),
        ("/proofs/consistency", {"first": 3, "second": 2}, 422, "transparency.beyond_tree"),
        ("/proofs/consistency", {"first": "x", "second": 2}, 422, "request.invalid"),
    ],
)
def test_a_bad_proof_query_is_a_problem(
    database_urls: DatabaseUrls, app: Flask, path: str, query: dict[str, Any], status: int, code: str
) -> None:
    platform: Platform = app.extensions["registry"]
    tenant_id = new_registry(platform)
    append_records(platform, tenant_id, 3)
    registry(database_urls, "sequence", "--registry", code_of(platform, tenant_id))

    answer = get(app.test_client(), code_of(platform, tenant_id), path, **query)

    assert (answer.status_code, answer.mimetype, answer.json["code"]) == (status, "application/problem+json", code)


def test_an_unknown_registry_has_no_log(app: Flask) -> None:
    answer = app.test_client().get("/api/v1/registries/nowhere/log/checkpoint")
    assert (answer.status_code, answer.json["code"]) == (404, "resource.not_found")
