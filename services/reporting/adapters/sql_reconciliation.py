"""Both sides of the reconciliation in SQL. The ledger's tables are read, never written, and by name
only: reporting does not import the ledger's code."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from sqlalchemy import and_, bindparam, select, text
from sqlalchemy.types import Uuid

from services.reporting.adapters import tables
from services.shared.db.database import Database

LEDGER_BLOCKS = text(
    "SELECT b.id AS block_id, a.type AS account_type, b.account_id, b.vintage, b.state, b.serial_first, "
    "b.serial_last, b.authorization_id, b.authorization_version FROM ledger_unit_blocks b "
    "JOIN ledger_accounts a ON a.tenant_id = b.tenant_id AND a.id = b.account_id WHERE b.tenant_id = :tenant"
).bindparams(bindparam("tenant", type_=Uuid))
LEDGER_JOURNAL = text(
    "SELECT sequence, payload FROM ledger_journal WHERE tenant_id = :tenant ORDER BY sequence"
).bindparams(bindparam("tenant", type_=Uuid))


def _uuid(value: Any) -> UUID | None:
    return None if value is None else UUID(str(value))


class LedgerTablesReader:
    def __init__(self, database: Database, tenant_id: UUID) -> None:
        self.database = database
        self.tenant_id = tenant_id

    def blocks(self) -> list[dict[str, Any]]:
        with self.database.session(self.tenant_id) as session:
            rows = session.execute(LEDGER_BLOCKS, {"tenant": self.tenant_id}).mappings().all()
        return [
            {
                **row,
                "block_id": _uuid(row["block_id"]),
                "account_id": _uuid(row["account_id"]),
                "authorization_id": _uuid(row["authorization_id"]),
            }
            for row in rows
        ]

    def journal(self) -> dict[int, str]:
        with self.database.session(self.tenant_id) as session:
            rows = session.execute(LEDGER_JOURNAL, {"tenant": self.tenant_id}).all()
        return {int(seq): str(_payload(payload).get("number")) for seq, payload in rows}


def _payload(value: Any) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(value) if isinstance(value, str | bytes) else value
    return body


class ProjectionReader:
    def __init__(self, database: Database, tenant_id: UUID) -> None:
        self.database = database
        self.tenant_id = tenant_id

    def blocks(self) -> list[dict[str, Any]]:
        v, a = tables.block_versions.c, tables.accounts.c
        query = (
            select(
                v.block_id,
                a.account_type,
                v.account_id,
                v.vintage,
                v.state,
                v.serial_first,
                v.serial_last,
                v.authorization_id,
                v.authorization_version,
            )
            .select_from(
                tables.block_versions.join(
                    tables.accounts, and_(a.tenant_id == v.tenant_id, a.account_id == v.account_id)
                )
            )
            .where(v.tenant_id == self.tenant_id, v.valid_to.is_(None))
        )
        with self.database.session(self.tenant_id) as session:
            return [dict(row) for row in session.execute(query).mappings()]

    def journal(self) -> dict[int, str]:
        c = tables.journal.c
        with self.database.session(self.tenant_id) as session:
            rows = session.execute(select(c.sequence, c.transaction_number).where(c.tenant_id == self.tenant_id)).all()
        return {int(seq): number for seq, number in rows}
