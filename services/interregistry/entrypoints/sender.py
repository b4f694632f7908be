"""The outbound sender: pushes queued messages to registries not hosted here (runs beside the consumer)."""

from __future__ import annotations

from services.interregistry.adapters.directory import CatalogueDirectory
from services.interregistry.adapters.http_transport import RequestsTransport
from services.interregistry.adapters.keys import SqlSignatures
from services.interregistry.adapters.outbound_sql import SqlAckVerifier, SqlEndpoints, SqlOutboundStore
from services.interregistry.service_layer.outbound import OutboundSender, Transport
from services.shared.clock import Clock
from services.shared.db.database import Database
from tenants.service_layer.catalogue import TenantCatalogue


def outbound_sender(
    database: Database,
    catalogue: TenantCatalogue,
    secret_key: str,
    clock: Clock,
    transport: Transport | None = None,
) -> OutboundSender:
    return OutboundSender(
        CatalogueDirectory(catalogue).sending_out,
        SqlOutboundStore(database, clock),
        SqlEndpoints(database, secret_key, clock),
        transport or RequestsTransport(),
        SqlAckVerifier(database, SqlSignatures(secret_key, clock)),
        clock,
    )
