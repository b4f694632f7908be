"""The event catalogue: every event type the platform publishes, with its version and fields.

Contexts register their event classes here at start-up; the catalogue is rendered into
docs/events.md, and consumers use `supports()` to refuse a major version they do not know.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterable
from dataclasses import dataclass

from services.events.domain.envelope import TYPE_PATTERN, type_major, type_name


@dataclass(frozen=True)
class EventType:
    type: str
    description: str
    fields: tuple[tuple[str, str], ...]

    @property
    def name(self) -> str:
        return type_name(self.type)

    @property
    def major(self) -> int:
        return type_major(self.type)


class EventCatalogue:
    def __init__(self) -> None:
        self._types: dict[str, EventType] = {}

    def register_classes(self, classes: Iterable[type]) -> None:
        for cls in classes:
            event_type = str(cls.type)  # type: ignore[attr-defined]
            if TYPE_PATTERN.fullmatch(event_type) is None:
                continue  # a base class, not a published event
            doc = (cls.__doc__ or "").strip().splitlines()
            self._types[event_type] = EventType(event_type, doc[0] if doc else "", _fields_of(cls))

    def register(self, event_type: EventType) -> None:
        self._types[event_type.type] = event_type

    def supports(self, event_type: str) -> bool:
        """A consumer knows an event when it knows its name at that major version."""
        name, major = type_name(event_type), type_major(event_type)
        return any(t.name == name and t.major == major for t in self._types.values())

    def __iter__(self) -> typing.Iterator[EventType]:
        return iter(sorted(self._types.values(), key=lambda t: t.type))

    def render_markdown(self) -> str:
        lines = [
            "# Event catalogue",
            "",
            "Generated from the code by `registry events catalogue`; a test keeps this file in step.",
            "Every event travels as a CloudEvents 1.0 structured JSON record with the extensions `tenantid`,",
            "`sequence`, `journalseq` (the four final-status transaction events) and `traceparent`. A consumer",
            "sends an event whose major version it does not know to its dead-letter topic instead of guessing.",
            "",
            *ORDER,
        ]
        for event_type in self:
            lines += [f"## `{event_type.type}`", ""]
            if event_type.description:
                lines += [event_type.description, ""]
            lines += ["| field | type |", "|---|---|"]
            lines += [f"| `{name}` | {kind} |" for name, kind in event_type.fields]
            lines.append("")
        return "\n".join(lines)


ORDER = (
    "## Order: `sequence`",
    "",
    "`sequence` (the CloudEvents sequence extension, 19 digits so that text order is number order) is the",
    "event's position in the outbox, which the relay writes into the envelope it publishes. An event is",
    "inserted while its transaction still holds the locks of what the event describes, so of two events",
    "about one block, account, authorization or transfer the later one has the higher sequence; the events",
    "of one transaction are numbered in the order it recorded them (its block events before its outcome).",
    "Numbers are unique and increasing, not contiguous: every tenant writes to the one outbox.",
    "",
    "It is not the journal sequence: a ledger transaction journals once however many events it records,",
    "and a transfer abroad that waits for its answer, or reference data, is not journaled at all.",
    "",
    "The consumer runtime applies the events of each poll in sequence order, whatever order the poll handed",
    "them over in (the inter-registry consumer forwards and settles transfers in the order they were asked).",
    "A consumer whose read model depends on order compares `sequence`: the CAD Trust projection keeps on",
    "each record the sequence that last set it and ignores an older event; the reporting projection keeps",
    "a copy of its events and, when one arrives after a later one of its tenant, rebuilds that tenant from",
    "the copy in sequence order.",
    "",
    "A consumer may take a poll's events of one tenant all at once (`Consumer.batch_handler`), in the",
    "transaction that writes their processed marks: the reporting consumer does, to read what they touch",
    "once and write their effects in a few set-based statements. Such a batch is traced as one span, linked",
    "to the span of each event's request.",
    "",
    "A consumer whose registries are independent (`Consumer.tenants_independent`: what an event does in one",
    "registry never depends on another registry's events) gets all of a registry's events of a poll in one",
    "transaction, in sequence order, even when other registries' events came between them: the reporting,",
    "CAD Trust, notifications and webhooks consumers. The inter-registry consumer is not one of them: it",
    "applies runs of consecutive events of one registry, in sequence order across registries.",
    "",
    "The relay polls every 50 ms while it finds less than a full batch; an idle poll is one autocommit read of",
    "the outbox's pending index per database (no transaction, no `FOR UPDATE SKIP LOCKED`: the claim runs only",
    "when there is something to claim). Under load it therefore publishes the events of the last 50 ms at once,",
    "and the Kafka consumers' fetches wait for 64 KiB or 100 ms, so that a poll takes a batch too.",
    "",
)


def _fields_of(cls: type) -> tuple[tuple[str, str], ...]:
    if not dataclasses.is_dataclass(cls):
        return ()
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _describe(hints.get(f.name, f.type))) for f in dataclasses.fields(cls))


def _describe(annotation: object) -> str:
    text = getattr(annotation, "__name__", None) if not typing.get_args(annotation) else None
    text = (text or str(annotation)).replace("typing.", "").replace("uuid.", "").replace("datetime.", "")
    if "ForwardRef" in text:  # the recursive JSON value type reads better by name
        return "JSON object" if text.startswith("dict") else "JSON value"
    return text.replace(" | ", " or ")
