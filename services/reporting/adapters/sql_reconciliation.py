"""The projection's side of the reconciliation in SQL. The ledger's side is the ledger's to answer, through
its query port (wired in the gateway): reporting neither reads the ledger's tables nor imports its code."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import and_, select

from services.reporting.adapters import tables
from services.shared.db.database import Database


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
