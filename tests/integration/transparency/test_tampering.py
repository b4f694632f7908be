"""Change, delete, reorder or insert one journal record, rebuilding the whole hash chain so that the chain
alone looks whole: `registry journal verify` still catches it through the tree, and a buyer holding an
earlier signed checkpoint catches it through the consistency proof."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from gateway.bootstrap import Platform
from gateway.cli.main import main
from services.ledger.domain.journal import JournalRecord, next_record
from services.shared.db.database import Database
from services.transparency.adapters.store import SqlTreeStore
from services.transparency.domain.merkle import consistency_spans, integrate, root_span, span_hash
from services.transparency.domain.proofs import InvalidProof, verify_consistency
from services.transparency.entrypoints.sequencer import catch_up
from services.transparency.service_layer import proving
from tests.conftest import TEST_SECRET, DatabaseUrls
from tests.integration.transparency.journal import append_records, leaf_of, new_registry

pytestmark = pytest.mark.postgres
Payloads = list[dict[str, Any]]
TAMPERINGS: dict[str, Callable[[Payloads], Payloads]] = {
    "change": lambda p: [*p[:2], {**p[2], "quantity": 1_000_000}, *p[3:]],
    "delete": lambda p: [*p[:2], *p[3:]],
    "reorder": lambda p: [*p[:2], p[3], p[2], *p[4:]],
    "insert": lambda p: [*p[:2], {"transaction": "issuance", "quantity": 999}, *p[2:]],
}


def rechained(records: list[JournalRecord], payloads: Payloads, tenant_id: UUID) -> list[JournalRecord]:
    chain: list[JournalRecord] = []
    for payload, at in zip(payloads, [r.recorded_at for r in records] + [records[-1].recorded_at], strict=False):
        chain.append(next_record(chain[-1] if chain else None, tenant_id, payload, at))
    return chain


def rewrite_as_owner(urls: DatabaseUrls, tenant_id: UUID, chain: list[JournalRecord]) -> None:
    owner = Database(urls.owner)
    try:  # only the owner role can rewrite the journal; the app role may only append
        with owner.transaction(tenant_id) as session:
            session.execute(text("DELETE FROM ledger_journal WHERE tenant_id = :t"), {"t": tenant_id})
            for r in chain:
                values = {
                    "t": tenant_id,
                    "s": r.sequence,
                    "at": r.recorded_at,
                    "p": json.dumps(r.payload),
                    "prev": r.previous_hash,
                    "h": r.record_hash,
                }
                session.execute(
                    text(
                        "INSERT INTO ledger_journal (tenant_id, sequence, recorded_at, payload, previous_hash, "
                        "record_hash) VALUES (:t, :s, :at, CAST(:p AS jsonb), :prev, :h)"
                    ),
                    values,
                )
            last = chain[-1]
            session.execute(
                text("UPDATE ledger_journal_heads SET sequence = :s, record_hash = :h WHERE tenant_id = :t"),
                {"t": tenant_id, "s": last.sequence, "h": last.record_hash},
            )
    finally:
        owner.dispose()


@pytest.mark.parametrize("tampering", sorted(TAMPERINGS))
def test_a_rewritten_journal_is_caught_by_journal_verify_and_by_an_earlier_checkpoint(
    postgres_urls: DatabaseUrls, postgres_platform: Platform, tampering: str
) -> None:
    tenant_id = new_registry(postgres_platform)
    records = append_records(postgres_platform, tenant_id, 6)
    catch_up(postgres_platform.database, tenant_id)
    with postgres_platform.database.transaction(tenant_id) as session:
        signed_size, signed_root = SqlTreeStore(session, tenant_id).head()
    forged = rechained(records, TAMPERINGS[tampering]([r.payload for r in records]), tenant_id)
    rewrite_as_owner(postgres_urls, tenant_id, forged)

    env = {"DATABASE_URL": postgres_urls.app, "DATABASE_OWNER_URL": postgres_urls.owner, "SECRET_KEY": TEST_SECRET}
    code = next(t.code for t in postgres_platform.catalogue.list() if t.id == tenant_id)
    result = CliRunner().invoke(main, ["journal", "verify", "--registry", code], env=env)
    assert result.exit_code == 1
    assert result.output.startswith("transparency tree disagrees with the journal at record 3")

    # the operator rebuilds the tree over the forged journal: it cannot prove it extends the signed one
    forged_nodes = integrate({}, 0, [leaf_of(r) for r in forged])
    forged_root = span_hash(root_span(len(forged)), forged_nodes.__getitem__)
    forged_proof = [
        span_hash(s, forged_nodes.__getitem__) for s in consistency_spans(min(signed_size, len(forged)), len(forged))
    ]
    with pytest.raises(InvalidProof):
        verify_consistency(min(signed_size, len(forged)), len(forged), forged_proof, signed_root, forged_root)
    with postgres_platform.database.transaction(tenant_id) as session:  # the stored tree still proves the truth
        assert proving.root(SqlTreeStore(session, tenant_id), signed_size) == signed_root
