"""POSTs a signed delivery with requests: a short timeout, no redirects followed, and only the start of the
answer read (an endpoint cannot make the worker download a large body)."""

from __future__ import annotations

import time

import requests

from services.webhooks.domain.deliveries import EXCERPT_CHARS
from services.webhooks.service_layer.ports import Attempt

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 10.0
USER_AGENT = "carbon-registry-webhooks/1"


class RequestsTransport:
    def __init__(self, *, connect_timeout_s: float = CONNECT_TIMEOUT_S, read_timeout_s: float = READ_TIMEOUT_S) -> None:
        self.timeout = (connect_timeout_s, read_timeout_s)

    def post(self, url: str, headers: dict[str, str], body: str) -> Attempt:
        started = time.monotonic()
        try:
            with requests.post(
                url,
                data=body.encode(),
                headers=headers | {"user-agent": USER_AGENT},
                timeout=self.timeout,
                allow_redirects=False,
                stream=True,
            ) as response:
                start = response.raw.read(EXCERPT_CHARS * 4, decode_content=True) or b""
                return Attempt(response.status_code, _since(started), start.decode(errors="replace"))
        except requests.RequestException as error:
            return Attempt(None, _since(started), "", f"{type(error).__name__}: no answer from the endpoint")


def _since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
