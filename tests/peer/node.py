"""A real CAD Trust v1 node, read over HTTP for the peer suite: its records and whether its commits landed."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

ORGANIZATION_WAIT_S = 90.0  # CADT blocks 30 s while it creates the home organization


@dataclass
class PeerNode:
    url: str
    api_key: str
    http: requests.Session = field(default_factory=requests.Session)

    def __post_init__(self) -> None:
        self.url = self.url.rstrip("/")
        self.http.headers["x-api-key"] = self.api_key

    def get(self, path: str, **params: Any) -> Any:
        response = self.http.get(f"{self.url}{path}", params=params, timeout=30)
        response.raise_for_status()
        return response.json()

    def ensure_organization(self) -> None:
        if not self.get("/v1/organizations"):
            body = {"name": "Carbon registry peer suite", "icon": "https://registry.example/icon.svg"}
            self.http.post(f"{self.url}/v1/organizations", json=body, timeout=ORGANIZATION_WAIT_S).raise_for_status()

    def settled(self) -> bool:
        """No commit pending and nothing staged: what was committed has landed."""
        return bool(self.get("/v1/staging/hasPendingTransactions").get("confirmed")) and not self.get("/v1/staging")

    def projects(self) -> list[dict[str, Any]]:
        return self._pages("/v1/projects")

    def units(self) -> list[dict[str, Any]]:
        return self._pages("/v1/units")

    def issuances(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.get("/v1/issuances")
        return rows

    def _pages(self, path: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        page = 1
        while True:
            body = self.get(path, page=page, limit=1000)
            rows += body["data"]
            if page >= int(body["pageCount"]):
                return rows
            page += 1


def poll(done: Callable[[], bool], timeout_s: float, interval_s: float = 1.0) -> bool:
    """Ask `done` until it holds or `timeout_s` has passed; the node lands commits on a 10 s tick."""
    deadline = time.monotonic() + timeout_s
    while True:
        if done():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval_s)
