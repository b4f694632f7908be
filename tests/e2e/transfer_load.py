"""Clients that keep transferring units over HTTP, each request with an Idempotency-Key of its own, and that
retry with the same key after a connection error or a 5xx answer, as a careful API client does."""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

RETRY_PAUSE_S = 0.2
GIVE_UP_AFTER_S = 45


@dataclass(frozen=True)
class Answer:
    key: str
    quantity: int
    status: int
    body: Any
    at: float  # time.monotonic() when it arrived


@dataclass
class TransferLoad:
    """`clients` threads move units from `source` to the `destinations` in turn, until stopped."""

    realm: str
    token: str
    source: str
    destinations: list[str]
    clients: int = 4
    acknowledged: list[Answer] = field(default_factory=list)  # 2xx
    refused: list[Answer] = field(default_factory=list)  # 4xx other than 409: the request itself was wrong
    unanswered: list[str] = field(default_factory=list)  # keys still failing after GIVE_UP_AFTER_S
    retries: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        self._threads = [
            threading.Thread(target=self._client, args=(n,), name=f"client-{n}", daemon=True)
            for n in range(self.clients)
        ]
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """Stop sending new transfers; each client first sees its request in flight answered (or gives up)."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=GIVE_UP_AFTER_S + 15)

    def acknowledged_after(self, moment: float) -> list[Answer]:
        return [answer for answer in self.acknowledged if answer.at > moment]

    def _client(self, client: int) -> None:
        sent = 0
        while not self._stop.is_set():
            sent += 1
            key = f"load-{client}-{sent}"
            body = {
                "source_account_id": self.source,
                "destination_account_id": self.destinations[sent % len(self.destinations)],
                "quantity": 1 + sent % 7,
            }
            self._send_until_answered(key, body)

    def _send_until_answered(self, key: str, body: dict[str, Any]) -> None:
        deadline = time.monotonic() + GIVE_UP_AFTER_S
        while time.monotonic() < deadline:
            status, answer = _post(f"{self.realm}/transactions/domestic-transfers", body, self.token, key)
            if status is not None and status < 500 and status not in (409, 429):
                found = Answer(key, body["quantity"], status, answer, time.monotonic())
                with self._lock:
                    (self.acknowledged if status < 300 else self.refused).append(found)
                return
            with self._lock:
                self.retries += 1
            time.sleep(RETRY_PAUSE_S)
        with self._lock:
            self.unanswered.append(key)


def _post(url: str, body: Any, token: str, key: str) -> tuple[int | None, Any]:
    """The status and JSON body of one attempt; no status when the connection failed or timed out."""
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")  # noqa: S310
    for name, value in {"Content-Type": "application/json", "Authorization": f"Bearer {token}",
                        "Idempotency-Key": key}.items():  # fmt: skip
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback test server
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, _json_or_text(error.read())
    except (OSError, http.client.HTTPException):  # refused, reset, closed mid-answer, timed out
        return None, None


def _json_or_text(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")
