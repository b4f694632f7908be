"""The raw-SQL reference of the ledger benchmark: psycopg on tables of its own, the same row work, no ORM."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import psycopg
from sqlalchemy.engine import make_url
from uuid6 import uuid7


def psycopg_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


BASELINE_TABLES = """
CREATE TABLE bench_blocks (id uuid PRIMARY KEY, account_id uuid NOT NULL, serial_first bigint NOT NULL,
    serial_last bigint NOT NULL, state text NOT NULL);
CREATE INDEX bench_blocks_account ON bench_blocks (account_id, serial_first);
CREATE TABLE bench_journal (sequence bigint PRIMARY KEY, recorded_at timestamptz NOT NULL, payload jsonb NOT NULL,
    previous_hash text NOT NULL, record_hash text NOT NULL);
CREATE TABLE bench_journal_head (id int PRIMARY KEY, sequence bigint NOT NULL, record_hash text NOT NULL);
CREATE TABLE bench_outbox (id bigserial PRIMARY KEY, event_id uuid NOT NULL UNIQUE, event_type text NOT NULL,
    payload bytea NOT NULL, created_at timestamptz NOT NULL);
INSERT INTO bench_journal_head VALUES (1, 0, repeat('0', 64));
"""


def create_baseline_tables(owner_url: str, app_role: str) -> None:
    with psycopg.connect(psycopg_url(owner_url), autocommit=True) as connection:
        connection.execute(BASELINE_TABLES)
        connection.execute(f'GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO "{app_role}"')
        connection.execute(f'GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO "{app_role}"')


def raw_account(connection: psycopg.Connection[Any], blocks: int, units_each: int) -> UUID:
    account, first = uuid7(), connection.execute("SELECT coalesce(max(serial_last), 0) + 1 FROM bench_blocks")
    start = first.fetchone()[0]  # type: ignore[index]
    rows = [(uuid7(), account, start + n * units_each, start + (n + 1) * units_each - 1) for n in range(blocks)]
    with connection.cursor() as cursor:
        cursor.executemany("INSERT INTO bench_blocks VALUES (%s, %s, %s, %s, 'active')", rows)
    return account


def raw_transfer(connection: psycopg.Connection[Any], quantity: int, source: UUID, destination: UUID) -> None:
    """Lock the source's blocks, split the last (the lower part stays), add the upper part to the destination,
    append a hash-chained journal row under the head lock, and write one outbox row."""
    with connection.transaction():
        blocks = connection.execute(
            "SELECT id, serial_first, serial_last FROM bench_blocks WHERE account_id = %s AND state = 'active' "
            "ORDER BY serial_first, id FOR UPDATE",
            (source,),
        ).fetchall()
        block_id, _, last = blocks[-1]
        connection.execute("UPDATE bench_blocks SET serial_last = %s WHERE id = %s", (last - quantity, block_id))
        connection.execute(
            "INSERT INTO bench_blocks VALUES (%s, %s, %s, %s, 'active')",
            (uuid7(), destination, last - quantity + 1, last),
        )
        head = connection.execute("SELECT sequence, record_hash FROM bench_journal_head WHERE id = 1 FOR UPDATE")
        sequence, previous = head.fetchone()  # type: ignore[misc]
        now, payload = datetime.now(UTC), json.dumps({"from": str(source), "to": str(destination), "q": quantity})
        record_hash = hashlib.sha256(f"{sequence + 1}{now.isoformat()}{payload}{previous}".encode()).hexdigest()
        connection.execute(
            "INSERT INTO bench_journal VALUES (%s, %s, %s, %s, %s)", (sequence + 1, now, payload, previous, record_hash)
        )
        connection.execute(
            "UPDATE bench_journal_head SET sequence = %s, record_hash = %s WHERE id = 1", (sequence + 1, record_hash)
        )
        connection.execute(
            "INSERT INTO bench_outbox (event_id, event_type, payload, created_at) VALUES (%s, %s, %s, %s)",
            (uuid7(), "ledger.units.transferred.v1", payload.encode(), now),
        )


def raw_row_updates(connection: psycopg.Connection[Any], source: UUID, destination: UUID) -> None:
    """One transaction: lock every block of the source, then move them one UPDATE each."""
    with connection.transaction():
        ids = connection.execute(
            "SELECT id FROM bench_blocks WHERE account_id = %s ORDER BY serial_first FOR UPDATE", (source,)
        ).fetchall()
        for (block_id,) in ids:
            connection.execute("UPDATE bench_blocks SET account_id = %s WHERE id = %s", (destination, block_id))
