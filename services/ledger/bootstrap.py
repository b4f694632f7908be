"""Wires the ledger's SQL adapter and a tenant's settings into its service layer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any
from uuid import UUID

from services.events.adapters.outbox import OutboxWriter
from services.ledger.adapters.unit_of_work import SqlAlchemyLedgerUnitOfWork
from services.ledger.adapters.views_sql import SqlLedgerViews
from services.ledger.domain.protection import Limits, OnLimit, ProtectionSettings, RegistryHours
from services.ledger.domain.registry import ApprovalPolicy, NdcPeriod, RegistrySettings
from services.ledger.domain.transactions import TransactionType
from services.ledger.service_layer.messagebus import LedgerBus
from services.ledger.service_layer.ports import Guard
from services.ledger.service_layer.views import LedgerViews
from services.shared.clock import Clock, SystemClock
from services.shared.db.database import Database


@dataclass(frozen=True)
class LedgerTenant:
    """What the ledger needs of a tenant catalogue entry."""

    id: UUID
    code: str
    party: str
    registry_id: str
    settings: Mapping[str, Any]


def registry_settings(tenant: LedgerTenant) -> RegistrySettings:
    settings = tenant.settings
    period = settings.get("ndc_implementation_period") or {"first_year": 2021, "last_year": 2030}
    policy = settings.get("approval_policy") or {}
    return RegistrySettings(
        party=tenant.party,
        registry_id=tenant.registry_id,
        ndc_period=NdcPeriod(period["first_year"], period["last_year"]),
        approval_policy=ApprovalPolicy(
            four_eyes=frozenset(TransactionType(t) for t in policy.get("four_eyes", [])),
            delays={TransactionType(t): timedelta(minutes=m) for t, m in policy.get("delay_minutes", {}).items()},
        ),
        on_hold=bool(settings.get("on_hold", False)),
        protection=protection_settings(settings),
    )


def protection_settings(settings: Mapping[str, Any]) -> ProtectionSettings:
    """The registry's controls: `account_protection` (absent: no untrusted-transfer delay, no limits, no
    hours) and the operator's `transfers_abroad_frozen`."""
    found = settings.get("account_protection")
    frozen = settings.get("transfers_abroad_frozen")
    abroad_frozen = str(frozen.get("reason", "")) if isinstance(frozen, Mapping) else None
    if found is None:
        return ProtectionSettings(abroad_frozen=abroad_frozen)
    hours = found.get("hours")
    return ProtectionSettings(
        trusted_account_delay=timedelta(minutes=found.get("trusted_account_delay_minutes", 7 * 24 * 60)),
        untrusted_transfer_delay=timedelta(minutes=found.get("untrusted_transfer_delay_minutes", 26 * 60)),
        on_limit=OnLimit(found.get("on_limit", OnLimit.REFUSE)),
        limits=Limits(**found.get("limits", {})),
        hours=None
        if hours is None
        else RegistryHours(
            settings.get("time_zone") or "UTC",
            time.fromisoformat(hours["opens"]),
            time.fromisoformat(hours["closes"]),
            frozenset(hours.get("days", range(1, 8))),
        ),
        abroad_frozen=abroad_frozen,
    )


@dataclass
class Ledger:
    database: Database
    outbox: OutboxWriter
    clock: Clock

    def uow(self, tenant: LedgerTenant, guards: Sequence[Guard] = ()) -> SqlAlchemyLedgerUnitOfWork:
        return SqlAlchemyLedgerUnitOfWork(self.database, tenant.id, tenant.code, self.outbox, guards, self.clock)

    def bus(self, tenant: LedgerTenant, guards: Sequence[Guard] = ()) -> LedgerBus:
        """The ledger's bus for `tenant`; `guards` run first in each transaction its handlers open."""
        return LedgerBus(self.uow(tenant, guards), registry_settings(tenant), self.clock)

    def views(self, tenant: LedgerTenant) -> LedgerViews:
        return SqlLedgerViews(self.database, tenant.id, tenant.registry_id)


def bootstrap(database: Database, topic_prefix: str, clock: Clock | None = None) -> Ledger:
    clock = clock or SystemClock()
    return Ledger(database, OutboxWriter(topic_prefix, clock=clock), clock)
