"""`registry journal verify` checks the stored tree against the hash chain: a rewrite of either is caught."""

from __future__ import annotations

import json
from uuid import UUID

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import text

from gateway.bootstrap import Platform
from gateway.cli.main import main
from services.ledger.domain.journal import compute_hash
from services.shared.db.database import Database
from services.transparency.entrypoints.sequencer import catch_up
from tests.conftest import TEST_SECRET, DatabaseUrls
from tests.integration.transparency.journal import append_records, new_registry

pytestmark = pytest.mark.postgres


def verify(urls: DatabaseUrls, platform: Platform, tenant_id: UUID) -> Result:
    env = {"DATABASE_URL": urls.app, "DATABASE_OWNER_URL": urls.owner, "SECRET_KEY": TEST_SECRET}
    code = next(t.code for t in platform.catalogue.list() if t.id == tenant_id)
    return CliRunner().invoke(main, ["journal", "verify", "--registry", code], env=env)


def as_owner(urls: DatabaseUrls, tenant_id: UUID, *statements: tuple[str, dict[str, object]]) -> None:
    owner = Database(urls.owner)
    try:  # the app role may not change the journal or the tree's nodes: only the owner role can
        with owner.transaction(tenant_id) as session:
            for statement, values in statements:
                assert session.execute(text(statement), values).rowcount >= 1  # type: ignore[attr-defined]
    finally:
        owner.dispose()


def test_a_sequenced_journal_is_intact(postgres_urls: DatabaseUrls, postgres_platform: Platform) -> None:
    tenant_id = new_registry(postgres_platform)
    append_records(postgres_platform, tenant_id, 5)
    catch_up(postgres_platform.database, tenant_id)

    result = verify(postgres_urls, postgres_platform, tenant_id)

    assert (result.exit_code, result.output.strip()) == (0, "journal intact: 5 records")


def test_a_journal_rewritten_with_a_fresh_chain_is_caught_by_the_tree(
    postgres_urls: DatabaseUrls, postgres_platform: Platform
) -> None:
    tenant_id = new_registry(postgres_platform)
    records = append_records(postgres_platform, tenant_id, 5)
    catch_up(postgres_platform.database, tenant_id)
    forged, previous, rewrites = {"transaction": "retirement", "quantity": 1_000_000}, records[1].previous_hash, []
    for record in records[1:]:  # from record 2 on, every hash is recomputed: the chain alone looks whole
        payload = forged if record.sequence == 2 else record.payload
        new_hash = compute_hash(record.sequence, tenant_id, record.recorded_at, payload, previous)
        statement = (
            "UPDATE ledger_journal SET payload = CAST(:payload AS jsonb), previous_hash = :previous, "
            "record_hash = :hash WHERE sequence = :sequence"
        )
        values = {"payload": json.dumps(payload), "previous": previous, "hash": new_hash, "sequence": record.sequence}
        rewrites.append((statement, values))
        previous = new_hash
    rewrites.append(("UPDATE ledger_journal_heads SET record_hash = :hash", {"hash": previous}))
    as_owner(postgres_urls, tenant_id, *rewrites)

    result = verify(postgres_urls, postgres_platform, tenant_id)

    assert result.exit_code == 1
    assert result.output.startswith("transparency tree disagrees with the journal at record 2: ")


def test_a_changed_subtree_hash_is_caught(postgres_urls: DatabaseUrls, postgres_platform: Platform) -> None:
    tenant_id = new_registry(postgres_platform)
    append_records(postgres_platform, tenant_id, 6)
    catch_up(postgres_platform.database, tenant_id)
    as_owner(
        postgres_urls,
        tenant_id,
        ("UPDATE transparency_nodes SET hash = :hash WHERE level = 1 AND position = 1", {"hash": "ab" * 32}),
    )

    result = verify(postgres_urls, postgres_platform, tenant_id)

    assert result.exit_code == 1
    assert "stored subtree (1, 1) differs" in result.output
