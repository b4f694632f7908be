"""Registry console: AEF submissions, generating a year's AEF as a job with a progress bar, downloads,
and the reconciliation of the reporting projection with the ledger.

Everything goes through the reporting API's context (gateway/bootstrap/reporting.py): the same checks,
the same versioning and the same background job as `POST /api/v1/registries/<registry>/reports/aef`.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, jsonify, redirect, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response as Redirect

from gateway.auth.access import current_principal, requires
from gateway.auth.principal import Role
from gateway.bootstrap import current_platform
from gateway.bootstrap import reporting as context
from gateway.errors import Problem, not_found
from gateway.inputs.limits import whole_number
from gateway.reporting.downloads import aef_download
from gateway.tenancy import current_tenant
from gateway.web.console import bp
from services.reporting.bootstrap import EXPORT_FORMATS
from services.reporting.domain.errors import ReportingError

READERS = (Role.REGISTRY_ADMIN, Role.AUDITOR)
FIRST_YEAR, LAST_YEAR = 1990, 9999
MAX_REASON = 2000


def _platform() -> Any:
    return current_platform()


def _root() -> str:
    return f"/registries/{current_tenant().code}/console/reports"


def _submission(submission_id: UUID) -> dict[str, Any]:
    """One submission of this registry; another registry's id is a 404 page, as is an unknown one."""
    found = context.store(_platform(), current_tenant()).get(submission_id)
    if found is None:
        raise not_found("AEF job")
    return found


@bp.get("/reports")
@requires(*READERS, session=True)
def reports() -> str:
    return _reports_page({}, {})[0]


@bp.post("/reports")
@requires(Role.REGISTRY_ADMIN, session=True)
def generate() -> Redirect | tuple[str, int]:
    values = {"year": request.form.get("year", "").strip(), "reason": request.form.get("reason", "").strip()}
    year, errors = _checked_form(values)
    if errors or year is None:
        return _reports_page(values, errors, 422)
    platform, tenant = _platform(), current_tenant()
    try:
        submission_id = context.request_aef(
            platform, tenant, year, values["reason"] or None, current_principal().subject
        )
    except ReportingError as error:
        return _reports_page(values, {error.field or "year": error.detail}, error.status)
    context.start_aef_job(platform, tenant, submission_id)
    return redirect(f"{_root()}/jobs/{submission_id}", 303)


def _checked_form(values: dict[str, str]) -> tuple[int | None, dict[str, str]]:
    errors: dict[str, str] = {}
    year = whole_number(values["year"])
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        errors["year"] = _("Enter the year to report as four digits, for example 2025.")
    if len(values["reason"]) > MAX_REASON:
        errors["reason"] = _("Keep the reason under %(count)s characters.", count=MAX_REASON)
    return year, errors


def _reports_page(values: dict[str, str], errors: dict[str, str], status: int = 200) -> tuple[str, int]:
    submissions = list(reversed(context.store(_platform(), current_tenant()).list()))
    can_generate = current_principal().has_any(Role.REGISTRY_ADMIN)
    html = render_template(
        "web/console/reports/index.html",
        submissions=submissions,
        values=values,
        errors=errors,
        can_generate=can_generate,
        root=_root(),
    )
    return html, status


@bp.get("/reports/jobs/<uuid:submission_id>")
@requires(*READERS, session=True)
def job(submission_id: UUID) -> str:
    found = _submission(submission_id)
    return render_template("web/console/reports/job.html", job=found, root=_root(), formats=_formats())


def _formats() -> list[tuple[str, str]]:
    return [("xlsx", _("Excel workbook (XLSX)")), ("csv", _("CSV, one file per table (ZIP)")), ("json", _("JSON"))]


@bp.get("/reports/jobs/<uuid:submission_id>/progress")
@requires(*READERS, session=True)
def job_progress(submission_id: UUID) -> Response:
    """What the progress bar polls: small, and never cached."""
    found = _submission(submission_id)
    answer = jsonify(
        {
            "status": found["status"],
            "percent": found["percent"],
            "step": found["step"],
            "done": found["status"] in ("done", "failed"),
        }
    )
    answer.headers["Cache-Control"] = "no-store"
    return answer


@bp.get("/reports/progress.js")
@requires(*READERS, session=True)
def progress_script() -> Response:
    """The few lines that move the progress bar, served from here: the CSP allows no inline script."""
    script = render_template("web/console/reports/progress.js")
    return Response(script, mimetype="text/javascript", headers={"Cache-Control": "max-age=3600"})


@bp.get("/reports/jobs/<uuid:submission_id>/download")
@requires(*READERS, session=True)
def download(submission_id: UUID) -> Response:
    fmt = request.args.get("format", "xlsx")
    if fmt not in EXPORT_FORMATS:
        raise Problem(400, "web.bad_format", _("Choose one of the formats offered on the job page."))
    found = _submission(submission_id)
    if found["status"] != "done":
        raise Problem(409, "reporting.not_ready", _("This AEF is not ready yet: wait until its job is done."))
    return aef_download(fmt, found)


@bp.get("/reports/reconciliation")
@requires(*READERS, session=True)
def reconciliation() -> str:
    report = context.reconcile_tenant(_platform(), current_tenant()).to_dict()
    return render_template("web/console/reports/reconciliation.html", report=report, root=_root())
