"""A tiny OIDC-style issuer for tests: serves its JWKS on 127.0.0.1 and signs tokens with joserfc."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from joserfc import jwt
from joserfc.jwk import RSAKey


class LocalIssuer:
    def __init__(self, base: str, key: RSAKey) -> None:
        self.base = base
        self.key = key
        self.jwks_url = f"{base}/jwks.json"

    def token(self, audience: str, **claims: Any) -> str:
        now = int(time.time())
        body = {"iss": self.base, "aud": audience, "sub": "ext-user-1", "iat": now, "exp": now + 300, **claims}
        return jwt.encode({"alg": "RS256", "kid": self.key.kid}, body, self.key)


@contextmanager
def running_issuer() -> Iterator[LocalIssuer]:
    key = RSAKey.generate_key(2048, parameters={"alg": "RS256", "use": "sig"}, private=True, auto_kid=True)
    document = json.dumps({"keys": [key.as_dict(private=False)]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, body = (200, document) if self.path == "/jwks.json" else (404, b"{}")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LocalIssuer(f"http://127.0.0.1:{server.server_address[1]}", key)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
