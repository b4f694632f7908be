"""AEF submissions: asked for (checked, versioned), then built as a job that reports its progress.

A year is closed once it has a submission; a later one is a correction (1.1, 1.2...) and needs a reason.
Every version is kept with its tables, so the 31 December holdings of a submitted year stay frozen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from services.reporting.domain import aef, checks
from services.reporting.domain.controlled import ControlledValues
from services.reporting.domain.errors import Conflict, ReportingError
from services.reporting.service_layer.ports import ReportSource, SubmissionStore

Tables = dict[str, list[aef.Row]]


@dataclass(frozen=True)
class TenantFacts:
    party: str
    created_at: datetime
    ndc_period: tuple[int, int]


def next_version(existing: list[str]) -> str:
    return "1.0" if not existing else f"1.{len(existing)}"


def check_request(
    tenant: TenantFacts, year: int, reason: str | None, now: datetime, store: SubmissionStore, source: ReportSource
) -> str:
    """The version this request will make; refuses a year outside the registry's life or a silent correction."""
    if year > now.year:
        raise ReportingError(
            "reporting.year_in_future", f"{year} has not started yet: report {now.year} or earlier", "year"
        )
    first = source.first_activity()
    start = min(tenant.created_at.year, first.year if first else tenant.created_at.year)
    if year < start:
        raise ReportingError(
            "reporting.year_before_registry",
            f"the registry holds nothing before {start}: report {start} or later",
            "year",
        )
    existing = store.versions(year)
    if existing and not (reason or "").strip():
        raise Conflict(
            "reporting.reason_required",
            f"{year} is closed (version {existing[-1]} was submitted): say why you correct it in 'reason'",
            "reason",
        )
    return next_version(existing)


def request(
    tenant: TenantFacts,
    year: int,
    reason: str | None,
    requested_by: str,
    now: datetime,
    new_id: Callable[[], UUID],
    store: SubmissionStore,
    source: ReportSource,
) -> UUID:
    version = check_request(tenant, year, reason, now, store, source)
    submission_id = new_id()
    store.create(
        {
            "id": submission_id,
            "year": year,
            "version": version,
            "reason": (reason or "").strip() or None,
            "requested_by": requested_by,
            "requested_at": now,
            "status": "queued",
            "percent": 0,
            "step": "waiting to start",
        }
    )
    return submission_id


def build(
    submission_id: UUID, tenant: TenantFacts, source: ReportSource, store: SubmissionStore, values: ControlledValues
) -> None:
    """Builds the five tables and runs the checks, reporting progress through the store."""
    submission = store.get(submission_id)
    if submission is None:
        raise ReportingError("resource.not_found", f"no submission {submission_id}")
    try:
        tables, findings = _build(submission, tenant, source, store, values)
    except Exception as error:
        store.update(
            submission_id, {"status": "failed", "step": "stopped", "error": f"{type(error).__name__}: {error}"}
        )
        raise
    store.update(
        submission_id,
        {
            "status": "done",
            "percent": 100,
            "step": "ready to download",
            "tables": tables,
            "findings": [f.to_dict() for f in findings],
            "passed": not findings,
        },
    )


def _build(
    submission: dict[str, Any],
    tenant: TenantFacts,
    source: ReportSource,
    store: SubmissionStore,
    values: ControlledValues,
) -> tuple[Tables, list[checks.Finding]]:
    sid, year = submission["id"], int(submission["year"])

    def step(percent: int, text: str) -> None:
        store.update(sid, {"status": "running", "percent": percent, "step": text})

    step(5, "reading authorizations")
    terms = {
        (a["authorization_id"], a["version"]): {**a["terms"], "reference": a["reference"]}
        for a in source.authorizations()
    }
    own = [
        a for a in source.authorizations() if a["authorizing_party"] == tenant.party and a["authorized_on"].year == year
    ]
    step(20, "building Table 3 Actions")
    actions = [
        aef.action_row(r, terms.get((r["authorization_id"], r["authorization_version"])), values)
        for r in source.actions(year)
    ]
    step(50, "building Table 4 Holdings (31 December snapshot)")
    holdings = _holdings(source, terms, values, year)
    opening = _holdings(source, terms, values, year - 1)
    step(75, "building Tables 1, 2 and 5")
    submitted_on = submission["requested_at"].date().isoformat()
    tables: Tables = {
        aef.SUBMISSION: [
            aef.submission_row(tenant.party, submission["version"], year, submitted_on, tenant.ndc_period)
        ],
        aef.AUTHORIZATIONS: [aef.authorization_row(a, values) for a in own],
        aef.ACTIONS: actions,
        aef.HOLDINGS: holdings,
        aef.ENTITIES: [aef.entity_row(e) for e in source.entities() if _entity_in_year(e, year)],
    }
    step(90, "running the pre-submission checks")
    findings = _findings(tables, values, year, sum(_qty(r) for r in opening))
    return tables, findings


def _holdings(source: ReportSource, terms: dict[Any, Any], values: ControlledValues, year: int) -> list[aef.Row]:
    at = datetime(year + 1, 1, 1, tzinfo=UTC)
    return [
        aef.holding_row(r, terms.get((r["authorization_id"], r["authorization_version"])), values)
        for r in source.holdings(at)
    ]


def _qty(row: aef.Row) -> int:
    return int(row[12]) if isinstance(row[12], int) else int(row[13])


def _entity_in_year(entity: dict[str, Any], year: int) -> bool:
    revoked = entity["revoked_at"]
    return bool(entity["authorized_on"].year == year or (revoked and revoked.year == year))


def _findings(tables: Tables, values: ControlledValues, year: int, opening: int) -> list[checks.Finding]:
    found: list[checks.Finding] = []
    for table, rows in tables.items():
        found += checks.required(table, rows)
    found += checks.identifiers(aef.ACTIONS, tables[aef.ACTIONS], 7)
    found += checks.identifiers(aef.HOLDINGS, tables[aef.HOLDINGS], 4)
    found += checks.controlled(values, tables[aef.ACTIONS], tables[aef.AUTHORIZATIONS])
    found += checks.year_boundaries(year, tables[aef.ACTIONS])
    found += checks.totals(values, tables[aef.ACTIONS], opening, tables[aef.HOLDINGS])
    return found
