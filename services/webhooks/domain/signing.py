"""Standard Webhooks signatures: `webhook-id`, `webhook-timestamp` and `webhook-signature` (v1, HMAC-SHA256
over `id.timestamp.body` with a `whsec_` secret). While a rotated-out secret is still honoured, each
attempt carries a signature with each secret, space-separated, as the specification allows."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from datetime import datetime

from standardwebhooks.webhooks import Webhook

SECRET_PREFIX = "whsec_"  # noqa: S105 - the prefix of every secret, not a secret
SECRET_BYTES = 32


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def signed_headers(signing_secrets: Sequence[str], message_id: str, at: datetime, body: str) -> dict[str, str]:
    signatures = [Webhook(secret).sign(message_id, at, body) for secret in signing_secrets]
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": " ".join(signatures),
    }
