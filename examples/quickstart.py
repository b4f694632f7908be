"""Sign a demo person in over HTTP and print their access token (the README's quickstart uses it).

    python examples/quickstart.py sign-in REGISTRY USERNAME

It runs the code flow with PKCE through the registry's login form, as a browser would. A person without
a second factor is enrolled at the first sign-in (approvals and transfers abroad need one by default;
administrators are asked on the login form, others enrol over the API): the TOTP secret is kept in
var/quickstart/ so that later sign-ins send a one-time code.
REGISTRY_URL (default http://127.0.0.1:8000) names the platform; the password is var/demo-password's.
"""

from __future__ import annotations

import base64
import hashlib
import http.cookiejar
import json
import os
import re
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pyotp

BASE = os.environ.get("REGISTRY_URL", "http://127.0.0.1:8000").rstrip("/")
SECRETS = Path("var/quickstart")


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: Any, **_kwargs: Any) -> None:
        return None  # the redirect carries the code: read it instead of following it


def sign_in(registry: str, username: str, password: str) -> str:
    secret_file = SECRETS / f"{registry}-{username}.totp"
    otp = pyotp.TOTP(secret_file.read_text().strip()).now() if secret_file.exists() else ""
    token = _code_flow(f"{BASE}/api/v1/registries/{registry}", username, password, otp, secret_file)
    if otp or secret_file.exists():
        return token
    secret = _call("POST", f"{BASE}/api/v1/registries/{registry}/me/mfa", token)["secret"]
    earlier = pyotp.TOTP(secret).at(time.time() - 30)  # still accepted; leaves the current code to sign in with
    _call("POST", f"{BASE}/api/v1/registries/{registry}/me/mfa/confirm", token, {"code": earlier})
    _keep(secret_file, secret)
    return _code_flow(f"{BASE}/api/v1/registries/{registry}", username, password, pyotp.TOTP(secret).now(), secret_file)


def _keep(secret_file: Path, secret: str) -> None:
    SECRETS.mkdir(parents=True, exist_ok=True)
    secret_file.write_text(secret)
    secret_file.chmod(0o600)


def _code_flow(realm: str, username: str, password: str, otp: str, secret_file: Path) -> str:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _Stay())
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    callback = f"{realm}/oauth/callback"
    query = urllib.parse.urlencode(
        {"response_type": "code", "client_id": "registry-console", "redirect_uri": callback}
        | {"code_challenge": challenge, "code_challenge_method": "S256"}
    )
    form = opener.open(f"{realm}/oauth/authorize?{query}").read().decode()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
    fields = {"csrf_token": csrf.group(1) if csrf else "", "username": username, "password": password, "otp": otp}
    try:
        page = opener.open(f"{realm}/oauth/authorize?{query}", urllib.parse.urlencode(fields).encode()).read()
        offered = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.decode())
        if offered is None:
            sys.exit(f"{username} could not sign in to {realm}: check the password")
        _keep(secret_file, offered.group(1))  # an administrator is asked to enrol a second factor now
        enrol = {"csrf_token": fields["csrf_token"], "step": "enrol", "code": pyotp.TOTP(offered.group(1)).now()}
        opener.open(f"{realm}/oauth/authorize?{query}", urllib.parse.urlencode(enrol).encode())
        sys.exit(f"{username} could not enrol a second factor at {realm}")
    except urllib.error.HTTPError as redirect:
        if redirect.code != 302:
            sys.exit(f"{username} could not sign in to {realm}: {redirect.code}")
        code = urllib.parse.parse_qs(urllib.parse.urlsplit(redirect.headers["Location"]).query)["code"][0]
    exchange = {"grant_type": "authorization_code", "code": code, "redirect_uri": callback}
    exchange |= {"client_id": "registry-console", "code_verifier": verifier}
    answer = opener.open(f"{realm}/oauth/token", urllib.parse.urlencode(exchange).encode())
    token: str = json.loads(answer.read())["access_token"]
    return token


def _call(method: str, url: str, token: str | None = None, body: dict[str, str] | None = None) -> Any:
    headers = {"Content-Type": "application/json"} | ({"Authorization": f"Bearer {token}"} if token else {})
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(urllib.request.Request(url, data, headers, method=method)) as answer:  # noqa: S310
        raw = answer.read()
    return json.loads(raw) if raw else None


def main() -> None:
    if len(sys.argv) != 4 or sys.argv[1] != "sign-in":
        sys.exit(__doc__)
    password = os.environ.get("DEMO_PASSWORD") or Path("var/demo-password").read_text().strip()
    print(sign_in(sys.argv[2], sys.argv[3], password))


if __name__ == "__main__":
    main()
