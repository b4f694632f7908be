"""Registries cosign each other's checkpoints (C2SP tlog-witness): a witness cosigns only a checkpoint that
extends the last one it cosigned, so a log cannot show two histories; a receipt carries the cosignature and
the offline verifier can require it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from gateway.app import create_app
from gateway.bootstrap import Platform, platform_of
from services.shared.secret_box import AesGcmSecretBox
from services.transparency.adapters.keys import SqlKeyRing
from services.transparency.domain.notes import Checkpoint, open_note, parse_verifier_key, sign
from services.transparency.domain.witness import parse_witness_key, request_text, verify_cosignature
from services.transparency.service_layer.checkpoints import signing_key
from tests.conftest import TEST_SECRET, DatabaseUrls, settings_for
from tests.integration.ledger_api import world
from tests.integration.ledger_api.world import furnish, issue, transfer
from tests.integration.transparency.journal import append_records, new_registry
from tests.integration.transparency.test_public_log import code_of, get, registry, registry_verify


@pytest.fixture
def app(database_urls: DatabaseUrls) -> Iterator[Flask]:
    built = create_app(settings_for(database_urls))
    built.config.update(RATE_LIMIT_PER_CLIENT_PER_MINUTE=100_000, RATE_LIMIT_PER_TENANT_PER_MINUTE=100_000)
    yield built
    platform_of(built).close()


def witness_key(client: FlaskClient, code: str) -> str:
    answer = client.get(f"/api/v1/registries/{code}/witness/key")
    assert answer.status_code == 200, answer.get_json()
    return answer.get_data(as_text=True).strip()


def add_checkpoint(client: FlaskClient, code: str, body: str) -> Any:
    return client.post(
        f"/api/v1/registries/{code}/witness/add-checkpoint", data=body.encode(), content_type="text/plain"
    )


def test_another_registry_cosigns_each_checkpoint_that_extends_the_last(
    database_urls: DatabaseUrls, app: Flask
) -> None:
    platform: Platform = platform_of(app)
    log_id, witness_id = new_registry(platform), new_registry(platform)
    log_code, witness_code = code_of(platform, log_id), code_of(platform, witness_id)
    records = append_records(platform, log_id, 5)
    client = app.test_client()

    assert "witnessed by carbon-registry/" in registry(
        database_urls, "witness", "--registry", log_code, "--by", witness_code
    )
    registry(database_urls, "sequence", "--registry", log_code)
    name, public = parse_witness_key(witness_key(client, witness_code))
    first = get(client, log_code, "/checkpoint").get_data(as_text=True)
    append_records(platform, log_id, 4, last=records[-1])
    registry(database_urls, "sequence", "--registry", log_code)
    second = get(client, log_code, "/checkpoint").get_data(as_text=True)

    log_name, log_public = parse_verifier_key(get(client, log_code, "/keys").json["items"][0]["verifier_key"])
    assert open_note(first, log_name, log_public).size == 5
    assert open_note(second, log_name, log_public).size == 9
    assert (
        name
        == f"carbon-registry/{next(t.registry_id for t in platform.catalogue.list() if t.id == witness_id)}/witness"
    )
    verify_cosignature(first, name, public)
    verify_cosignature(second, name, public)  # the witness checked the consistency proof from 5 to 9


def forked_request(platform: Platform, log_id: Any, registry_id: str, old: int, size: int, proof: list[bytes]) -> str:
    """A checkpoint signed with the log's own key over a root that is not its tree's: a fork."""
    box = AesGcmSecretBox(TEST_SECRET)
    with platform.database.transaction(log_id) as session:
        keys = SqlKeyRing(session, log_id)
        key = next(k for k in keys.history() if k.retired_at is None)
        private = signing_key(keys, box, key)
    note = sign(Checkpoint(f"carbon-registry/{registry_id}", size, b"\x07" * 32), key.name, private)
    return request_text(old, proof, note)


def test_a_witness_refuses_a_fork_a_stale_size_a_stranger_and_nonsense(database_urls: DatabaseUrls, app: Flask) -> None:
    platform: Platform = platform_of(app)
    log_id, witness_id = new_registry(platform), new_registry(platform)
    log = next(t for t in platform.catalogue.list() if t.id == log_id)
    witness_code = code_of(platform, witness_id)
    append_records(platform, log_id, 5)
    registry(database_urls, "witness", "--registry", log.code, "--by", witness_code)
    registry(database_urls, "sequence", "--registry", log.code)  # the witness cosigned size 5
    client = app.test_client()
    genuine = get(client, log.code, "/checkpoint").get_data(as_text=True)

    same_size_fork = add_checkpoint(client, witness_code, forked_request(platform, log_id, log.registry_id, 5, 5, []))
    bigger_fork = add_checkpoint(
        client, witness_code, forked_request(platform, log_id, log.registry_id, 5, 8, [b"\x01" * 32, b"\x02" * 32])
    )
    stale = add_checkpoint(client, witness_code, request_text(0, [], genuine))
    stranger = Ed25519PrivateKey.generate()
    unsigned = sign(Checkpoint(f"carbon-registry/{log.registry_id}", 5, b"\x00" * 32), log.code, stranger)
    forged = add_checkpoint(client, witness_code, request_text(5, [], unsigned))
    unknown = add_checkpoint(client, code_of(platform, new_registry(platform)), request_text(0, [], genuine))
    nonsense = add_checkpoint(client, witness_code, "hello")
    as_form = client.post(
        f"/api/v1/registries/{witness_code}/witness/add-checkpoint",
        data=request_text(5, [], genuine).encode(),
        content_type="application/x-www-form-urlencoded",
    )

    for answer, status in ((same_size_fork, 422), (bigger_fork, 422), (forged, 403), (unknown, 404), (nonsense, 400)):
        assert (answer.status_code, answer.mimetype) == (status, "application/problem+json"), answer.get_data()
        assert answer.get_json()["code"] == "transparency.witness_refused"
    assert (stale.status_code, stale.mimetype, stale.get_data(as_text=True)) == (409, "text/x.tlog.size", "5\n")
    assert (as_form.status_code, as_form.get_json()["code"]) == (415, "request.unsupported_media_type")


def test_a_retirement_receipt_is_cosigned_and_the_verifier_requires_the_witness(
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
    platform: Platform = platform_of(app)
    witness_code = code_of(platform, new_registry(platform))
    registry(database_urls, "witness", "--registry", ghana.tenant.code, "--by", witness_code)
    registry(database_urls, "sequence", "--registry", ghana.tenant.code)
    client = app.test_client()
    receipt = get(client, ghana.tenant.code, "/receipt", sequence=retirement["journal_sequence"]).json
    vkey = get(client, ghana.tenant.code, "/keys").json["items"][0]["verifier_key"]
    wkey = witness_key(client, witness_code)
    other_witness = code_of(platform, new_registry(platform))
    registry(database_urls, "witness", "--registry", code_of(platform, new_registry(platform)), "--by", other_witness)

    accepted = registry_verify(receipt, vkey, tmp_path, [wkey])
    refused = registry_verify(receipt, vkey, tmp_path, [witness_key(client, other_witness)])

    assert accepted.returncode == 0, accepted.stderr
    assert "cosigned by the witness carbon-registry/" in accepted.stdout
    assert (refused.returncode, "no cosignature of the witness" in refused.stderr) == (1, True)


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    """The app on a real HTTP port, as a witness of another platform would be reached."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_a_witness_outside_the_platform_cosigns_over_http(database_urls: DatabaseUrls, app: Flask, served: str) -> None:
    platform: Platform = platform_of(app)
    log_id, witness_id = new_registry(platform), new_registry(platform)
    log_code, witness_code = code_of(platform, log_id), code_of(platform, witness_id)
    append_records(platform, log_id, 3)
    registry(database_urls, "sequence", "--registry", log_code)
    client = app.test_client()
    log_key = get(client, log_code, "/keys").json["items"][0]["verifier_key"]
    origin = log_key.split("+", 1)[0]
    registry(database_urls, "follow", "--registry", witness_code, "--origin", origin, "--log-key", log_key)
    wkey = witness_key(client, witness_code)
    url = f"{served}/api/v1/registries/{witness_code}/witness"

    registry(database_urls, "witness", "--registry", log_code, "--url", url, "--witness-key", wkey)
    cosigned = registry(database_urls, "cosign", "--registry", log_code)

    assert f"cosigned by {wkey.split('+', 1)[0]}" in cosigned
    verify_cosignature(get(client, log_code, "/checkpoint").get_data(as_text=True), *parse_witness_key(wkey))
