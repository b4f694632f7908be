"""Outbound delivery to registries not hosted here: each peer's endpoint, and the status of every message."""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from gateway.auth.access import requires
from gateway.auth.principal import Role
from gateway.bootstrap import current_platform
from gateway.errors import Problem
from gateway.inputs.fields import Integer
from gateway.interregistry.api import blp, interregistry, require_peer
from gateway.tenancy import current_tenant
from gateway.training.guards import refuse_for_training
from services.interregistry.domain.outbound import OutboundStatus
from services.interregistry.service_layer.outbound import Endpoint

URL = validate.Length(min=8, max=500)


class EndpointSchema(Schema):
    url = fields.String(
        required=True, validate=URL, metadata={"description": "the peer's interregistry root; messages go to /messages"}
    )
    token_url = fields.String(load_default=None, validate=URL, metadata={"description": "OAuth token endpoint"})
    client_id = fields.String(load_default=None, validate=validate.Length(min=1, max=200))
    client_secret = fields.String(
        load_default=None,
        load_only=True,
        validate=validate.Length(min=1, max=500),
        metadata={"description": "kept encrypted"},
    )


class EndpointOutSchema(Schema):
    registry_id = fields.String(required=True)
    url = fields.String(required=True)
    token_url = fields.String(allow_none=True)
    client_id = fields.String(allow_none=True)


class OutboundQuerySchema(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf([s.value for s in OutboundStatus]))
    limit = Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class OutboundMessageSchema(Schema):
    id = fields.UUID(required=True, metadata={"description": "message id, sent as the idempotency key"})
    peer_registry_id = fields.String(required=True)
    message_type = fields.String(required=True)
    transfer_id = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "pending, delivered or dead"})
    attempts = Integer(required=True)
    next_attempt_at = fields.DateTime(allow_none=True)
    last_error = fields.String(allow_none=True)
    created_at = fields.DateTime(required=True)
    delivered_at = fields.DateTime(allow_none=True)
    ack_status = fields.String(allow_none=True, metadata={"description": "received or duplicate, from the peer"})
    acknowledgement = fields.String(allow_none=True, metadata={"description": "the peer's signed acknowledgement"})


class OutboundListSchema(Schema):
    items = fields.List(fields.Nested(OutboundMessageSchema), required=True)


def check_url(value: str | None, field: str) -> None:
    if value is None:
        return
    parts = urlsplit(value)
    host = parts.hostname or ""
    loopback = host == "localhost" or (_is_ip(host) and ipaddress.ip_address(host).is_loopback)
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise Problem(422, "interregistry.endpoint_invalid", "use an https:// URL (http only on loopback)", field=field)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@blp.route("/peers/<string:peer_registry_id>/endpoint")
class PeerEndpoint(MethodView):
    @blp.arguments(EndpointSchema)
    @blp.response(200, EndpointOutSchema)
    @requires(Role.REGISTRY_ADMIN, mfa="key_and_policy_changes")
    def put(self, body: dict[str, Any], peer_registry_id: str) -> Any:
        """Set where messages to a peer registry go, and the client credentials the peer gave this registry"""
        tenant = current_tenant()
        refuse_for_training(tenant, "sending to registries outside the platform")
        require_peer(peer_registry_id, tenant.registry_id)
        check_url(body["url"], "url")
        check_url(body["token_url"], "token_url")
        if bool(body["token_url"]) != bool(body["client_id"] and body["client_secret"]):
            raise Problem(
                422, "interregistry.endpoint_invalid", "give token_url, client_id and client_secret together, or none"
            )
        endpoint = Endpoint(peer_registry_id, body["url"], body["token_url"], body["client_id"], body["client_secret"])
        with current_platform().database.transaction(tenant.id) as session:
            interregistry().endpoints().configure(session, tenant.id, endpoint)
        return {"registry_id": peer_registry_id} | {k: body[k] for k in ("url", "token_url", "client_id")}


@blp.route("/outbound")
class OutboundMessages(MethodView):
    @blp.arguments(OutboundQuerySchema, location="query")
    @blp.response(200, OutboundListSchema)
    @requires(Role.REGISTRY_ADMIN, Role.AUDITOR)
    def get(self, query: dict[str, Any]) -> Any:
        """Messages to registries not hosted here, newest first, with their delivery status"""
        tenant = current_tenant()
        with current_platform().database.transaction(tenant.id) as session:
            return {"items": interregistry().outbound().listing(session, tenant.id, query["status"], query["limit"])}


@blp.route("/outbound/<uuid:message_id>")
class OutboundMessage(MethodView):
    @blp.response(200, OutboundMessageSchema)
    @requires(Role.REGISTRY_ADMIN, Role.AUDITOR)
    def get(self, message_id: UUID) -> Any:
        """One message to a peer registry: attempts, last error, next attempt, the peer's acknowledgement"""
        tenant = current_tenant()
        with current_platform().database.transaction(tenant.id) as session:
            row = interregistry().outbound().one(session, tenant.id, message_id)
        if row is None:
            raise Problem(404, "interregistry.message_not_found", "no such outbound message in this registry")
        return row


@blp.route("/outbound/<uuid:message_id>/retry")
class RetryOutboundMessage(MethodView):
    @blp.response(200, OutboundMessageSchema)
    @requires(Role.REGISTRY_ADMIN)
    def post(self, message_id: UUID) -> Any:
        """Send a dead message again, with a fresh count of attempts"""
        tenant = current_tenant()
        with current_platform().database.transaction(tenant.id) as session:
            retried = interregistry().outbound().retry(session, tenant.id, message_id)
            row = interregistry().outbound().one(session, tenant.id, message_id)
        if row is None:
            raise Problem(404, "interregistry.message_not_found", "no such outbound message in this registry")
        if not retried:
            raise Problem(409, "interregistry.not_dead", f"the message is {row['status']}: only a dead one is retried")
        return row
