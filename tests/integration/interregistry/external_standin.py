"""A registry that is not on the platform, for tests: it takes signed messages over HTTP as documented.

It checks the bearer token it issued (client credentials), verifies each message's JWS with the key it
pinned for the sender, applies a message once per CloudEvent id (the idempotency key; a repeat is
answered `duplicate`), and answers with an acknowledgement signed with its own key. Faults: `down`
answers 503, `slow_s` records the message and then answers late, `forge` signs the acknowledgement with
a key nobody pinned.

After it received a transfer request, `answer` writes its decision (accepted, or refused with a
reason) as the signed message it would send back, for the test to post to the transferring registry.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from flask import Flask, jsonify, request
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet

from tests.factories.wsgi import serving_app

CLIENT_ID, CLIENT_SECRET = "platform-registry", "s3cret-given-to-the-platform"


class ExternalRegistry:
    def __init__(self, registry_id: str, sender_keys: dict[str, Any]) -> None:
        self.registry_id = registry_id
        self.sender_keys = KeySet.import_key_set(sender_keys)
        self.key = ECKey.generate_key("P-256", private=True)
        self.kid = f"{registry_id}:{self.key.thumbprint()}"
        self.tokens: set[str] = set()
        self.applied: dict[str, dict[str, Any]] = {}  # CloudEvent id -> the message, once
        self.posts = 0
        self.down = False
        self.slow_s = 0.0
        self.forge = False
        self.lock = threading.Lock()
        self.app = self._build_app()

    @property
    def public_jwk(self) -> dict[str, Any]:
        return dict(self.key.as_dict(private=False))

    def _build_app(self) -> Flask:
        app = Flask(__name__)

        @app.post("/token")
        def token() -> Any:
            expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            if request.headers.get("Authorization") != f"Basic {expected}":
                return jsonify(error="invalid_client"), 401
            issued = uuid4().hex
            self.tokens.add(issued)
            return jsonify(access_token=issued, token_type="Bearer", expires_in=600)

        @app.post("/messages")
        def messages() -> Any:
            self.posts += 1
            if self.down:
                return jsonify(detail="maintenance"), 503
            if request.headers.get("Authorization", "").removeprefix("Bearer ") not in self.tokens:
                return jsonify(detail="unknown token"), 401
            try:
                verified = jws.deserialize_compact(request.get_json()["message"], self.sender_keys)
            except (JoseError, ValueError, KeyError):
                return jsonify(detail="bad signature"), 401
            message = json.loads(verified.payload)
            if request.headers.get("Idempotency-Key") != message["id"]:
                return jsonify(detail="Idempotency-Key must be the message id"), 422
            with self.lock:
                status = "duplicate" if message["id"] in self.applied else "received"
                self.applied.setdefault(message["id"], message)
            if self.slow_s:
                time.sleep(self.slow_s)
            return jsonify(message_id=message["id"], status=status, acknowledgement=self._ack(message, status)), 202

        return app

    def _ack(self, message: dict[str, Any], status: str) -> str:
        ack = {
            "specversion": "1.0",
            "id": uuid4().hex,
            "source": f"https://registry.example/{self.registry_id}",
            "type": "interregistry.message.acknowledged.v1",
            "time": datetime.now(UTC).isoformat(),
            "data": {"message_id": message["id"], "transfer_id": message["data"]["transfer_id"], "status": status},
        }
        return self._sign(ack)

    def answer(self, request: dict[str, Any], *, refuse: str | None = None, message_id: str | None = None) -> str:
        """The signed `accepted` (or, with a reason, `refused`) answer to a transfer request it received."""
        data = {name: request["data"][name] for name in ("transfer_id", "transaction_number")}
        data |= {"transferring_registry_id": request["data"]["transferring_registry_id"]}
        data |= {"acquiring_registry_id": self.registry_id}
        if refuse is None:
            kind = "interregistry.transfer.accepted.v1"
            data |= {"acquisition_transaction_id": str(uuid4()), "acquisition_transaction_number": "ACQ-1"}
            data |= {"account_number": f"{self.registry_id}-100-1"}
        else:
            kind, data = "interregistry.transfer.refused.v1", data | {"code": "refused_by_party", "reason": refuse}
        message = {
            "specversion": "1.0",
            "id": message_id or uuid4().hex,
            "source": f"https://registry.example/{self.registry_id}",
            "type": kind,
            "time": datetime.now(UTC).isoformat(),
            "data": data,
        }
        return self._sign(message)

    def _sign(self, event: dict[str, Any]) -> str:
        key = ECKey.generate_key("P-256", private=True) if self.forge else self.key
        return jws.serialize_compact({"alg": "ES256", "kid": self.kid}, json.dumps(event).encode(), key)


def serving(registry: ExternalRegistry) -> AbstractContextManager[str]:
    """Serve the registry on 127.0.0.1 in a thread; yields its base URL."""
    return serving_app(registry.app)
