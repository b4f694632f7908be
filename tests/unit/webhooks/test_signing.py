"""Deliveries are signed as the Standard Webhooks specification says: the reference verifier accepts them,
and refuses them when anything signed is changed."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from services.webhooks.domain.signing import new_secret, signed_headers

BODY = '{"data":{"account_id":"0190"},"type":"ledger.account.opened.v1"}'


def now() -> datetime:
    return datetime.now(UTC)


def test_a_signed_delivery_verifies_with_the_reference_verifier() -> None:
    secret = new_secret()

    headers = signed_headers([secret], "msg_1", now(), BODY)

    assert Webhook(secret).verify(BODY, headers) == {"data": {"account_id": "0190"}, "type": "ledger.account.opened.v1"}
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32


def test_the_signature_is_hmac_sha256_over_id_timestamp_and_body() -> None:
    secret, at = new_secret(), now()

    headers = signed_headers([secret], "msg_2", at, BODY)

    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = hmac.new(key, f"msg_2.{int(at.timestamp())}.{BODY}".encode(), hashlib.sha256).digest()
    assert headers["webhook-signature"] == "v1," + base64.b64encode(expected).decode()
    assert (headers["webhook-id"], headers["webhook-timestamp"]) == ("msg_2", str(int(at.timestamp())))


@pytest.mark.parametrize(
    ("part", "tampered"),
    [
        ("body", lambda h, b: (h, b.replace("0190", "0191"))),
        ("id", lambda h, b: (h | {"webhook-id": "msg_other"}, b)),
        ("timestamp", lambda h, b: (h | {"webhook-timestamp": str(int(h["webhook-timestamp"]) + 1)}, b)),
    ],
)
def test_a_tampered_delivery_fails_verification(part: str, tampered: object) -> None:
    secret = new_secret()
    headers, body = tampered(signed_headers([secret], "msg_3", now(), BODY), BODY)  # type: ignore[operator]

    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body, headers)


def test_another_secret_or_a_stale_timestamp_fails_verification() -> None:
    headers = signed_headers([new_secret()], "msg_4", now(), BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(BODY, headers)

    secret = new_secret()
    stale = signed_headers([secret], "msg_4", now() - timedelta(minutes=10), BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY, stale)


def test_during_a_rotation_both_secrets_verify() -> None:
    new, old = new_secret(), new_secret()

    headers = signed_headers([new, old], "msg_5", now(), BODY)

    assert len(headers["webhook-signature"].split(" ")) == 2
    for secret in (new, old):
        Webhook(secret).verify(BODY, headers)
