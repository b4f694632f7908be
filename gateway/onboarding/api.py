"""The onboarding API: participants' checklists and feedback in a training registry; the operators'
overview, feedback, needs assessment and four-eyes promotion (docs/onboarding.md)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from gateway.auth.access import current_principal, requires
from gateway.auth.principal import Role
from gateway.bootstrap import Platform, current_platform
from gateway.errors import Problem
from gateway.onboarding import schemas, views
from gateway.onboarding.context import (
    CatalogueProvisioner,
    check_production_identity,
    onboarding,
    questionnaire,
    scripts,
    training,
)
from gateway.onboarding.queries import assessment_of, overview
from gateway.onboarding.spreadsheets import XLSX, download
from gateway.tenancy import current_tenant
from services.onboarding.domain.promotion import ProductionIdentity, checked_administrators
from services.onboarding.domain.scripts import LANGUAGES, ScriptRole
from services.onboarding.service_layer import journeys as service
from tenants.domain.model import Tenant
from tenants.settings_schema import defaults, validate_settings

registry_blp = Blueprint(
    "onboarding",
    __name__,
    url_prefix="/api/v1/registries/<string:registry>/onboarding",
    description="Training: scripts",
)
platform_blp = Blueprint(
    "platform_onboarding", __name__, url_prefix="/api/v1/platform/onboarding", description="Operators: onboarding"
)
PARTICIPANTS = (
    Role.REGISTRY_ADMIN,
    Role.AUTHORIZING_OFFICER,
    Role.ACCOUNT_REPRESENTATIVE,
    Role.APPROVER,
    Role.AUDITOR,
)
OPERATOR = Role.PLATFORM_OPERATOR
FEEDBACK_COLUMNS = ("created_at", "function", "step_id", "page", "author", "text", "open", "resolved_at", "id")
GAP_COLUMNS = ("topic", "question", "answer", "finding", "setting", "note")


class ScriptLanguageQuery(Schema):
    language = fields.String(load_default="en", validate=validate.OneOf(LANGUAGES))


class NewFeedbackSchema(Schema):
    page = fields.String(required=True, validate=validate.Length(min=1, max=500))
    text = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    role = fields.String(load_default=None, validate=validate.OneOf([r.value for r in ScriptRole]))
    step_id = fields.String(load_default=None, validate=validate.Length(min=1, max=100))


class OnboardingDownloadQuery(Schema):
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv", "xlsx"]))
    function = fields.String(load_default=None)
    language = fields.String(load_default="en", validate=validate.OneOf(LANGUAGES))


class AssessmentAnswersSchema(Schema):
    answers = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=False), required=True)


class InvitedAdministratorSchema(Schema):
    username = fields.String(required=True)
    display_name = fields.String(load_default="")


class PromotionRequestSchema(Schema):
    code = fields.String(required=True)
    party = fields.String(required=True)
    registry_id = fields.String(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    administrators = fields.List(
        fields.Nested(InvitedAdministratorSchema), required=True, validate=validate.Length(min=1)
    )


def _platform() -> Platform:
    found: Platform = current_platform()
    return found


def _training(code: str) -> Tenant:
    return training(_platform().catalogue.get(code))


@registry_blp.route("/scripts")
class Scripts(MethodView):
    @registry_blp.response(200, schemas.ChecklistListSchema)
    @registry_blp.arguments(ScriptLanguageQuery, location="query")
    @requires(*PARTICIPANTS)
    def get(self, query: dict[str, Any]) -> Any:
        """Every role's script with each step ticked from the registry's own events"""
        platform, tenant = _platform(), training(current_tenant())
        found = service.script_progress(onboarding(platform), tenant.id, scripts(), platform.clock.now())
        return {"items": [views.checklist(p, query["language"]) for p in found.values()]}


@registry_blp.route("/feedback")
class RegistryFeedback(MethodView):
    @registry_blp.response(201, schemas.FeedbackSchema)
    @registry_blp.arguments(NewFeedbackSchema)
    @requires(*PARTICIPANTS)
    def post(self, body: dict[str, Any]) -> Any:
        """Leave feedback on a page, tied to a script step when one is open"""
        platform, tenant = _platform(), training(current_tenant())
        role = ScriptRole(body["role"]) if body["role"] else None
        new = service.NewFeedback(body["page"], body["text"], current_principal().subject, role, body["step_id"])
        entry = service.leave_feedback(onboarding(platform), tenant.id, new, scripts(), platform.clock.now())
        return views.feedback(entry), 201


@platform_blp.route("")
class Overview(MethodView):
    @platform_blp.response(200, schemas.JourneyListSchema)
    @requires(OPERATOR)
    def get(self) -> Any:
        """Every training registry's phase, days in phase, script progress per role and open feedback"""
        return {"items": overview(_platform())}


@platform_blp.route("/<string:code>/scripts/restart")
class RestartScripts(MethodView):
    @platform_blp.response(204)
    @requires(OPERATOR)
    def post(self, code: str) -> Any:
        """Count script steps afresh from now, e.g. after the training registry was reset to its seed"""
        platform, tenant = _platform(), _training(code)
        service.restart_scripts(onboarding(platform), tenant.id, platform.clock.now())
        return Response(status=204)


@platform_blp.route("/<string:code>/feedback")
class Feedback(MethodView):
    @platform_blp.response(200, schemas.FeedbackListSchema)
    @platform_blp.alt_response(200, schema=schemas.CSV, content_type="text/csv", success=True)
    @platform_blp.alt_response(200, schema=schemas.XLSX_FILE, content_type=XLSX, success=True)
    @platform_blp.arguments(OnboardingDownloadQuery, location="query")
    @requires(OPERATOR)
    def get(self, query: dict[str, Any], code: str) -> Any:
        """A country's feedback, newest first, optionally of one function; as JSON, CSV or XLSX"""
        tenant = _training(code)
        with onboarding(_platform()).feedback(tenant.id) as store:
            rows = [views.feedback(f) for f in store.list(tenant.id)]
        if query["function"]:
            rows = [r for r in rows if r["function"] == query["function"]]
        if query["format"] == "json":
            return {"items": rows}
        return download(FEEDBACK_COLUMNS, rows, f"feedback-{code}", query["format"])


@platform_blp.route("/<string:code>/feedback/<uuid:feedback_id>/resolution")
class FeedbackResolution(MethodView):
    @platform_blp.response(204)
    @requires(OPERATOR)
    def post(self, code: str, feedback_id: UUID) -> Any:
        """Mark a feedback entry as dealt with"""
        tenant, platform = _training(code), _platform()
        with onboarding(platform).feedback(tenant.id) as store:
            if not store.resolve(tenant.id, feedback_id, platform.clock.now()):
                raise Problem(404, "resource.not_found", "no open feedback with this id in this registry")
        return Response(status=204)


@platform_blp.route("/<string:code>/assessment")
class Assessment(MethodView):
    @platform_blp.response(200, schemas.AssessmentSchema)
    @platform_blp.alt_response(200, schema=schemas.CSV, content_type="text/csv", success=True)
    @platform_blp.alt_response(200, schema=schemas.XLSX_FILE, content_type=XLSX, success=True)
    @platform_blp.arguments(OnboardingDownloadQuery, location="query")
    @requires(OPERATOR)
    def get(self, query: dict[str, Any], code: str) -> Any:
        """The questionnaire with the country's answers and the gap report; the report as CSV or XLSX"""
        return assessment_answer(code, query["language"], query["format"])

    @platform_blp.response(200, schemas.AssessmentSchema)
    @platform_blp.arguments(AssessmentAnswersSchema)
    @requires(OPERATOR)
    def patch(self, body: dict[str, Any], code: str) -> Any:
        """Answer questions of the current questionnaire (all checked first: one bad answer keeps none)"""
        platform, tenant = _platform(), _training(code)
        service.answer(onboarding(platform), tenant.id, questionnaire(), body["answers"], platform.clock.now())
        return assessment_answer(code, "en", "json")


def assessment_answer(code: str, language: str, file_format: str) -> Any:
    tenant = _training(code)
    found = assessment_of(_platform(), tenant, language)
    if file_format != "json":
        return download(GAP_COLUMNS, found["gap_report"], f"gap-report-{code}", file_format)
    return found


@platform_blp.route("/<string:code>/promotions")
class Promotions(MethodView):
    @platform_blp.response(200, schemas.PromotionListSchema)
    @requires(OPERATOR)
    def get(self, code: str) -> Any:
        """Every promotion asked for this training registry, with its settings diff"""
        tenant = _training(code)
        with onboarding(_platform()).journeys() as store:
            found = store.promotions(tenant.id)
        return {"items": [views.promotion(p, service.diff(p, tenant.settings)) for p in found]}

    @platform_blp.response(201, schemas.PromotionSchema)
    @platform_blp.arguments(PromotionRequestSchema)
    @requires(OPERATOR)
    def post(self, body: dict[str, Any], code: str) -> Any:
        """Ask to promote the assessed settings to a new production registry; a second operator approves"""
        platform, tenant = _platform(), _training(code)
        identity = check_production_identity(
            platform, ProductionIdentity(body["code"], body["party"], body["registry_id"], body["name"])
        )
        request = service.PromotionRequest(
            identity, checked_administrators(body["administrators"]), current_principal().subject
        )
        found = service.request_promotion(
            onboarding(platform),
            tenant.id,
            request,
            questionnaire(),
            defaults(),
            platform.clock.now(),
            validate_settings,
        )
        return views.promotion(found, service.diff(found, tenant.settings)), 201


@platform_blp.route("/promotions/<uuid:promotion_id>/approval")
class Approval(MethodView):
    @platform_blp.response(200, schemas.ApprovedPromotionSchema)
    @requires(OPERATOR)
    def post(self, promotion_id: UUID) -> Any:
        """The second operator approves: the production registry is created, empty, with its administrators"""
        platform = _platform()
        found, passwords = service.approve_promotion(
            onboarding(platform),
            promotion_id,
            current_principal().subject,
            CatalogueProvisioner(platform),
            platform.clock.now(),
        )
        production = platform.catalogue.get(found.identity.code)
        return {
            "promotion": views.promotion(found, []),
            "production": {"code": production.code, "kind": production.kind.value, "id": production.id},
            "one_time_passwords": passwords,
        }


@platform_blp.route("/promotions/<uuid:promotion_id>/withdrawal")
class Withdrawal(MethodView):
    @platform_blp.response(200, schemas.PromotionSchema)
    @requires(OPERATOR)
    def post(self, promotion_id: UUID) -> Any:
        """Withdraw a promotion nobody approved yet"""
        platform = _platform()
        found = service.withdraw_promotion(
            onboarding(platform), promotion_id, current_principal().subject, platform.clock.now()
        )
        return views.promotion(found, [])
