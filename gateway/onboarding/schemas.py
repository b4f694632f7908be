"""What the onboarding API answers, as its OpenAPI document describes it (the shapes of `views`)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.onboarding.domain.journey import Phase
from services.onboarding.domain.promotion import PromotionStatus
from services.onboarding.domain.questionnaire import Finding
from services.onboarding.domain.scripts import ScriptRole

ANY = "any JSON value: a text, a number, a list of texts..."


class StepSchema(Schema):
    id = fields.String(required=True)
    function = fields.String(required=True, metadata={"description": "the registry function the step exercises"})
    page = fields.String(required=True, metadata={"description": "the console page to open, relative to the console"})
    title = fields.String(required=True)
    instructions = fields.String(required=True)
    expected_event = fields.String(required=True, metadata={"description": "the event that ticks the step"})
    done = fields.Boolean(required=True, metadata={"description": "its event happened since the journey began"})


class ChecklistSchema(Schema):
    role = fields.String(required=True, validate=validate.OneOf([r.value for r in ScriptRole]))
    title = fields.String(required=True)
    done = fields.Integer(required=True)
    total = fields.Integer(required=True)
    current_step = fields.String(required=True, allow_none=True, metadata={"description": "null: every step done"})
    steps = fields.List(fields.Nested(StepSchema), required=True)


class ChecklistListSchema(Schema):
    items = fields.List(fields.Nested(ChecklistSchema), required=True)


class FeedbackSchema(Schema):
    id = fields.UUID(required=True)
    page = fields.String(required=True)
    step_id = fields.String(required=True, allow_none=True)
    function = fields.String(required=True, metadata={"description": "the step's function, or general"})
    text = fields.String(required=True)
    author = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    resolved_at = fields.DateTime(required=True, allow_none=True)
    open = fields.Boolean(required=True, metadata={"description": "not yet dealt with"})


class FeedbackListSchema(Schema):
    items = fields.List(fields.Nested(FeedbackSchema), required=True)


class ProgressSchema(Schema):
    done = fields.Integer(required=True)
    total = fields.Integer(required=True)


class JourneySchema(Schema):
    code = fields.String(required=True)
    party = fields.String(required=True)
    name = fields.String(required=True)
    phase = fields.String(required=True, validate=validate.OneOf([p.value for p in Phase]))
    days_in_phase = fields.Integer(required=True)
    progress = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(ProgressSchema),
        required=True,
        metadata={"description": "script steps done per role"},
    )
    open_feedback = fields.Integer(required=True)


class JourneyListSchema(Schema):
    items = fields.List(fields.Nested(JourneySchema), required=True)


class OptionSchema(Schema):
    value = fields.String(required=True)
    label = fields.String(required=True)


class QuestionSchema(Schema):
    id = fields.String(required=True)
    topic = fields.String(required=True)
    kind = fields.String(required=True)
    text = fields.String(required=True)
    options = fields.List(fields.Nested(OptionSchema), required=True)
    answer = fields.Raw(required=True, metadata={"description": f"null when unanswered; {ANY}"})


class GapLineSchema(Schema):
    question = fields.String(required=True)
    topic = fields.String(required=True)
    text = fields.String(required=True)
    answer = fields.Raw(required=True, metadata={"description": f"one chosen option, or null; {ANY}"})
    finding = fields.String(required=True, validate=validate.OneOf([f.value for f in Finding]))
    setting = fields.String(required=True, allow_none=True, metadata={"description": "the setting that covers it"})
    note = fields.String(required=True)


class AssessmentSchema(Schema):
    version = fields.Integer(required=True, metadata={"description": "the questionnaire's version"})
    questions = fields.List(fields.Nested(QuestionSchema), required=True)
    gap_report = fields.List(fields.Nested(GapLineSchema), required=True)


class IdentitySchema(Schema):
    code = fields.String(required=True)
    party = fields.String(required=True)
    registry_id = fields.String(required=True)
    name = fields.String(required=True)


class PromotedAdministratorSchema(Schema):
    username = fields.String(required=True)
    display_name = fields.String(required=True)


class SettingChangeSchema(Schema):
    name = fields.String(required=True)
    training = fields.Raw(required=True, metadata={"description": f"the training registry's value; {ANY}"})
    production = fields.Raw(required=True, metadata={"description": f"the production registry's value; {ANY}"})


class PromotionSchema(Schema):
    id = fields.UUID(required=True)
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in PromotionStatus]))
    identity = fields.Nested(IdentitySchema, required=True, metadata={"description": "the production registry's"})
    administrators = fields.List(fields.Nested(PromotedAdministratorSchema), required=True)
    settings = fields.Dict(
        keys=fields.String(), required=True, metadata={"description": "the production registry's settings"}
    )
    diff = fields.List(
        fields.Nested(SettingChangeSchema),
        required=True,
        metadata={"description": "each setting whose production value differs from the training registry's"},
    )
    requested_by = fields.String(required=True)
    requested_at = fields.DateTime(required=True)
    decided_by = fields.String(required=True, allow_none=True)
    decided_at = fields.DateTime(required=True, allow_none=True)
    production_tenant_id = fields.UUID(required=True, allow_none=True)


class PromotionListSchema(Schema):
    items = fields.List(fields.Nested(PromotionSchema), required=True)


class ProductionSchema(Schema):
    id = fields.UUID(required=True)
    code = fields.String(required=True)
    kind = fields.String(required=True)


class ApprovedPromotionSchema(Schema):
    promotion = fields.Nested(PromotionSchema, required=True)
    production = fields.Nested(ProductionSchema, required=True)
    one_time_passwords = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata={"description": "per administrator: shown this once, to hand over through a safe channel"},
    )


CSV = {"type": "string", "description": "format=csv"}
XLSX_FILE = {"type": "string", "format": "binary", "description": "format=xlsx"}
