"""The `interregistry` consumer: ledger events and inter-registry messages in, ledger commands and answers out."""

from __future__ import annotations

from collections.abc import Callable

from services.events.adapters.outbox import OutboxWriter
from services.events.adapters.topics import event_topic
from services.events.service_layer.consumer import Consumer
from services.interregistry.adapters.directory import CatalogueDirectory, OutboxMailbox
from services.interregistry.adapters.keys import SqlSignatures
from services.interregistry.adapters.ledgers import SqlLedgers
from services.interregistry.adapters.outbound_sql import SqlOutboundStore
from services.interregistry.domain.messages import MESSAGE_TYPES
from services.interregistry.service_layer.delivery import HANDLED, Delivery
from services.interregistry.service_layer.outbound import OutboundQueue
from services.shared.clock import Clock
from services.shared.db.database import Database
from tenants.service_layer.catalogue import TenantCatalogue

NAME = "interregistry"


def interregistry_consumer(
    database: Database,
    catalogue: TenantCatalogue,
    topic_prefix: str,
    clock: Clock,
    knows: Callable[[str], bool],
    secret_key: str,
) -> Consumer:
    """`knows` is the platform's event catalogue: every ledger event must be understood, most are skipped."""
    writer = OutboxWriter(topic_prefix, clock=clock)
    directory = CatalogueDirectory(catalogue)
    outbound = OutboundQueue(SqlSignatures(secret_key, clock), SqlOutboundStore(database, clock), clock)
    ledgers = SqlLedgers(database, writer, clock, directory.ledger_tenant)
    delivery = Delivery(directory, ledgers, OutboxMailbox(writer), outbound)
    return Consumer(
        NAME,
        [event_topic(topic_prefix, "ledger"), event_topic(topic_prefix, "interregistry")],
        delivery,
        lambda event_type: event_type in MESSAGE_TYPES or knows(event_type),
        skips=lambda event: event.type not in HANDLED,  # a domestic event is no business of this consumer
    )
