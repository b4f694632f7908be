"""RFC 6238 one-time codes, via pyotp."""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta

import pyotp


class PyOtpTotp:
    def new_secret(self) -> str:
        return pyotp.random_base32()

    def accepted_step(self, secret: str, code: str, now: datetime) -> int | None:
        """The time step (RFC 6238 counter) whose code `code` is, or None when it matches none near `now`."""
        totp = pyotp.TOTP(secret)
        # One step of drift either way tolerates a phone clock that is a little off.
        for drift in (0, -1, 1):
            moment = now + timedelta(seconds=drift * totp.interval)
            if hmac.compare_digest(totp.at(moment), code.strip()):
                return totp.timecode(moment)
        return None

    def provisioning_uri(self, secret: str, account: str, issuer: str) -> str:
        return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)

    @staticmethod
    def code_at(secret: str, now: datetime) -> str:
        return pyotp.TOTP(secret).at(now)
