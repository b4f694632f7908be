"""Wires the publisher's SQL store and HTTP client for one tenant at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from uuid import UUID

from sqlalchemy.orm import Session

from services.cadt.adapters.requests_client import RequestsCadtClient
from services.cadt.adapters.sql_store import SqlCadtStore
from services.cadt.domain.model import Connection
from services.cadt.service_layer.ports import CadtClient
from services.cadt.service_layer.publisher import Publisher, PublishPolicy
from tenants.adapters.database import Database


@dataclass
class Cadt:
    database: Database
    client_for: Callable[[Connection], CadtClient] = RequestsCadtClient
    policy: PublishPolicy = field(default_factory=PublishPolicy)

    def store(self, tenant_id: UUID) -> SqlCadtStore:
        @contextmanager
        def scope() -> Iterator[Session]:
            with self.database.transaction(tenant_id) as session:
                yield session

        return SqlCadtStore(tenant_id, scope)

    def store_in(self, tenant_id: UUID, session: Session) -> SqlCadtStore:
        """A store inside a transaction the caller owns (the consumer's)."""

        @contextmanager
        def scope() -> Iterator[Session]:
            yield session

        return SqlCadtStore(tenant_id, scope)

    def publisher(self, tenant_id: UUID) -> Publisher:
        return Publisher(self.store(tenant_id), self.client_for, self.policy)
