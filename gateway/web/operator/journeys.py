"""Onboarding journeys in the operator console: every country's phase and progress; per country its
feedback, needs assessment, gap report and the four-eyes promotion to production (docs/onboarding.md)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import flash, redirect, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from gateway.auth.access import current_principal, requires
from gateway.auth.principal import Role
from gateway.onboarding import views
from gateway.onboarding.context import (
    CatalogueProvisioner,
    check_production_identity,
    onboarding,
    questionnaire,
    scripts,
    training,
)
from gateway.onboarding.queries import assessment_of, overview
from gateway.onboarding.spreadsheets import download
from gateway.web.operator import bp
from gateway.web.operator.common import platform, tenant_or_404
from services.identity.service_layer import people
from services.onboarding.domain.errors import OnboardingError
from services.onboarding.domain.promotion import ProductionIdentity, PromotionStatus, checked_administrators
from services.onboarding.domain.questionnaire import Kind
from services.onboarding.service_layer import journeys as service
from tenants.domain.errors import TenantError
from tenants.domain.model import Tenant
from tenants.settings_schema import defaults, validate_settings

OPERATOR = Role.PLATFORM_OPERATOR
FEEDBACK_COLUMNS = ("created_at", "function", "step_id", "page", "author", "text", "open")
GAP_COLUMNS = ("topic", "question", "answer", "finding", "setting", "note")


def _language() -> str:
    return str(get_locale() or "en")


def _training(code: str) -> Tenant:
    return training(tenant_or_404(code))


def _page(tenant: Tenant, status: int = 200, **extra: Any) -> tuple[str, int]:
    ctx, now = onboarding(platform()), platform().clock.now()
    with ctx.journeys() as store:
        journey = service.journey_of(store, tenant.id, now)
        promotions = [views.promotion(p, service.diff(p, tenant.settings)) for p in store.promotions(tenant.id)]
    with ctx.feedback(tenant.id) as feedback_store:
        feedback = [views.feedback(f) for f in feedback_store.list(tenant.id)]
    html = render_template(
        "web/operator/journey.html",
        tenant=tenant,
        journey=journey,
        days=journey.days_in_phase(now),
        progress=[
            views.checklist(p, _language()) for p in service.script_progress(ctx, tenant.id, scripts(), now).values()
        ],
        feedback=feedback,
        assessment=assessment_of(platform(), tenant, _language()),
        promotions=promotions,
        waiting=next((p for p in promotions if p["status"] == PromotionStatus.REQUESTED.value), None),
        me=current_principal().subject,
        operator_names={str(o.id): o.username for o in people.operators(platform().identity.uow(None))},
        **extra,
    )
    return html, status


@bp.get("/journeys")
@requires(OPERATOR, session=True)
def journeys() -> str:
    return render_template("web/operator/journeys.html", items=overview(platform()))


@bp.get("/journeys/<code>")
@requires(OPERATOR, session=True)
def journey(code: str) -> tuple[str, int]:
    return _page(_training(code))


@bp.get("/journeys/<code>/feedback.<any(csv, xlsx):file_format>")
@requires(OPERATOR, session=True)
def feedback_download(code: str, file_format: str) -> Response:
    tenant = _training(code)
    with onboarding(platform()).feedback(tenant.id) as store:
        rows = [views.feedback(f) for f in store.list(tenant.id)]
    return download(FEEDBACK_COLUMNS, rows, f"feedback-{code}", file_format)


@bp.get("/journeys/<code>/gap-report.<any(csv, xlsx):file_format>")
@requires(OPERATOR, session=True)
def gap_report_download(code: str, file_format: str) -> Response:
    found = assessment_of(platform(), _training(code), _language())
    return download(GAP_COLUMNS, found["gap_report"], f"gap-report-{code}", file_format)


@bp.post("/journeys/<code>/feedback/<uuid:feedback_id>/resolve")
@requires(OPERATOR, session=True)
def resolve_feedback(code: str, feedback_id: UUID) -> Response:
    tenant = _training(code)
    with onboarding(platform()).feedback(tenant.id) as store:
        resolved = store.resolve(tenant.id, feedback_id, platform().clock.now())
    flash(_("Feedback marked as dealt with.") if resolved else _("That feedback was dealt with already."))
    return redirect(f"/operator/journeys/{code}#feedback", 303)


@bp.post("/journeys/<code>/assessment")
@requires(OPERATOR, session=True)
def answer(code: str) -> Response | tuple[str, int]:
    tenant = _training(code)
    try:
        service.answer(onboarding(platform()), tenant.id, questionnaire(), _answers_of_form(), platform().clock.now())
    except OnboardingError as error:
        return _page(tenant, 422, problem=str(error))
    flash(_("Answers saved: the gap report below is up to date."))
    return redirect(f"/operator/journeys/{code}#assessment", 303)


def _answers_of_form() -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in questionnaire().questions:
        name = f"q-{question.id}"
        if question.kind is Kind.CHOICES:
            values = request.form.getlist(name)
            if values:
                answers[question.id] = values
            continue
        value = request.form.get(name, "").strip()
        if value:
            answers[question.id] = int(value) if question.kind is Kind.YEAR and value.isdigit() else value
    return answers


@bp.post("/journeys/<code>/promotions")
@requires(OPERATOR, session=True)
def request_promotion(code: str) -> Response | tuple[str, int]:
    tenant, form = _training(code), request.form
    try:
        named = ProductionIdentity(
            form.get("code", ""), form.get("party", ""), form.get("registry_id", ""), form.get("name", "")
        )
        identity = check_production_identity(platform(), named)
        people = checked_administrators(
            [{"username": form.get("admin_username", ""), "display_name": form.get("admin_name", "")}]
        )
        asked = service.PromotionRequest(identity, people, current_principal().subject)
        service.request_promotion(
            onboarding(platform()),
            tenant.id,
            asked,
            questionnaire(),
            defaults(),
            platform().clock.now(),
            validate_settings,
        )
    except (OnboardingError, TenantError) as error:
        return _page(tenant, 422, problem=str(error))
    flash(_("Promotion asked: a second operator reviews the settings and approves it."))
    return redirect(f"/operator/journeys/{code}#promotion", 303)


@bp.post("/journeys/<code>/promotions/<uuid:promotion_id>/approve")
@requires(OPERATOR, session=True)
def approve_promotion(code: str, promotion_id: UUID) -> Response | tuple[str, int]:
    tenant = _training(code)
    try:
        found, passwords = service.approve_promotion(
            onboarding(platform()),
            promotion_id,
            current_principal().subject,
            CatalogueProvisioner(platform()),
            platform().clock.now(),
        )
    except (OnboardingError, TenantError) as error:
        return _page(tenant, error.status if isinstance(error, OnboardingError) else 422, problem=str(error))
    return _page(tenant, production=found.identity.code, passwords=passwords)


PHASE_LABELS = {"training": _l("training"), "assessment": _l("assessment"), "deployed": _l("deployed")}
ROLE_LABELS = {
    "administrator": _l("administrator"),
    "authorizing_officer": _l("authorizing officer"),
    "approver": _l("approver"),
    "account_holder": _l("account holder"),
    "auditor": _l("auditor"),
}
FINDING_LABELS = {"covered": _l("covered"), "to_choose": _l("to choose"), "gap": _l("gap")}


@bp.context_processor
def _journey_labels() -> dict[str, Any]:
    return {
        "phase_label": lambda value: PHASE_LABELS.get(value, value),
        "role_label": lambda value: ROLE_LABELS.get(value, value),
        "finding_label": lambda value: FINDING_LABELS.get(value, value),
    }
