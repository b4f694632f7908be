"""The HTTP interface for registries that are not hosted here: signed messages in, signed acknowledgements out.

See docs/interregistry.md. A peer calls with a bearer token of the machine client this registry's
administrator gave it, and signs each message with the key the administrator pinned: the token admits
the caller, the signature proves which registry wrote the message.
"""

from __future__ import annotations

import re
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from gateway.auth.access import requires
from gateway.auth.principal import Role
from gateway.bootstrap import current_platform
from gateway.errors import Problem
from gateway.tenancy import current_tenant
from gateway.training.guards import refuse_for_training
from services.interregistry.bootstrap import Interregistry, hosted
from services.interregistry.domain.messages import InvalidMessage
from services.interregistry.service_layer.inbound import (
    BadSignature,
    Misrouted,
    NotCounterparty,
    TransferSettled,
    UnknownPeer,
    UnknownTransfer,
)

blp = Blueprint(
    "interregistry",
    __name__,
    url_prefix="/api/v1/registries/<string:registry>/interregistry",
    description="Messages with registries not hosted on this platform (signed, acknowledged)",
)

REGISTRY_ID = re.compile(r"^[A-Z]{3}\d{2}$")


def require_peer(peer_registry_id: str, own_registry_id: str) -> None:
    """A peer is another Party's registry, named by its registry id."""
    if REGISTRY_ID.fullmatch(peer_registry_id) is None or peer_registry_id == own_registry_id:
        raise Problem(422, "interregistry.peer_invalid", "name another Party's registry id, such as CHE01")


class JwksSchema(Schema):
    keys = fields.List(fields.Dict(), required=True, metadata={"description": "public JWKs (ES256)"})


class PeerKeySchema(Schema):
    jwk = fields.Dict(required=True, metadata={"description": "the peer registry's public P-256 JWK"})


class PinnedSchema(Schema):
    registry_id = fields.String(required=True)
    kid = fields.String(required=True, metadata={"description": "the `kid` the peer must put in its JWS header"})


class MessageSchema(Schema):
    message = fields.String(
        required=True,
        validate=validate.Length(min=10, max=1_000_000),
        metadata={"description": "compact JWS (ES256) whose payload is a CloudEvents 1.0 JSON record"},
    )


class ReceiptSchema(Schema):
    message_id = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "received, or duplicate for a resent message"})
    acknowledgement = fields.String(
        required=True, metadata={"description": "compact JWS of interregistry.message.acknowledged.v1"}
    )


def interregistry() -> Interregistry:
    found: Interregistry = current_platform().interregistry
    return found


@blp.route("/keys")
class Keys(MethodView):
    @blp.response(200, JwksSchema)
    @requires(public=True)
    def get(self) -> Any:
        """This registry's public signing key, for peer registries to pin"""
        tenant = current_tenant()
        with current_platform().database.transaction(tenant.id) as session:
            return {"keys": interregistry().signatures().published(session, tenant.id, tenant.registry_id)}


@blp.route("/peers/<string:peer_registry_id>")
class Peers(MethodView):
    @blp.arguments(PeerKeySchema)
    @blp.response(200, PinnedSchema)
    @requires(Role.REGISTRY_ADMIN, mfa="key_and_policy_changes")
    def put(self, body: dict[str, Any], peer_registry_id: str) -> Any:
        """Pin a peer registry's public key; messages signed with it are accepted from then on"""
        tenant = current_tenant()
        refuse_for_training(tenant, "pinning a peer registry outside the platform")
        require_peer(peer_registry_id, tenant.registry_id)
        try:
            with current_platform().database.transaction(tenant.id) as session:
                kid = interregistry().signatures().pin(session, tenant.id, peer_registry_id, body["jwk"])
        except BadSignature as error:
            raise Problem(422, "interregistry.key_invalid", str(error), field="jwk") from error
        return {"registry_id": peer_registry_id, "kid": kid}


@blp.route("/messages")
class Messages(MethodView):
    @blp.arguments(MessageSchema)
    @blp.response(202, ReceiptSchema)
    @requires()  # the peer's machine client of this registry; the JWS says which registry speaks
    def post(self, body: dict[str, Any]) -> Any:
        """Receive a peer registry's signed transfer request or answer; answers with a signed acknowledgement"""
        platform = current_platform()
        tenant = current_tenant()
        refuse_for_training(tenant, "receiving messages from registries outside the platform")
        inbound = interregistry().inbound()
        try:
            with platform.database.transaction(tenant.id) as session:
                receipt = inbound.receive(session, hosted(tenant), body["message"])
        except UnknownPeer as error:
            raise Problem(401, "interregistry.unknown_peer", str(error)) from error
        except BadSignature as error:
            raise Problem(401, "interregistry.bad_signature", f"{error}; nothing was recorded") from error
        except Misrouted as error:
            raise Problem(403, "interregistry.misrouted", f"{error}; nothing was recorded") from error
        except NotCounterparty as error:
            raise Problem(403, "interregistry.not_counterparty", f"{error}; nothing was recorded") from error
        except UnknownTransfer as error:
            raise Problem(404, "interregistry.transfer_not_found", f"{error}; nothing was recorded") from error
        except TransferSettled as error:
            raise Problem(409, "interregistry.transfer_settled", str(error)) from error
        except InvalidMessage as error:
            raise Problem(422, "interregistry.message_invalid", f"{error}; nothing was recorded") from error
        return {
            "message_id": str(receipt.message_id),
            "status": "duplicate" if receipt.duplicate else "received",
            "acknowledgement": receipt.acknowledgement,
        }
