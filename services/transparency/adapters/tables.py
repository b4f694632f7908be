"""The tree's tables (migration 0014), and a read-only view of the ledger's journal table.

The journal is read as a plain table expression rather than through the ledger's mapping, so the two
contexts stay independent: the log depends on the journal's columns, which migration 0004 fixed.
"""

from sqlalchemy import BigInteger, Column, PrimaryKeyConstraint, SmallInteger, String, Table, Text, column, table
from sqlalchemy.types import Uuid

from services.shared.db.database import tenant_table
from services.shared.db.types import UtcDateTime, json_document

nodes = tenant_table(
    "transparency_nodes",
    Column("level", SmallInteger, nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
    PrimaryKeyConstraint("tenant_id", "level", "position", name="pk_transparency_nodes"),
    append_only=True,
)

heads = tenant_table(
    "transparency_heads",
    Column("size", BigInteger, nullable=False),
    Column("root", String(64), nullable=False),
    PrimaryKeyConstraint("tenant_id", name="pk_transparency_heads"),
)


def _key_ring(name: str) -> Table:
    """A registry's Ed25519 keys, current and retired, the private half encrypted under SECRET_KEY."""
    return tenant_table(
        name,
        Column("key_id", String(8), nullable=False),
        Column("name", String(200), nullable=False),
        Column("public_key", String(64), nullable=False),
        Column("private_key_encrypted", Text, nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
        Column("retired_at", UtcDateTime),
        PrimaryKeyConstraint("tenant_id", "key_id", name=f"pk_{name}"),
    )


keys = _key_ring("transparency_keys")  # the log's checkpoint keys

checkpoints = tenant_table(
    "transparency_checkpoints",
    Column("size", BigInteger, nullable=False),
    Column("key_id", String(8), nullable=False),
    Column("note", Text, nullable=False),
    Column("signed_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "size", "key_id", name="pk_transparency_checkpoints"),
    append_only=True,
)

journal = table(
    "ledger_journal",
    column("tenant_id", Uuid),
    column("sequence", BigInteger),
    column("recorded_at", UtcDateTime),
    column("payload", json_document),
    column("previous_hash", String),
    column("record_hash", String),
)

witness_keys = _key_ring("transparency_witness_keys")  # its keys as a witness of other logs

witnessed_logs = tenant_table(
    "transparency_witnessed_logs",
    Column("origin", String(200), nullable=False),
    Column("verifier_key", String(300), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("root", String(64)),
    PrimaryKeyConstraint("tenant_id", "origin", name="pk_transparency_witnessed_logs"),
)

witnesses = tenant_table(
    "transparency_witnesses",
    Column("name", String(200), nullable=False),
    Column("verifier_key", String(300), nullable=False),
    Column("registry_code", String(64)),
    Column("url", String(2000)),
    Column("size", BigInteger, nullable=False),
    PrimaryKeyConstraint("tenant_id", "name", name="pk_transparency_witnesses"),
)

cosignatures = tenant_table(
    "transparency_cosignatures",
    Column("size", BigInteger, nullable=False),
    Column("witness", String(200), nullable=False),
    Column("line", Text, nullable=False),
    Column("signed_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "size", "witness", name="pk_transparency_cosignatures"),
    append_only=True,
)
