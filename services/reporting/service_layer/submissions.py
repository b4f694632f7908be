"""AEF submissions: asked for (checked, versioned), then built as a job that reports its progress.

A year is closed once it has a submission; a later one is a correction (1.1, 1.2...) and needs a reason.
Every version is kept with its tables, row by row, so the 31 December holdings of a submitted year stay frozen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from services.reporting.domain import aef, checks
from services.reporting.domain.checker import Checker
from services.reporting.domain.controlled import ControlledValues
from services.reporting.domain.errors import Conflict, ReportingError
from services.reporting.service_layer.ports import ReportSource, SubmissionStore

PROGRESS_ROWS = 2_000


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
    """Builds the five tables and runs the checks, reporting progress through the store.

    Rows stream from the projection to the store in batches; only the findings and running totals stay
    in memory, so a year of a million actions needs no more memory than a year of ten.
    """
    submission = store.get(submission_id)
    if submission is None:
        raise ReportingError("resource.not_found", f"no submission {submission_id}")
    try:
        findings = _build(submission, tenant, source, store, values)
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
            "findings": [f.to_dict() for f in findings],
            "passed": not findings,
        },
    )


Progress = Callable[[int], None]
Sheet = tuple[str, Iterable[aef.Row], Progress | None]


def _checked(sheets: Iterable[Sheet], checker: Checker) -> Iterator[tuple[str, int, aef.Row]]:
    """Checks each row on its way to the store, telling a table's progress every PROGRESS_ROWS rows."""
    for name, rows, progress in sheets:
        for number, row in enumerate(rows, start=1):
            checker.row(name, row)
            yield name, number, row
            if progress and number % PROGRESS_ROWS == 0:
                progress(number)


def _build(
    submission: dict[str, Any],
    tenant: TenantFacts,
    source: ReportSource,
    store: SubmissionStore,
    values: ControlledValues,
) -> list[checks.Finding]:
    sid, year = submission["id"], int(submission["year"])
    shown = {"percent": -1}

    def step(percent: int, text: str) -> None:
        if percent != shown["percent"]:
            shown["percent"] = percent
            store.update(sid, {"status": "running", "percent": percent, "step": text})

    step(5, "reading authorizations")
    authorizations = source.authorizations()
    terms = {(a["authorization_id"], a["version"]): {**a["terms"], "reference": a["reference"]} for a in authorizations}
    step(10, "adding up the holdings at the start of the year")
    opening = sum(checks.holding_quantity(row) for row in _holdings(source, terms, values, year - 1))
    checker = Checker(values, year, opening)
    store.write_rows(sid, _checked(_sheets(submission, tenant, source, values, terms, authorizations, step), checker))
    return checker.findings()


def _sheets(
    submission: dict[str, Any],
    tenant: TenantFacts,
    source: ReportSource,
    values: ControlledValues,
    terms: dict[Any, Any],
    authorizations: list[dict[str, Any]],
    step: Callable[[int, str], None],
) -> Iterator[Sheet]:
    """The five tables in order, each read lazily; the job's step moves as the writer reaches each one."""
    year = int(submission["year"])
    submitted_on = submission["requested_at"].date().isoformat()
    yield (
        aef.SUBMISSION,
        [aef.submission_row(tenant.party, submission["version"], year, submitted_on, tenant.ndc_period)],
        None,
    )
    own = (a for a in authorizations if a["authorizing_party"] == tenant.party and a["authorized_on"].year == year)
    yield aef.AUTHORIZATIONS, (aef.authorization_row(a, values) for a in own), None
    total = max(source.count_actions(year), 1)
    step(20, f"building Table 3 Actions ({total:,} rows)")
    actions = (
        aef.action_row(r, terms.get((r["authorization_id"], r["authorization_version"])), values)
        for r in source.stream_actions(year)
    )
    yield (
        aef.ACTIONS,
        actions,
        lambda done: step(20 + 55 * done // total, f"Table 3 Actions: {done:,} of {total:,} rows"),
    )
    step(75, "building Table 4 Holdings (31 December snapshot)")
    yield aef.HOLDINGS, _holdings(source, terms, values, year), None
    step(90, "building Table 5 and finishing the pre-submission checks")
    yield aef.ENTITIES, (aef.entity_row(e) for e in source.entities() if _entity_in_year(e, year)), None


def _holdings(source: ReportSource, terms: dict[Any, Any], values: ControlledValues, year: int) -> Iterator[aef.Row]:
    at = datetime(year + 1, 1, 1, tzinfo=UTC)
    for record in source.stream_holdings(at):
        yield aef.holding_row(record, terms.get((record["authorization_id"], record["authorization_version"])), values)


def _entity_in_year(entity: dict[str, Any], year: int) -> bool:
    revoked = entity["revoked_at"]
    return bool(entity["authorized_on"].year == year or (revoked and revoked.year == year))


def latest_done(store: SubmissionStore) -> list[dict[str, Any]]:
    """The submission each reported year stands on: its latest version whose tables were built."""
    latest: dict[int, dict[str, Any]] = {}
    for submission in store.list():
        if submission["status"] == "done":
            latest[int(submission["year"])] = submission  # the store lists oldest request first
    return [latest[year] for year in sorted(latest)]


def sheet_rows(store: SubmissionStore, submission_id: UUID) -> dict[str, list[dict[str, Any]]]:
    """The five tables of one version, each row as {column title: cell}, as the AEF export writes them."""
    return {
        sheet: [dict(zip(aef.COLUMNS[sheet], row, strict=True)) for row in store.rows(submission_id, sheet)]
        for sheet in aef.SHEETS
    }
