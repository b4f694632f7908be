"""Reads the projection and keeps submissions, on SQLAlchemy Core with explicit tenant criteria.

The AEF job's two hot loops, streaming the projection and storing a version's rows, take the psycopg fast
path on PostgreSQL (`services.shared.db.psycopg_driver`) and the portable SQLAlchemy path elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from itertools import islice
from typing import Any, TypeVar, cast
from uuid import UUID

from sqlalchemy import and_, func, insert, or_, select, update

from services.reporting.adapters import tables
from services.reporting.domain import aef
from services.shared.db import psycopg_driver
from services.shared.db.database import Database

NON_HOLDING_ACCOUNTS = ("external",)
STREAM_ROWS = 2_000  # rows fetched per round trip from a server-side cursor
INSERT_BATCH = (  # psycopg placeholders: run on the driver connection, one JSON array of rows per batch
    "INSERT INTO reporting_submission_rows (tenant_id, submission_id, sheet, row_number, cells) "
    "SELECT %(tenant)s, %(submission)s, r ->> 0, CAST(r ->> 1 AS integer), r -> 2 "
    "FROM jsonb_array_elements(CAST(%(batch)s AS jsonb)) AS r"
)
WRITE_ROWS = 2_000  # stored rows per statement
StoredRow = tuple[str, int, aef.Row]
T = TypeVar("T")


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class SqlReportSource:
    def __init__(self, database: Database, tenant_id: UUID) -> None:
        self.database = database
        self.tenant_id = tenant_id

    def _rows(self, query: Any) -> list[dict[str, Any]]:
        with self.database.session(self.tenant_id) as session:
            return [dict(row._mapping) for row in session.execute(query)]

    def _stream(self, query: Any) -> Iterator[Mapping[str, Any]]:
        """Rows in batches of STREAM_ROWS (a server-side cursor on PostgreSQL), in one read snapshot."""
        with self.database.session(self.tenant_id) as session:
            if self.database.is_postgres:
                yield from psycopg_driver.stream(session, query, STREAM_ROWS)
                return
            rows = session.execute(query, execution_options={"yield_per": STREAM_ROWS}).mappings()
            yield from cast("Iterable[Mapping[str, Any]]", rows)

    def actions(self, year: int, *, reported_only: bool = True) -> list[dict[str, Any]]:
        return self._rows(self._actions(year, reported_only))

    def stream_actions(self, year: int, *, reported_only: bool = True) -> Iterator[Mapping[str, Any]]:
        return self._stream(self._actions(year, reported_only))

    def count_actions(self, year: int, *, reported_only: bool = True) -> int:
        query = select(func.count()).select_from(self._actions(year, reported_only).order_by(None).subquery())
        with self.database.session(self.tenant_id) as session:
            return int(session.scalar(query) or 0)

    def _actions(self, year: int, reported_only: bool) -> Any:
        c = tables.actions.c
        criteria = [c.tenant_id == self.tenant_id, c.year == year]
        if reported_only:
            criteria.append(c.reported.is_(True))
        return (
            select(tables.actions)
            .where(*criteria)
            .order_by(c.executed_at, c.transaction_number, c.serial_first, c.action_type, c.block_id)
        )

    def holdings(self, at: datetime, *, authorized_only: bool = True) -> list[dict[str, Any]]:
        return self._rows(self._holdings(at, authorized_only))

    def stream_holdings(self, at: datetime, *, authorized_only: bool = True) -> Iterator[Mapping[str, Any]]:
        return self._stream(self._holdings(at, authorized_only))

    def _holdings(self, at: datetime, authorized_only: bool) -> Any:
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
        return (
            select(tables.block_versions, a.account_type)
            .select_from(joined)
            .where(*criteria)
            .order_by(v.cooperative_approach_id, v.registry_id, v.serial_first)
        )

    def current_blocks(self) -> list[dict[str, Any]]:
        """Every block as it stands now, in any state and account, with its account's type."""
        v, a = tables.block_versions.c, tables.accounts.c
        joined = tables.block_versions.join(
            tables.accounts, and_(a.tenant_id == v.tenant_id, a.account_id == v.account_id)
        )
        return self._rows(
            select(tables.block_versions, a.account_type)
            .select_from(joined)
            .where(v.tenant_id == self.tenant_id, v.valid_to.is_(None))
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
        with self.database.session(self.tenant_id) as session:
            query = select(tables.submissions).where(*criteria).order_by(self.c.year, self.c.requested_at)
            rows = session.execute(query).all()
        return [dict(row._mapping) for row in rows]

    def write_rows(self, submission_id: UUID, rows: Iterable[StoredRow]) -> None:
        """PostgreSQL: one transaction, one pipelined statement per WRITE_ROWS rows. Elsewhere a transaction
        per batch (SQLite allows one writer, and the job writes its progress between batches)."""
        if self.database.is_postgres:
            with self.database.transaction(self.tenant_id) as session:
                psycopg_driver.execute_pipelined(session, INSERT_BATCH, self._json_batches(submission_id, rows))
            return
        for batch in _batches(rows, WRITE_ROWS):
            with self.database.transaction(self.tenant_id) as session:
                session.execute(insert(tables.submission_rows), self._values(submission_id, batch))

    def _json_batches(self, submission_id: UUID, rows: Iterable[StoredRow]) -> Iterator[dict[str, Any]]:
        """One JSON array parameter per batch. Each row is encoded as it arrives, so a batch holds strings,
        not row objects that would live long enough to make the garbage collector walk them again and again."""
        encode = json.JSONEncoder(ensure_ascii=False).encode
        for batch in _batches((encode(row) for row in rows), WRITE_ROWS):
            yield {"tenant": self.tenant_id, "submission": submission_id, "batch": f"[{','.join(batch)}]"}

    def _values(self, submission_id: UUID, batch: Sequence[StoredRow]) -> Sequence[dict[str, Any]]:
        return [
            {"tenant_id": self.tenant_id, "submission_id": submission_id, "sheet": t, "row_number": n, "cells": c}
            for t, n, c in batch
        ]

    def rows(self, submission_id: UUID, sheet: str) -> Iterator[aef.Row]:
        """One table of one version in row order, read in batches."""
        r = tables.submission_rows.c
        query = (
            select(r.cells)
            .where(r.tenant_id == self.tenant_id, r.submission_id == submission_id, r.sheet == sheet)
            .order_by(r.row_number)
        )
        with self.database.session(self.tenant_id) as session:
            for cells in session.scalars(query, execution_options={"yield_per": STREAM_ROWS}):
                yield list(cells)

    def tables(self, submission_id: UUID) -> StoredTables:
        return StoredTables(self, submission_id)


class StoredTables(Mapping[str, Iterable[aef.Row]]):
    """The five tables of one version; each lookup streams that table's rows from the database anew."""

    def __init__(self, store: SqlSubmissionStore, submission_id: UUID) -> None:
        self.store, self.submission_id = store, submission_id

    def __getitem__(self, sheet: str) -> Iterable[aef.Row]:
        if sheet not in aef.COLUMNS:
            raise KeyError(sheet)
        return self.store.rows(self.submission_id, sheet)

    def __iter__(self) -> Iterator[str]:
        return iter(aef.SHEETS)

    def __len__(self) -> int:
        return len(aef.SHEETS)
