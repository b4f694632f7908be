"""Reads the projection and keeps submissions, on SQLAlchemy Core with explicit tenant criteria."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, insert, or_, select, update

from services.reporting.adapters import tables
from tenants.adapters.database import Database

NON_HOLDING_ACCOUNTS = ("external",)


class SqlReportSource:
    def __init__(self, database: Database, tenant_id: UUID) -> None:
        self.database = database
        self.tenant_id = tenant_id

    def _rows(self, query: Any) -> list[dict[str, Any]]:
        with self.database.session(self.tenant_id) as session:
            return [dict(row._mapping) for row in session.execute(query)]

    def actions(self, year: int, *, reported_only: bool = True) -> list[dict[str, Any]]:
        c = tables.actions.c
        criteria = [c.tenant_id == self.tenant_id, c.year == year]
        if reported_only:
            criteria.append(c.reported.is_(True))
        return self._rows(
            select(tables.actions)
            .where(*criteria)
            .order_by(c.executed_at, c.transaction_number, c.serial_first, c.action_type)
        )

    def holdings(self, at: datetime, *, authorized_only: bool = True) -> list[dict[str, Any]]:
        v, a = tables.block_versions.c, tables.accounts.c
        criteria = [
            v.tenant_id == self.tenant_id,
            v.valid_from <= at,
            or_(v.valid_to.is_(None), v.valid_to > at),
            v.state.in_(("active", "pending_out")),
            a.account_type.not_in(NON_HOLDING_ACCOUNTS),
        ]
        if authorized_only:
            criteria.append(v.authorization_id.is_not(None))
        joined = tables.block_versions.join(
            tables.accounts, and_(a.tenant_id == v.tenant_id, a.account_id == v.account_id)
        )
        return self._rows(
            select(tables.block_versions, a.account_type)
            .select_from(joined)
            .where(*criteria)
            .order_by(v.cooperative_approach_id, v.registry_id, v.serial_first)
        )

    def authorizations(self) -> list[dict[str, Any]]:
        c = tables.authorizations.c
        return self._rows(
            select(tables.authorizations)
            .where(c.tenant_id == self.tenant_id)
            .order_by(c.authorized_on, c.reference, c.version)
        )

    def entities(self) -> list[dict[str, Any]]:
        c = tables.entities.c
        return self._rows(
            select(tables.entities).where(c.tenant_id == self.tenant_id).order_by(c.authorized_on, c.name)
        )

    def approaches(self) -> list[dict[str, Any]]:
        c = tables.approaches.c
        return self._rows(
            select(tables.approaches).where(c.tenant_id == self.tenant_id).order_by(c.cooperative_approach_id)
        )

    def first_activity(self) -> datetime | None:
        c = tables.block_versions.c
        with self.database.session(self.tenant_id) as session:
            found: datetime | None = session.scalar(select(func.min(c.valid_from)).where(c.tenant_id == self.tenant_id))
            return found


class SqlSubmissionStore:
    def __init__(self, database: Database, tenant_id: UUID) -> None:
        self.database = database
        self.tenant_id = tenant_id
        self.c = tables.submissions.c

    def versions(self, year: int) -> list[str]:
        with self.database.session(self.tenant_id) as session:
            found = session.scalars(
                select(self.c.version)
                .where(self.c.tenant_id == self.tenant_id, self.c.year == year)
                .order_by(self.c.requested_at)
            ).all()
        return list(found)

    def create(self, submission: dict[str, Any]) -> None:
        with self.database.transaction(self.tenant_id) as session:
            session.execute(insert(tables.submissions).values(tenant_id=self.tenant_id, **submission))

    def update(self, submission_id: UUID, values: dict[str, Any]) -> None:
        with self.database.transaction(self.tenant_id) as session:
            session.execute(
                update(tables.submissions)
                .where(self.c.tenant_id == self.tenant_id, self.c.id == submission_id)
                .values(**values)
            )

    def get(self, submission_id: UUID) -> dict[str, Any] | None:
        with self.database.session(self.tenant_id) as session:
            row = session.execute(
                select(tables.submissions).where(self.c.tenant_id == self.tenant_id, self.c.id == submission_id)
            ).first()
        return dict(row._mapping) if row else None

    def list(self, year: int | None = None) -> list[dict[str, Any]]:
        criteria = [self.c.tenant_id == self.tenant_id]
        if year is not None:
            criteria.append(self.c.year == year)
        columns = [col for col in tables.submissions.c if col.name != "tables"]
        with self.database.session(self.tenant_id) as session:
            rows = session.execute(select(*columns).where(*criteria).order_by(self.c.year, self.c.requested_at)).all()
        return [dict(row._mapping) for row in rows]
