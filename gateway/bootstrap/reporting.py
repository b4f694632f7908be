"""The reporting context as the platform uses it: the tenant's facts, its stores, the AEF background job, the
reconciliation against the ledger's query port and the `reporting` consumer."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any
from uuid import UUID

from gateway.bootstrap import bus
from gateway.bootstrap.platform import Platform
from services.events.service_layer.consumer import Consumer
from services.ledger.api import LedgerViews
from services.reporting.domain.controlled import controlled_values
from services.reporting.domain.reconciliation import Report
from services.reporting.entrypoints.consumer import build_consumer
from services.reporting.service_layer import submissions
from services.reporting.service_layer.ports import ReportSource, SubmissionStore
from services.reporting.service_layer.reconcile import reconcile
from tenants.domain.model import Tenant

log = logging.getLogger(__name__)
DEFAULT_NDC_PERIOD = {"first_year": 2021, "last_year": 2030}


def tenant_facts(tenant: Tenant) -> submissions.TenantFacts:
    period = tenant.settings.get("ndc_implementation_period") or DEFAULT_NDC_PERIOD
    return submissions.TenantFacts(tenant.party, tenant.created_at, (period["first_year"], period["last_year"]))


def source(platform: Platform, tenant: Tenant) -> ReportSource:
    return platform.reporting.source(tenant.id)


def store(platform: Platform, tenant: Tenant) -> SubmissionStore:
    return platform.reporting.submissions(tenant.id)


def request_aef(platform: Platform, tenant: Tenant, year: int, reason: str | None, requested_by: str) -> UUID:
    from uuid6 import uuid7

    return submissions.request(
        tenant_facts(tenant),
        year,
        reason,
        requested_by,
        platform.clock.now(),
        uuid7,
        store(platform, tenant),
        source(platform, tenant),
    )


def build_aef(platform: Platform, tenant: Tenant, submission_id: UUID) -> None:
    submissions.build(
        submission_id, tenant_facts(tenant), source(platform, tenant), store(platform, tenant), controlled_values()
    )


def start_aef_job(platform: Platform, tenant: Tenant, submission_id: UUID) -> threading.Thread:
    """Builds in a background thread of this process; progress goes through the submission row."""

    def run() -> None:
        try:
            build_aef(platform, tenant, submission_id)
        except Exception:
            log.exception("AEF job %s failed", submission_id)

    thread = threading.Thread(target=run, name=f"aef-{submission_id}", daemon=True)
    thread.start()
    return thread


class LedgerHoldings:
    """The ledger's side of the reconciliation, read through the ledger's query port."""

    def __init__(self, views: LedgerViews) -> None:
        self.views = views

    def blocks(self) -> list[dict[str, Any]]:
        return [asdict(block) for block in self.views.block_holdings()]

    def journal(self) -> dict[int, str]:
        return self.views.journal_numbers()


def reconcile_tenant(platform: Platform, tenant: Tenant) -> Report:
    ledger = LedgerHoldings(platform.ledger.views(Platform.ledger_tenant(tenant)))
    return reconcile(ledger, platform.reporting.projection(tenant.id))


def consumer_for(platform: Platform) -> Consumer:
    def tenants() -> Iterable[tuple[UUID, str]]:
        return [(tenant.id, tenant.party) for tenant in platform.catalogue.list()]

    return build_consumer(platform.database, bus.domain_topics(platform.settings), tenants)
