"""AEF submissions of one registry: ask for one (a job), follow its progress, download it; reconcile."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.auth.access import current_principal, requires
from gateway.auth.principal import Role
from gateway.bootstrap import current_platform
from gateway.bootstrap import reporting as context
from gateway.errors import Problem, not_found
from gateway.reporting import schemas as s
from gateway.reporting.downloads import aef_download
from gateway.tenancy import current_tenant
from services.reporting.bootstrap import EXPORT_FORMATS

blp = Blueprint(
    "reporting_aef",
    __name__,
    url_prefix="/api/v1/registries/<string:registry>/reports",
    description="Article 6.2 annual information (AEF) and reconciliation",
)
READERS = (Role.REGISTRY_ADMIN, Role.AUDITOR)


def _platform() -> Any:
    return current_platform()


def job_body(submission: dict[str, Any]) -> dict[str, Any]:
    base = f"/api/v1/registries/{current_tenant().code}/reports/aef/{submission['id']}"
    links = {"self": base}
    if submission["status"] == "done":
        links |= {fmt: f"{base}/download?format={fmt}" for fmt in sorted(EXPORT_FORMATS)}
    return {**submission, "links": links}


def _submission(submission_id: UUID) -> dict[str, Any]:
    found = context.store(_platform(), current_tenant()).get(submission_id)
    if found is None:
        raise not_found("AEF submission")
    return found


@blp.route("/aef")
class AefJobs(MethodView):
    @blp.arguments(s.AefRequest)
    @blp.response(202, s.Job)
    @requires(Role.REGISTRY_ADMIN)
    def post(self, body: dict[str, Any]) -> Any:
        """Build the AEF of a year: answers 202 with a job to follow; a closed year needs a reason"""
        platform, tenant = _platform(), current_tenant()
        submission_id = context.request_aef(platform, tenant, body["year"], body["reason"], current_principal().subject)
        context.start_aef_job(platform, tenant, submission_id)
        job = job_body(_submission(submission_id))
        return job, 202, {"Location": job["links"]["self"]}

    @blp.arguments(s.AefListQuery, location="query")
    @blp.response(200, s.JobList)
    @requires(*READERS)
    def get(self, query: dict[str, Any]) -> Any:
        """Every AEF submission of the registry, every version kept"""
        items = context.store(_platform(), current_tenant()).list(query["year"])
        return {"items": [job_body(item) for item in items]}


@blp.route("/aef/<uuid:submission_id>")
class AefJob(MethodView):
    @blp.response(200, s.Job)
    @requires(*READERS)
    def get(self, submission_id: UUID) -> Any:
        """An AEF job: progress (percent, step), the check results, and download links when done"""
        return job_body(_submission(submission_id))


@blp.route("/aef/<uuid:submission_id>/download")
class AefDownload(MethodView):
    @blp.arguments(s.DownloadQuery, location="query")
    @requires(*READERS)
    def get(self, query: dict[str, Any], submission_id: UUID) -> Response:
        """Download an AEF version as XLSX, CSV (zip, one file per table) or JSON; failing ones say so"""
        found = _submission(submission_id)
        if found["status"] != "done":
            raise Problem(
                409,
                "reporting.not_ready",
                f"the AEF job is {found['status']} ({found['percent']} %): wait until it is done",
            )
        return aef_download(query["format"], found)


@blp.route("/reconciliation")
class Reconciliation(MethodView):
    @blp.response(200)
    @requires(*READERS)
    def get(self) -> Any:
        """Compare the reporting projection with the ledger: totals, blocks, journal; every difference"""
        return context.reconcile_tenant(_platform(), current_tenant()).to_dict()
