"""Messages to a peer registry over HTTPS with requests: OAuth client credentials, an idempotency key.

The peer's endpoint is its interregistry root (`.../api/v1/registries/{registry}/interregistry` on a
registry built like this one); messages go to `{url}/messages` as `{"message": "<compact JWS>"}` with
the message id in `Idempotency-Key`. The client secret and tokens are never logged.
"""

from __future__ import annotations

import time
from typing import Any

import requests

from services.interregistry.service_layer.outbound import Endpoint, PeerUnavailable

TOKEN_MARGIN_S = 30


class RequestsTransport:
    def __init__(self, *, timeout_s: float = 10.0, session: requests.Session | None = None) -> None:
        self.timeout_s = timeout_s
        self.http = session or requests.Session()
        self._tokens: dict[str, tuple[str, float]] = {}

    def post(self, endpoint: Endpoint, message_id: str, compact: str) -> str:
        headers = {"Idempotency-Key": message_id} | self._authorization(endpoint)
        response = self._call(
            "POST", f"{endpoint.url.rstrip('/')}/messages", json={"message": compact}, headers=headers
        )
        if response.status_code == 401:
            self._tokens.pop(endpoint.registry_id, None)  # a fresh token on the next attempt
        if response.status_code not in (200, 201, 202):
            raise PeerUnavailable(f"{endpoint.registry_id} answered {response.status_code}: {_detail(response)}")
        acknowledgement = _json(response).get("acknowledgement")
        if not isinstance(acknowledgement, str):
            raise PeerUnavailable(f"{endpoint.registry_id} answered {response.status_code} without an acknowledgement")
        return acknowledgement

    def _authorization(self, endpoint: Endpoint) -> dict[str, str]:
        if not (endpoint.token_url and endpoint.client_id and endpoint.client_secret):
            return {}
        token, expires = self._tokens.get(endpoint.registry_id, ("", 0.0))
        if time.monotonic() >= expires:
            response = self._call(
                "POST",
                endpoint.token_url,
                data={"grant_type": "client_credentials"},
                auth=(endpoint.client_id, endpoint.client_secret),
            )
            body = _json(response)
            if response.status_code != 200 or not isinstance(body.get("access_token"), str):
                raise PeerUnavailable(f"{endpoint.registry_id}'s token endpoint answered {response.status_code}")
            token = body["access_token"]
            lifetime = float(body.get("expires_in", 300))
            self._tokens[endpoint.registry_id] = (token, time.monotonic() + max(0.0, lifetime - TOKEN_MARGIN_S))
        return {"Authorization": f"Bearer {token}"}

    def _call(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        try:
            return self.http.request(method, url, timeout=self.timeout_s, **kwargs)
        except requests.RequestException as error:
            raise PeerUnavailable(f"{method} {url}: {type(error).__name__}") from None


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _detail(response: requests.Response) -> str:
    body = _json(response)
    return str(body.get("detail") or body.get("message") or response.reason)[:300]
