"""New signing keys for the key ring."""

from __future__ import annotations

from typing import Any

from joserfc.jwk import ECKey


class EcKeyFactory:
    """P-256 keys for ES256: small, quick to generate, supported by every JOSE library."""

    def generate(self) -> tuple[str, str, dict[str, Any], dict[str, Any]]:
        key = ECKey.generate_key("P-256", parameters={"alg": "ES256", "use": "sig"}, private=True, auto_kid=True)
        kid = str(key.kid)
        return kid, "ES256", dict(key.as_dict(private=False)), dict(key.as_dict(private=True))
