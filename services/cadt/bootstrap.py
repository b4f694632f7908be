"""Wires the publisher's SQL store and HTTP client for one tenant at a time."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from uuid import UUID

from sqlalchemy.orm import Session

from services.cadt.adapters.fernet_secrets import FernetSecrets
from services.cadt.adapters.lease import AdvisoryLease
from services.cadt.adapters.requests_client_v2 import client_for
from services.cadt.adapters.sql_store import SqlCadtStore, with_connection
from services.cadt.domain.model import Connection, ConnectionState
from services.cadt.service_layer import publish_v2
from services.cadt.service_layer.lease import ProcessLease
from services.cadt.service_layer.ports import CadtClient, PublisherLease
from services.cadt.service_layer.ports_v2 import AefSubmissions
from services.cadt.service_layer.publisher import Publisher, PublishPolicy
from services.shared.clock import SYSTEM_CLOCK, Clock
from services.shared.db.database import Database

LOCKS: dict[UUID, threading.Lock] = {}
LOCKS_GUARD = threading.Lock()


def tenant_lock(tenant_id: UUID) -> threading.Lock:
    """One publishing pass per tenant at a time in this process (event passes and the retry timer)."""
    with LOCKS_GUARD:
        return LOCKS.setdefault(tenant_id, threading.Lock())


@dataclass
class Cadt:
    database: Database
    secrets: FernetSecrets
    client_for: Callable[[Connection], CadtClient] = client_for
    policy: PublishPolicy = field(default_factory=PublishPolicy)
    aef_for: Callable[[UUID], AefSubmissions] | None = None  # the reporting context's submissions, per tenant
    clock: Clock = SYSTEM_CLOCK
    publishes: Callable[[UUID], bool] = lambda _tenant_id: True  # False for a registry that never may

    def with_connection(self, tenant_ids: list[UUID]) -> set[UUID]:
        """Those of the registries that configured a CAD Trust connection, looked up together."""
        return with_connection(self.database, tenant_ids)

    def store(self, tenant_id: UUID) -> SqlCadtStore:
        @contextmanager
        def scope() -> Iterator[Session]:
            with self.database.transaction(tenant_id) as session:
                yield session

        return SqlCadtStore(tenant_id, scope, self.secrets, self.clock)

    def store_in(self, tenant_id: UUID, session: Session) -> SqlCadtStore:
        """A store inside a transaction the caller owns (the consumer's)."""

        @contextmanager
        def scope() -> Iterator[Session]:
            yield session

        return SqlCadtStore(tenant_id, scope, self.secrets, self.clock)

    def lease(self, tenant_id: UUID) -> PublisherLease:
        """One publisher per registry: across processes on PostgreSQL, within this one on SQLite."""
        if self.database.is_postgres:
            return AdvisoryLease(self.database.engine, tenant_id)
        return ProcessLease(tenant_lock(tenant_id))

    def publisher(self, tenant_id: UUID) -> Publisher:
        aef = self.aef_for(tenant_id) if self.aef_for else None
        return Publisher(
            self.store(tenant_id),
            self.client_for,
            self.policy,
            lease=self.lease(tenant_id),
            aef=aef,
            clock=self.clock,
            closed=not self.publishes(tenant_id),
        )

    def aef_waiting(self, tenant_id: UUID) -> bool:
        """A v2 registry has a finished AEF version its CAD Trust records do not follow yet."""
        store = self.store(tenant_id)
        connection = store.connection()
        if not self.aef_for or connection is None or not connection.enabled or connection.data_model_version != "v2":
            return False
        if connection.state is not ConnectionState.OK:  # a node down or a wrong key: the back-off decides
            return False
        return publish_v2.aef_waiting(store, self.aef_for(tenant_id))


def bootstrap(
    database: Database,
    secret_key: str,
    *,
    policy: PublishPolicy | None = None,
    aef_for: Callable[[UUID], AefSubmissions] | None = None,
    clock: Clock = SYSTEM_CLOCK,
    publishes: Callable[[UUID], bool] | None = None,
) -> Cadt:
    """The publisher's services; `secret_key` encrypts the nodes' API keys at rest; `publishes` says whether a
    registry may publish at all (never a training one)."""
    return Cadt(
        database,
        FernetSecrets([secret_key]),
        policy=policy or PublishPolicy(),
        aef_for=aef_for,
        clock=clock,
        publishes=publishes or (lambda _tenant_id: True),
    )
