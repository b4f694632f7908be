"""`registry report aef` and `registry reconcile`: the AEF and the reconciliation from the command line."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

import click

from gateway.bootstrap import Platform
from gateway.bootstrap import reporting as context
from gateway.settings import Settings
from gateway.training.marks import AEF_MARK, mark_for
from services.reporting.bootstrap import EXPORT_FORMATS, write_export
from services.reporting.domain.errors import ReportingError
from services.reporting.service_layer.ports import SubmissionStore
from tenants.domain.model import Tenant

POLL_S = 0.2


@contextmanager
def _platform() -> Iterator[Platform]:
    built = Platform.from_settings(Settings.from_env())
    try:
        yield built
    finally:
        built.close()


def _tenant(platform: Platform, code: str) -> Tenant:
    tenant = platform.catalogue.find(code)
    if tenant is None:
        raise click.UsageError(f"no registry {code!r}: `registry tenants list` shows the codes")
    return tenant


@click.group()
def report() -> None:
    """Article 6.2 reports."""


@report.command("aef")
@click.option("--registry", "code", required=True, help="registry code, e.g. demo-host")
@click.option("--year", required=True, type=int, help="the reported year")
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORT_FORMATS)), default="xlsx", show_default=True)
@click.option("--reason", default=None, help="why a closed year is corrected (needed from version 1.1 on)")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def report_aef(code: str, year: int, fmt: str, reason: str | None, output: Path) -> None:
    """Build the AEF of YEAR as a new submission version and write it to OUTPUT."""
    with _platform() as platform:
        tenant = _tenant(platform, code)
        try:
            submission_id = context.request_aef(platform, tenant, year, reason, "cli")
        except ReportingError as error:
            raise click.UsageError(f"{error.code}: {error.detail}") from None
        thread = context.start_aef_job(platform, tenant, submission_id)
        job = _follow(context.store(platform, tenant), submission_id, f"AEF {tenant.party} {year}")
        thread.join()
        if job.get("status") != "done":
            raise click.ClickException(f"the AEF job failed: {job.get('error')}")
        with output.open("wb") as out:
            write_export(
                fmt,
                context.store(platform, tenant).tables(submission_id),
                job["findings"] or [],
                out,
                mark_for(tenant, AEF_MARK),
            )
    verdict = "passed the pre-submission checks" if job["passed"] else f"FAILS {len(job['findings'])} checks"
    click.echo(f"version {job['version']} written to {output}; it {verdict}")
    for finding in job["findings"] or []:
        click.echo(
            f"  {finding['table']} row {finding['row']} {finding['column']}: {finding['problem']}: {finding['fix']}"
        )


def _follow(store: SubmissionStore, submission_id: UUID, label: str) -> dict[str, Any]:
    """Moves a progress bar with the job's percent until it is done or failed."""
    with click.progressbar(length=100, label=label, file=sys.stderr) as bar:
        shown = 0
        while True:
            job = store.get(submission_id) or {}
            bar.update(int(job.get("percent", 0)) - shown)
            shown = int(job.get("percent", 0))
            if job.get("status") in ("done", "failed"):
                return store.get(submission_id) or {}
            time.sleep(POLL_S)


@click.command()
@click.option("--registry", "code", required=True, help="registry code, e.g. demo-host")
@click.option("--json", "as_json", is_flag=True, help="print the report as JSON")
def reconcile(code: str, as_json: bool) -> None:
    """Compare the reporting projection with the ledger (totals, blocks, journal); exit 1 on differences."""
    with _platform() as platform:
        found = context.reconcile_tenant(platform, _tenant(platform, code))
    if as_json:
        click.echo(json.dumps(found.to_dict(), indent=1, default=str))
    else:
        for phase, status in found.to_dict()["phases"].items():
            click.echo(f"{phase:<8} {status}")
        for difference in found.differences:
            click.echo(
                f"  {difference.phase} {difference.key}: "
                f"ledger {difference.ledger!r}, projection {difference.projection!r}"
            )
    if not found.consistent:
        sys.exit(1)
