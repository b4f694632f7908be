"""RFC 6238 one-time codes, via pyotp."""

from __future__ import annotations

from datetime import datetime

import pyotp


class PyOtpTotp:
    def new_secret(self) -> str:
        return pyotp.random_base32()

    def verify(self, secret: str, code: str, now: datetime) -> bool:
        # One step of drift either way tolerates a phone clock that is a little off.
        return pyotp.TOTP(secret).verify(code.strip(), for_time=now, valid_window=1)

    def provisioning_uri(self, secret: str, account: str, issuer: str) -> str:
        return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)

    @staticmethod
    def code_at(secret: str, now: datetime) -> str:
        return pyotp.TOTP(secret).at(now)
