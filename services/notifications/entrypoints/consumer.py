"""The `notifications` consumer: ledger and identity events in, e-mails to account holders into the outbox.

The e-mails of an event are queued in the consumer's transaction with the event's processed mark, so a
redelivered event queues nothing twice; the sender (its periodic duty) sends them outside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from services.events.domain.envelope import CloudEvent, type_major
from services.events.service_layer.consumer import Consumer, Periodic
from services.notifications.domain.notices import SUPPORTED_MAJOR, happening_of
from services.notifications.service_layer.notify import RememberedPeople, Sources, emails_for
from services.notifications.service_layer.ports import MailOutbox, People
from services.notifications.service_layer.sending import MailSender
from services.shared.clock import SYSTEM_CLOCK, Clock

NAME = "notifications"
SEND_INTERVAL_S = 5.0


def supports(event_type: str) -> bool:
    return event_type.startswith(("ledger.", "identity.")) and type_major(event_type) == SUPPORTED_MAJOR


def build_consumer(
    topics: list[str],
    sources: Sources,
    outbox: MailOutbox,
    sender: MailSender,
    clock: Clock = SYSTEM_CLOCK,
    people_in: Callable[[Any], People] | None = None,
) -> Consumer:
    """`people_in` reads people in the consumer's transaction (one statement a read instead of a transaction);
    without it they are read through `sources.people`."""

    def skips(event: CloudEvent) -> bool:
        return happening_of(event.name) is None

    def handle_batch(events: Sequence[CloudEvent], session: Any) -> None:
        people = RememberedPeople(people_in(session) if people_in else sources.people)
        within = replace(sources, people=people)
        for event in events:
            emails = emails_for(within, event.name, event.data, event.tenant_id, event.time)
            if emails:
                outbox.add(session, event.tenant_id, event.id, emails, clock.now())

    def handle(event: CloudEvent, session: Any) -> None:
        handle_batch([event], session)

    return Consumer(
        NAME,
        topics,
        handle,
        supports,
        skips=skips,
        periodic=Periodic(SEND_INTERVAL_S, sender.send_due),
        batch_handler=handle_batch,
        tenants_independent=True,
    )
