"""A valid history of N one-unit transfers in one registry, seeded in bulk (`bench.http --history N`).

One real transfer through the service layer is the template. Every row it wrote (its transaction, block
change, new block, journal record and outbox events) is copied N - 1 times with fresh ids, the next
transaction numbers, the next serials down the source block, the next journal sequences and times a
microsecond apart. Each journal record is hashed over its predecessor with the ledger's own
`compute_hash`, so `registry journal verify` passes on the result. COPY cannot write to a table under
row-level security, so rows are copied into temporary tables and moved with one INSERT ... SELECT per
table and batch: keys, foreign keys and the blocks' exclusion constraint check every seeded row as they
check live ones. The events go in published and marked processed by every consumer that reads their
topic, so the pipeline starts caught up.

What is not seeded: the reporting projection and CAD Trust's copy of the history (their consumers skip
nothing here: they are told the events were handled), and idempotency keys (those of HTTP requests).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg
from psycopg.rows import dict_row
from uuid6 import uuid7

from bench.ledger import ServiceLedger
from bench.raw_sql import psycopg_url
from services.ledger.domain.journal import compute_hash
from services.shared.messages import to_json_safe

BATCH = 20_000
Row = dict[str, Any]
# The tables a transfer writes, in foreign-key order; the outbox's id comes from its sequence.
TABLES = ("ledger_transactions", "ledger_block_changes", "ledger_unit_blocks", "ledger_journal", "outbox")


@dataclass(frozen=True)
class Seeded:
    source: UUID
    destination: UUID
    events: range  # the outbox ids of the seeded events


@dataclass(frozen=True)
class Template:
    """The rows of the one real transfer, and the values each copy replaces."""

    tenant_id: UUID
    rows: dict[str, list[Row]]  # by table
    sequence: int  # its journal sequence
    serial: int  # the unit it moved: the source block's last
    number: str  # its transaction number
    moved_at: datetime
    source_block: UUID

    @property
    def journal(self) -> Row:
        return self.rows["ledger_journal"][0]

    @functools.cached_property
    def text(self) -> str:
        """The rows as JSON text, where each copy's values are replaced."""
        return json.dumps(to_json_safe(self.rows))


def seed_history(ledger: ServiceLedger, app_url: str, transfers: int, readers: Mapping[str, Sequence[str]]) -> Seeded:
    """`transfers` one-unit transfers between two new accounts of `ledger`'s registry; `readers` are the
    topics of each consumer, marked processed for the events of its topics."""
    source = ledger.funded(transfers + 1, "History source")  # one unit stays: the block is never used up
    destination = ledger.account("History destination")
    tenant_id = ledger.tenant.id
    with psycopg.connect(psycopg_url(app_url)) as connection:
        connection.execute("select set_config('app.tenant_id', %s, false)", (str(tenant_id),))
        last_event = outbox_position(connection)
        ledger.transfer(1, source, destination)
        template = read_template(connection, tenant_id, last_event)
        first_seeded = outbox_position(connection) + 1
        create_staging(connection)
        previous_hash = template.journal["record_hash"]
        for start in range(1, transfers, BATCH):
            copies = range(start, min(transfers, start + BATCH))
            previous_hash = write_batch(connection, template, copies, previous_hash, readers)
            connection.commit()
        return Seeded(source, destination, range(first_seeded, outbox_position(connection) + 1))


def outbox_position(connection: psycopg.Connection[Any]) -> int:
    found = connection.execute("select coalesce(max(id), 0) from outbox").fetchone()
    return int(found[0]) if found else 0


def read_template(connection: psycopg.Connection[Any], tenant_id: UUID, after_event: int) -> Template:
    def rows(query: str, *values: object) -> list[Row]:
        cursor = connection.cursor(row_factory=dict_row)
        return cursor.execute(query, values).fetchall()

    journal = rows(
        "select j.* from ledger_journal j join ledger_journal_heads h using (tenant_id, sequence) "
        "where j.tenant_id = %s",
        tenant_id,
    )[0]
    payload = journal["payload"]
    split = payload["splits"][0]
    transaction_id = UUID(payload["id"])
    found = {
        "ledger_transactions": rows("select * from ledger_transactions where tenant_id = %s and id = %s",
                                    tenant_id, transaction_id),
        "ledger_block_changes": rows("select * from ledger_block_changes where tenant_id = %s and transaction_id = %s",
                                     tenant_id, transaction_id),
        "ledger_unit_blocks": rows("select * from ledger_unit_blocks where tenant_id = %s and id = %s",
                                   tenant_id, UUID(split["new_block_id"])),
        "ledger_journal": [journal],
        "outbox": rows("select * from outbox where tenant_id = %s and id > %s order by id", tenant_id, after_event),
    }  # fmt: skip
    for row in found["outbox"]:
        del row["id"]
        row["payload"] = row["payload"].decode()  # JSON text: its values are replaced as the others are
    return Template(
        tenant_id,
        found,
        journal["sequence"],
        split["split_at"],
        payload["number"],
        journal["recorded_at"],
        UUID(split["block_id"]),
    )


def create_staging(connection: psycopg.Connection[Any]) -> None:
    for table in TABLES:
        connection.execute(f"create temporary table seed_{table} (like {table})")  # no defaults: ids are given
    connection.execute("alter table seed_outbox drop column id")
    connection.execute("create temporary table seed_processed_events (like processed_events)")


def write_batch(
    connection: psycopg.Connection[Any],
    template: Template,
    copies: Iterable[int],
    previous_hash: str,
    readers: Mapping[str, Sequence[str]],
) -> str:
    """Stage and insert the copies; returns the journal's new head hash."""
    staged: dict[str, list[Row]] = {table: [] for table in (*TABLES, "processed_events")}
    last = 0
    for k in copies:
        copy = copied_rows(template, k)
        journal = copy["ledger_journal"][0]
        journal["previous_hash"] = previous_hash
        journal["record_hash"] = previous_hash = record_hash(template.tenant_id, journal)
        for table, found in copy.items():
            staged[table] += found
        staged["processed_events"] += processed_marks(copy["outbox"], readers)
        last = k
    # The source block gives up the units first: the new blocks must not overlap it.
    connection.execute(
        "update ledger_unit_blocks set serial_last = %s where tenant_id = %s and id = %s",
        (template.serial - last - 1, template.tenant_id, template.source_block),
    )
    for table, found in staged.items():
        insert(connection, table, found)
    connection.execute(
        "update ledger_journal_heads set sequence = %s, record_hash = %s where tenant_id = %s",
        (template.sequence + last, previous_hash, template.tenant_id),
    )
    connection.execute(
        "update ledger_counters set next_value = %s where tenant_id = %s and name = 'transaction_numbers'",
        (number_value(template.number) + last + 1, template.tenant_id),
    )
    return previous_hash


def copied_rows(template: Template, k: int) -> dict[str, list[Row]]:
    """The template's rows for its k-th copy: every id, number, serial, sequence and time replaced."""
    text = template.text
    for old, new in replacement_values(template, k).items():  # ids first: no serial is part of one
        text = text.replace(old, new)
    rows: dict[str, list[Row]] = json.loads(text)
    rows["ledger_transactions"][0]["journal_sequence"] = template.sequence + k
    rows["ledger_journal"][0]["sequence"] = template.sequence + k
    return rows


def replacement_values(template: Template, k: int) -> dict[str, str]:
    ids = [row["id"] for row in template.rows["ledger_transactions"] + template.rows["ledger_unit_blocks"]]
    ids += [row["event_id"] for row in template.rows["outbox"]]
    moved_at = template.moved_at + timedelta(microseconds=k)
    values = {str(old): str(uuid7()) for old in ids}
    values[template.number] = number_text(template.number, number_value(template.number) + k)
    values[str(template.serial)] = str(template.serial - k)
    values[str(to_json_safe(template.moved_at))] = str(to_json_safe(moved_at))
    for key in ("journalseq", "journal_sequence"):  # in the events' payloads
        values[f'\\"{key}\\":{template.sequence}'] = f'\\"{key}\\":{template.sequence + k}'
    return values


def record_hash(tenant_id: UUID, journal: Row) -> str:
    at = datetime.fromisoformat(journal["recorded_at"]).astimezone(UTC)
    return compute_hash(journal["sequence"], tenant_id, at, journal["payload"], journal["previous_hash"])


def processed_marks(events: list[Row], readers: Mapping[str, Sequence[str]]) -> list[Row]:
    now = datetime.now(UTC).isoformat()
    return [
        {"consumer": consumer, "event_id": event["event_id"], "tenant_id": event["tenant_id"], "processed_at": now}
        for event in events
        for consumer, topics in readers.items()
        if event["topic"] in topics
    ]


def number_value(number: str) -> int:
    return int(number.rsplit("-", 1)[1])


def number_text(number: str, value: int) -> str:
    return f"{number.rsplit('-', 1)[0]}-{value:08d}"


def insert(connection: psycopg.Connection[Any], table: str, rows: list[Row]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    names = ", ".join(columns)
    with connection.cursor().copy(f"copy seed_{table} ({names}) from stdin") as copy:
        for row in rows:
            copy.write_row([copy_value(table, column, row[column]) for column in columns])
    connection.execute(f"insert into {table} ({names}) select {names} from seed_{table}")
    connection.execute(f"truncate seed_{table}")


def copy_value(table: str, column: str, value: object) -> object:
    if table == "outbox" and column == "published_at":
        return datetime.now(UTC)
    if table == "outbox" and column == "payload":
        return str(value).encode()
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value
