"""The public log API: a checkpoint signed by the registry's key, proofs that check against it, key history."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from gateway.app import create_app
from gateway.bootstrap import Platform, platform_of
from gateway.cli.main import main
from services.transparency.domain.merkle import leaf_hash
from services.transparency.domain.notes import InvalidNote, open_note, parse_verifier_key
from services.transparency.domain.proofs import verify_consistency, verify_inclusion
from tests.conftest import TEST_SECRET, DatabaseUrls, settings_for
from tests.integration.ledger_api import world
from tests.integration.ledger_api.world import furnish, issue, transfer
from tests.integration.transparency.journal import append_records, new_registry


@pytest.fixture
def app(database_urls: DatabaseUrls) -> Iterator[Flask]:
    built = create_app(settings_for(database_urls))
    built.config.update(RATE_LIMIT_PER_CLIENT_PER_MINUTE=100_000, RATE_LIMIT_PER_TENANT_PER_MINUTE=100_000)
    yield built
    platform_of(built).close()


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
    platform: Platform = platform_of(app)
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
    platform: Platform = platform_of(app)
    tenant_id = new_registry(platform)
    append_records(platform, tenant_id, 3)
    registry(database_urls, "sequence", "--registry", code_of(platform, tenant_id))

    answer = get(app.test_client(), code_of(platform, tenant_id), path, **query)

    assert (answer.status_code, answer.mimetype, answer.json["code"]) == (status, "application/problem+json", code)


def test_an_unknown_registry_has_no_log(app: Flask) -> None:
    answer = app.test_client().get("/api/v1/registries/nowhere/log/checkpoint")
    assert (answer.status_code, answer.json["code"]) == (404, "resource.not_found")


VERIFIER = Path(__file__).parents[3] / "verifier"


def registry_verify(
    receipt: Any, vkey: str, folder: Path, witnesses: Sequence[str] = ()
) -> subprocess.CompletedProcess[str]:
    """The offline verifier as a buyer runs it: its own package, a receipt file, a key file, and a file for each
    witness whose cosignature it requires."""
    (folder / "receipt.json").write_text(json.dumps(receipt), encoding="utf-8")
    (folder / "registry.pub").write_text(vkey + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "registry_verify", "receipt.json", "--key", "registry.pub"]
    for number, key in enumerate(witnesses):
        (folder / f"witness{number}.pub").write_text(key + "\n", encoding="utf-8")
        command += ["--witness-key", f"witness{number}.pub"]
    env = {"PYTHONPATH": str(VERIFIER), "PATH": os.environ.get("PATH", "")}
    return subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, check=False)


def test_a_retirement_made_through_the_api_has_a_receipt_the_offline_verifier_accepts(
    database_urls: DatabaseUrls, app: Flask, tmp_path: Path
) -> None:
    ghana = furnish(world.new_registry(app), world.new_registry(app))
    issue(ghana, 100)
    transfer(ghana, 60, "issuance", "party")
    body = {
        "source_account_id": ghana.accounts["party"],
        "retirement_account_id": ghana.accounts["retirement"],
        "quantity": 25,
        "beneficiary": "Village of Kumasi",
    }
    retirement = ghana.ok("/transactions/retirements", body)
    registry(database_urls, "sequence", "--registry", ghana.tenant.code)
    client = app.test_client()
    vkey = get(client, ghana.tenant.code, "/keys").json["items"][0]["verifier_key"]

    answer = get(client, ghana.tenant.code, "/receipt", sequence=retirement["journal_sequence"])

    receipt = answer.json
    assert retirement["transaction_id"] in receipt["leaf"]
    assert '"state":"retired"' in receipt["leaf"]
    accepted = registry_verify(receipt, vkey, tmp_path)
    assert accepted.returncode == 0, accepted.stderr
    assert accepted.stdout.startswith(f"OK: record {retirement['journal_sequence']} of carbon-registry/")
    forged = {**receipt, "leaf": receipt["leaf"].replace('"quantity":25', '"quantity":2500')}
    assert forged != receipt
    rejected = registry_verify(forged, vkey, tmp_path)
    assert (rejected.returncode, rejected.stderr.startswith("REJECTED: the record is not in")) == (1, True)
    stranger = "carbon-registry/XXX01+00000000+AQ" + "A" * 42 + "="
    assert registry_verify(receipt, stranger, tmp_path).returncode == 1
