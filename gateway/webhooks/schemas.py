"""Request and response bodies of the webhooks API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from gateway.inputs.fields import Integer
from services.webhooks.domain.deliveries import DeliveryStatus
from services.webhooks.domain.subscriptions import SubscriptionStatus

URL = validate.Length(min=8, max=500)
EVENT_TYPES = validate.Length(min=1, max=50)
ACCOUNTS = validate.Length(min=1, max=200)


class SubscriptionInSchema(Schema):
    url = fields.String(required=True, validate=URL, metadata={"description": "https:// endpoint on a public address"})
    event_types = fields.List(
        fields.String(validate=validate.Length(max=100)),
        required=True,
        validate=EVENT_TYPES,
        metadata={"description": "event types to receive (GET .../webhooks/event-types)"},
    )
    account_ids = fields.List(
        fields.UUID(),
        load_default=None,
        validate=ACCOUNTS,
        metadata={"description": "only events that name one of these accounts; required of an account holder"},
    )
    description = fields.String(load_default="", validate=validate.Length(max=200))


class SubscriptionPatchSchema(Schema):
    url = fields.String(validate=URL)
    event_types = fields.List(fields.String(validate=validate.Length(max=100)), validate=EVENT_TYPES)
    account_ids = fields.List(fields.UUID(), allow_none=True, validate=ACCOUNTS)
    description = fields.String(validate=validate.Length(max=200))
    status = fields.String(validate=validate.OneOf([s.value for s in SubscriptionStatus]))


class SubscriptionSchema(Schema):
    id = fields.UUID(required=True)
    url = fields.String(required=True)
    event_types = fields.List(fields.String(), required=True)
    account_ids = fields.List(fields.UUID(), allow_none=True, metadata={"description": "null: the whole registry"})
    organization_id = fields.UUID(allow_none=True, metadata={"description": "the account holder that owns it"})
    description = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "active or paused"})
    created_by = fields.String(required=True)
    created_at = fields.DateTime(required=True)


class SubscriptionListSchema(Schema):
    items = fields.List(fields.Nested(SubscriptionSchema), required=True)


class SecretSchema(Schema):
    secret = fields.String(
        required=True, metadata={"description": "whsec_... signing secret: shown this once, keep it safe"}
    )


class CreatedSubscriptionSchema(SubscriptionSchema, SecretSchema):
    pass


class RotatedSecretSchema(SecretSchema):
    previous_secret_valid_until = fields.DateTime(
        required=True, metadata={"description": "until then every attempt is signed with both secrets"}
    )


class DeliveryQuerySchema(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf([s.value for s in DeliveryStatus]))
    limit = Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class DeliverySchema(Schema):
    id = fields.UUID(required=True, metadata={"description": "the webhook-id header of every attempt and replay"})
    subscription_id = fields.UUID(required=True)
    event_id = fields.UUID(required=True)
    event_type = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "pending, delivered or failed"})
    attempts = Integer(required=True, metadata={"description": "attempts since it was made or last replayed"})
    next_attempt_at = fields.DateTime(allow_none=True)
    last_status_code = Integer(allow_none=True)
    last_error = fields.String(allow_none=True)
    created_at = fields.DateTime(required=True)
    delivered_at = fields.DateTime(allow_none=True)


class DeliveryListSchema(Schema):
    items = fields.List(fields.Nested(DeliverySchema), required=True)


class AttemptSchema(Schema):
    number = Integer(required=True)
    attempted_at = fields.DateTime(required=True)
    status_code = Integer(allow_none=True, metadata={"description": "null when no answer came (timeout, refused)"})
    duration_ms = Integer(required=True)
    response_excerpt = fields.String(required=True, metadata={"description": "the start of the endpoint's answer"})
    error = fields.String(allow_none=True)


class DeliveryDetailSchema(DeliverySchema):
    payload = fields.String(required=True, metadata={"description": "the exact body every attempt sends"})
    attempt_log = fields.List(fields.Nested(AttemptSchema), required=True)


class ReplaySinceSchema(Schema):
    since = fields.AwareDateTime(required=True, metadata={"description": "replay every delivery made since then"})


class ReplayedSchema(Schema):
    replayed = Integer(required=True)


class EventTypeSchema(Schema):
    type = fields.String(required=True)
    description = fields.String(required=True)


class EventTypeListSchema(Schema):
    items = fields.List(fields.Nested(EventTypeSchema), required=True)
