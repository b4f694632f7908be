"""What the publisher sent the node and what it answered, for the peer report (no headers: the key stays out)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlparse

import pytest
import requests


@contextmanager
def recorded(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """Every write, and every refused read, that goes through `requests` while the block runs."""
    exchanges: list[dict[str, Any]] = []
    original = requests.Session.request

    def request(session: requests.Session, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:
        response = original(session, method, url, *args, **kwargs)
        if method != "GET" or response.status_code >= 400:
            exchanges.append(
                {
                    "request": f"{method} {urlparse(url).path}",
                    "body": kwargs.get("json"),
                    "status": response.status_code,
                    "answer": response.text[:2000],
                }
            )
        return response

    with monkeypatch.context() as patch:
        patch.setattr(requests.Session, "request", request)
        yield exchanges
