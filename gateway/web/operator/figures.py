"""Key figures of each hosted registry, read through that registry's own tenant-bound sessions.

The ledger figures reuse the ledger's query port (`views()`, as the JSON API does), which reads the
registry of the request; `scoped_to` names the registry for the length of the reads only, so every
query runs in a transaction bound to that registry and row-level security applies as usual.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import g

from gateway.bootstrap import Platform
from gateway.bootstrap.cadt import cadt_for
from gateway.cadt.api import PUBLISHED_KINDS
from gateway.health import event_backlog
from gateway.ledger.context import views
from services.cadt.domain.model import Status
from services.ledger.api import TransactionFilter
from services.shared.db.reachability import Unreachable
from tenants.domain.model import Tenant

RECENT = timedelta(days=30)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Pipeline:
    """The event pipeline's backlog, by registry code: the outbox and each consumer's lag."""

    outbox_by_tenant: dict[str, int]
    lag_by_consumer: dict[str, dict[str, int]]

    @property
    def outbox_total(self) -> int:
        return sum(self.outbox_by_tenant.values())

    def consumer_totals(self) -> dict[str, int]:
        return {name: sum(lag.values()) for name, lag in self.lag_by_consumer.items()}

    def lag_of(self, code: str) -> dict[str, int]:
        return {name: lag.get(code, 0) for name, lag in self.lag_by_consumer.items()}


@dataclass(frozen=True)
class TenantFigures:
    accounts: int
    units_held: int
    recent_transactions: int
    outbox_backlog: int
    consumer_lag: dict[str, int] = field(default_factory=dict)
    cadt: dict[str, int] = field(default_factory=dict)  # sync records by status
    reachable: bool = True  # False: the registry's dedicated database could not be reached; the rest is zero

    @property
    def lag_total(self) -> int:
        return sum(self.consumer_lag.values())

    @property
    def cadt_failures(self) -> int:
        return self.cadt.get(Status.FAILED.value, 0) + self.cadt.get(Status.INVALID.value, 0)


def pipeline(platform: Platform) -> Pipeline:
    backlog: dict[str, Any] = event_backlog(platform)
    return Pipeline(dict(backlog["outbox_pending_by_tenant"]), dict(backlog["consumer_lag_by_tenant"]))


@contextmanager
def scoped_to(tenant: Tenant) -> Iterator[None]:
    previous = g.get("tenant")
    g.tenant = tenant
    try:
        yield
    finally:
        g.tenant = previous


def ledger_figures(tenant: Tenant, now: datetime) -> tuple[int, int, int]:
    """(accounts, units held, transactions proposed in the last 30 days) of one registry."""
    since = now - RECENT
    with scoped_to(tenant):
        accounts = views().accounts({}, 1, 1).total
        held = views().unit_totals()["held"]
        recent = views().transactions(TransactionFilter(proposed_from=since), 1, 1).total
    return accounts, held, recent


def cadt_counts(platform: Platform, tenant: Tenant) -> dict[str, int]:
    store = cadt_for(platform).store(tenant.id)
    counts = Counter(record.status.value for kind in PUBLISHED_KINDS for record in store.records(kind))
    return dict(counts)


def reachable_cadt_counts(platform: Platform, tenants: Iterable[Tenant]) -> dict[str, dict[str, int]]:
    """CAD Trust sync records by status, per registry code, of the registries whose database answers."""
    found: dict[str, dict[str, int]] = {}
    for tenant in tenants:
        try:
            found[tenant.code] = cadt_counts(platform, tenant)
        except Unreachable:
            log.warning("operator figures: the database of registry %s is unreachable", tenant.code)
    return found


def figures_for(
    platform: Platform, tenants: Iterable[Tenant], flow: Pipeline | None = None
) -> dict[str, TenantFigures]:
    flow = flow or pipeline(platform)
    found: dict[str, TenantFigures] = {}
    for tenant in tenants:
        try:
            accounts, held, recent = ledger_figures(tenant, platform.clock.now())
            cadt = cadt_counts(platform, tenant)
        except Unreachable:
            log.warning("operator figures: the database of registry %s is unreachable", tenant.code)
            found[tenant.code] = TenantFigures(0, 0, 0, 0, reachable=False)
            continue
        found[tenant.code] = TenantFigures(
            accounts=accounts,
            units_held=held,
            recent_transactions=recent,
            outbox_backlog=flow.outbox_by_tenant.get(tenant.code, 0),
            consumer_lag=flow.lag_of(tenant.code),
            cadt=cadt,
        )
    return found
