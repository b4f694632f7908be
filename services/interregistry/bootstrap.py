"""Builds inter-registry's SQL adapters for the HTTP interface and the command line: signatures and pinned
keys, the inbound path, each peer's endpoint and the outbound messages. The consumer and the sender are built
in `entrypoints/`."""

from __future__ import annotations

from dataclasses import dataclass

from services.events.adapters.outbox import OutboxWriter
from services.interregistry.adapters.directory import hosted
from services.interregistry.adapters.keys import SqlSignatures
from services.interregistry.adapters.outbound_sql import SqlEndpoints, SqlOutboundStore
from services.interregistry.adapters.transfers import SqlTransfers
from services.interregistry.service_layer.inbound import Inbound
from services.shared.clock import SYSTEM_CLOCK, Clock
from services.shared.db.database import Database

__all__ = ["Interregistry", "hosted"]


@dataclass(frozen=True)
class Interregistry:
    database: Database
    secret_key: str
    topic_prefix: str
    clock: Clock = SYSTEM_CLOCK

    def signatures(self) -> SqlSignatures:
        return SqlSignatures(self.secret_key, self.clock)

    def inbound(self) -> Inbound:
        """Receives a peer's signed message into the receiving registry's transaction."""
        writer = OutboxWriter(self.topic_prefix, clock=self.clock)
        return Inbound(self.signatures(), writer, SqlTransfers(), self.clock)

    def endpoints(self) -> SqlEndpoints:
        return SqlEndpoints(self.database, self.secret_key, self.clock)

    def outbound(self) -> SqlOutboundStore:
        return SqlOutboundStore(self.database, self.clock)
