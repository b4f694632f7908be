"""A witness outside the platform, over the C2SP tlog-witness HTTP protocol."""

from __future__ import annotations

import requests

from services.transparency.domain.witness import Inconsistent, SizeConflict, UnknownLog, WitnessRefusal

TIMEOUT_S = 10


class HttpWitnessClient:
    def __init__(self, url: str, session: requests.Session | None = None) -> None:
        self.url = url.rstrip("/") + "/add-checkpoint"
        self.http = session or requests.Session()

    def add_checkpoint(self, request: str) -> str:
        try:
            answer = self.http.post(self.url, data=request.encode(), timeout=TIMEOUT_S)
        except requests.RequestException as error:
            raise WitnessRefusal(f"the witness at {self.url} did not answer: {error}") from None
        if answer.status_code == 200:
            return answer.text
        if answer.status_code == 409 and answer.text.strip().isdecimal():
            raise SizeConflict(int(answer.text.strip()))
        kind = {404: UnknownLog, 422: Inconsistent}.get(answer.status_code, WitnessRefusal)
        raise kind(f"the witness at {self.url} answered {answer.status_code}: {answer.text[:200]}")
