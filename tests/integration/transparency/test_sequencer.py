"""The sequencer builds each registry's tree from its committed journal; proofs come from stored hashes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
from click.testing import CliRunner
from sqlalchemy import delete

from gateway.bootstrap import Platform
from gateway.cli.main import PROCESS_TYPES, main
from services.ledger.adapters import tables
from services.shared.db.database import Database
from services.transparency.adapters.store import SqlTreeStore
from services.transparency.domain.merkle import EMPTY_ROOT, node_hash, split_point
from services.transparency.domain.proofs import verify_consistency, verify_inclusion
from services.transparency.entrypoints.sequencer import catch_up
from services.transparency.service_layer import proving
from services.transparency.service_layer.proving import BeyondTree
from tests.conftest import TEST_SECRET, DatabaseUrls, fresh_postgres_database
from tests.integration.transparency.journal import append_records, leaf_of, new_registry


def mth(leaves: list[bytes]) -> bytes:
    """RFC 9162 2.1.1 over leaf hashes."""
    if len(leaves) == 1:
        return leaves[0]
    k = split_point(len(leaves))
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def test_the_tree_is_the_rfc_tree_of_the_journal_whatever_the_batches(platform: Platform) -> None:
    tenant_id, other = new_registry(platform), new_registry(platform)
    records = append_records(platform, tenant_id, 7)
    append_records(platform, other, 3)

    assert catch_up(platform.database, tenant_id, batch_size=3).size == 7
    records += append_records(platform, tenant_id, 6, last=records[-1])
    done = catch_up(platform.database, tenant_id, batch_size=4)

    leaves = [leaf_of(r) for r in records]
    assert (done.count, done.size, done.root) == (6, 13, mth(leaves))
    with platform.database.transaction(tenant_id) as session:
        store = SqlTreeStore(session, tenant_id)
        for size in range(1, 14):
            root = proving.root(store, size)
            assert root == mth(leaves[:size])
            for index in range(size):
                verify_inclusion(leaves[index], index, size, proving.inclusion_proof(store, index, size), root)
            for old in range(1, size + 1):
                proof = proving.consistency_proof(store, old, size)
                verify_consistency(old, size, proof, mth(leaves[:old]), root)
    with platform.database.transaction(other) as session:  # another registry's tree is its own
        assert SqlTreeStore(session, other).head() == (0, EMPTY_ROOT)


def test_records_are_provable_only_once_integrated(platform: Platform) -> None:
    tenant_id = new_registry(platform)
    records = append_records(platform, tenant_id, 2)
    with platform.database.transaction(tenant_id) as session, pytest.raises(BeyondTree):
        proving.inclusion_proof(SqlTreeStore(session, tenant_id), 0, 1)

    catch_up(platform.database, tenant_id)
    with platform.database.transaction(tenant_id) as session:
        store = SqlTreeStore(session, tenant_id)
        assert proving.inclusion_proof(store, 0, 2) == [leaf_of(records[1])]
        with pytest.raises(BeyondTree):
            proving.consistency_proof(store, 1, 3)


@pytest.fixture
def postgres_urls(postgres_server: DatabaseUrls) -> Iterator[DatabaseUrls]:
    """The command walks every registry of its database: only this test's registries may be there."""
    yield from fresh_postgres_database(postgres_server)


def test_the_command_integrates_every_registry(database_urls: DatabaseUrls, platform: Platform) -> None:
    tenant_id = new_registry(platform)
    records = append_records(platform, tenant_id, 5)
    env = {"DATABASE_URL": database_urls.app, "DATABASE_OWNER_URL": database_urls.owner, "SECRET_KEY": TEST_SECRET}

    result = CliRunner().invoke(main, ["transparency", "sequence", "--batch", "2"], env=env)

    assert result.exit_code == 0, result.output
    root = mth([leaf_of(r) for r in records])
    code = next(t.code for t in platform.catalogue.list() if t.id == tenant_id)
    assert f"{code}: integrated 5, tree size 5, root {root.hex()}" in result.output


def test_a_registry_with_a_journal_gap_is_reported_and_the_others_are_integrated(
    database_urls: DatabaseUrls, platform: Platform
) -> None:
    broken, whole = new_registry(platform), new_registry(platform)
    append_records(platform, broken, 3)
    records = append_records(platform, whole, 4)
    owner = Database(database_urls.owner)  # the app role may only append to the journal
    with owner.transaction(broken) as session:
        session.execute(
            delete(tables.journal).where(tables.journal.c.tenant_id == broken, tables.journal.c.sequence == 1)
        )
    owner.dispose()
    env = {"DATABASE_URL": database_urls.app, "DATABASE_OWNER_URL": database_urls.owner, "SECRET_KEY": TEST_SECRET}

    result = CliRunner().invoke(main, ["transparency", "sequence"], env=env)

    codes = {t.id: t.code for t in platform.catalogue.list()}
    assert result.exit_code == 1
    assert f"{codes[broken]}: not integrated: journal record 1 is missing: found 2" in result.stderr
    assert f"registry journal verify --registry {codes[broken]}" in result.stderr
    root = mth([leaf_of(r) for r in records])
    assert f"{codes[whole]}: integrated 4, tree size 4, root {root.hex()}" in result.stdout
    with platform.database.transaction(broken) as session:  # nothing integrated past the gap
        assert SqlTreeStore(session, broken).head() == (0, EMPTY_ROOT)


def test_the_deployed_duty_integrates_new_records_and_beats_its_heartbeat(
    database_urls: DatabaseUrls, platform: Platform, tmp_path: Path
) -> None:
    tenant_id = new_registry(platform)
    heartbeat = tmp_path / "heartbeat"
    env = {
        **os.environ,
        "DATABASE_URL": database_urls.app,
        "DATABASE_OWNER_URL": database_urls.owner,
        "SECRET_KEY": TEST_SECRET,
        "REGISTRY_HEARTBEAT_FILE": str(heartbeat),
    }
    command = [sys.executable, "-m", "gateway.cli.main", *PROCESS_TYPES["sequencer"][:-1], "0.2"]
    duty = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        append_records(platform, tenant_id, 3)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _integrated(platform, tenant_id, 3):
            time.sleep(0.2)
        assert _integrated(platform, tenant_id, 3), "the duty did not integrate the new records"
        while time.monotonic() < deadline and not heartbeat.exists():  # beats once the whole pass is over
            time.sleep(0.2)
        assert heartbeat.exists(), "the duty integrated records but never beat its heartbeat"
    finally:
        duty.terminate()
        duty.communicate(timeout=30)


def _integrated(platform: Platform, tenant_id: UUID, size: int) -> bool:
    with platform.database.transaction(tenant_id) as session:
        return SqlTreeStore(session, tenant_id).head()[0] == size
