"""CloudEvents 1.0 structured JSON: the one envelope every domain event travels in.

Extensions: `tenantid` (the tenant's UUID), `sequence` (the order to apply the event in, see `stamped`),
`journalseq` (the ledger journal sequence, on the events that announce a journal record) and `traceparent`
(the W3C trace context of the request that caused it).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

SPEC_VERSION = "1.0"
SEQUENCE_DIGITS = 19  # a BIGINT has at most 19 digits
TYPE_PATTERN = re.compile(r"^(?P<name>[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+)\.v(?P<major>[1-9][0-9]*)$")


class MalformedEnvelope(ValueError):
    """The bytes are not a CloudEvent this platform can read."""


@dataclass(frozen=True)
class CloudEvent:
    id: UUID
    source: str
    type: str
    subject: str
    time: datetime
    tenant_id: UUID
    data: dict[str, Any]
    journal_seq: int | None = None
    sequence: int | None = None
    traceparent: str | None = None
    extensions: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return type_name(self.type)

    @property
    def major_version(self) -> int:
        return type_major(self.type)

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "specversion": SPEC_VERSION,
            "id": str(self.id),
            "source": self.source,
            "type": self.type,
            "subject": self.subject,
            "time": self.time.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "datacontenttype": "application/json",
            "tenantid": str(self.tenant_id),
            "data": self.data,
        }
        if self.journal_seq is not None:
            body["journalseq"] = self.journal_seq
        if self.sequence is not None:
            body["sequence"] = sequence_text(self.sequence)
        if self.traceparent:
            body["traceparent"] = self.traceparent
        body.update(self.extensions)
        return body

    def to_json(self) -> bytes:
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":")).encode()


def sequence_text(sequence: int) -> str:
    """The CloudEvents sequence extension is a string compared as text: zero-padded, text order is number order."""
    return f"{sequence:0{SEQUENCE_DIGITS}d}"


def stamped(raw: bytes, sequence: int) -> bytes:
    """The event with its `sequence`: its outbox position, known only once its row was inserted.

    The outbox inserts an event while its transaction holds the locks of what the event describes, so
    of two events about the same block, account or transfer, the later one has the higher position,
    and the events of one transaction are numbered in the order they were recorded.
    """
    body = json.loads(raw)
    body["sequence"] = sequence_text(sequence)
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def type_name(event_type: str) -> str:
    return _match(event_type).group("name")


def type_major(event_type: str) -> int:
    return int(_match(event_type).group("major"))


def _match(event_type: str) -> re.Match[str]:
    match = TYPE_PATTERN.fullmatch(event_type)
    if match is None:
        raise MalformedEnvelope(f"event type {event_type!r} is not 'dotted.name.vN'")
    return match


_KNOWN = {
    "specversion",
    "id",
    "source",
    "type",
    "subject",
    "time",
    "datacontenttype",
    "tenantid",
    "data",
    "journalseq",
    "sequence",
    "traceparent",
}


def parse(raw: bytes) -> CloudEvent:
    try:
        body = json.loads(raw)
        if body.get("specversion") != SPEC_VERSION:
            raise MalformedEnvelope(f"specversion {body.get('specversion')!r} is not {SPEC_VERSION}")
        type_major(body["type"])
        return CloudEvent(
            id=UUID(body["id"]),
            source=body["source"],
            type=body["type"],
            subject=body.get("subject", ""),
            time=datetime.fromisoformat(body["time"].replace("Z", "+00:00")),
            tenant_id=UUID(body["tenantid"]),
            data=dict(body["data"]),
            journal_seq=body.get("journalseq"),
            sequence=int(body["sequence"]) if "sequence" in body else None,
            traceparent=body.get("traceparent"),
            extensions={k: v for k, v in body.items() if k not in _KNOWN},
        )
    except MalformedEnvelope:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise MalformedEnvelope(f"not a CloudEvents 1.0 structured JSON record: {error}") from error
