"""Rate limits: token buckets per client and per registry, kept in this process's memory.

Each gunicorn worker keeps its own buckets, so the effective limit is the configured one times the
number of workers; put a shared limiter in front of the platform when that matters.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from flask import Flask, current_app, request

from gateway.auth.errors import rate_limited
from gateway.auth.principal import Principal
from gateway.auth.realm import path_tenant

DEFAULT_PER_CLIENT_PER_MINUTE = 1200
DEFAULT_PER_TENANT_PER_MINUTE = 12000


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._lock = threading.Lock()
        self._buckets: dict[str, _Bucket] = {}

    def take(self, key: str) -> int:
        """0 when allowed, else the seconds to wait."""
        now = time.monotonic()
        with self._lock:
            bucket = self._buckets.setdefault(key, _Bucket(self.capacity, now))
            bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0
            return max(1, math.ceil((1 - bucket.tokens) / self.rate))


class Limiter:
    def __init__(self, per_client: int, per_tenant: int) -> None:
        self.clients = TokenBuckets(per_client)
        self.tenants = TokenBuckets(per_tenant)


def client_key(principal: Principal | None) -> str:
    if principal is None:
        return f"address:{request.remote_addr}"
    if principal.is_user:  # many people share the browser client; each gets their own bucket
        return f"{principal.client_id}:{principal.subject}"
    return principal.client_id


def install(app: Flask) -> None:
    app.config.setdefault("RATE_LIMIT_PER_CLIENT_PER_MINUTE", DEFAULT_PER_CLIENT_PER_MINUTE)
    app.config.setdefault("RATE_LIMIT_PER_TENANT_PER_MINUTE", DEFAULT_PER_TENANT_PER_MINUTE)


def _limiter() -> Limiter:
    # Built on first use, so a test may change the limits after create_app and before any request.
    limiter: Limiter | None = current_app.extensions.get("auth.limiter")
    if limiter is None:
        config = current_app.config
        limiter = Limiter(config["RATE_LIMIT_PER_CLIENT_PER_MINUTE"], config["RATE_LIMIT_PER_TENANT_PER_MINUTE"])
        current_app.extensions["auth.limiter"] = limiter
    return limiter


def charge(principal: Principal | None, client: str | None = None) -> None:
    limiter = _limiter()
    wait = limiter.clients.take(client or client_key(principal))
    if wait:
        raise rate_limited(wait, "client")
    tenant = path_tenant()
    if tenant is not None:
        wait = limiter.tenants.take(str(tenant.id))
        if wait:
            raise rate_limited(wait, "registry")
