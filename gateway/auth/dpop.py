"""DPoP (RFC 9449): an access token bound to the client's key, and the proof of possession each request sends.

A proof is a JWT of type dpop+jwt, signed by the private key whose public half is in its header. It names
the request (htm, htu), is fresh (iat), works once (jti) and, at a resource, carries the hash of the access
token it accompanies (ath). Its key's RFC 7638 thumbprint is what a bound token's `cnf.jkt` names.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import request
from joserfc import jws, jwt
from joserfc.errors import JoseError, SecurityWarning
from joserfc.jwk import import_key

from gateway.auth.assertions import ASYMMETRIC_ALGORITHMS
from gateway.auth.errors import HeaderProblem
from gateway.auth.principal import Principal
from gateway.auth.realm import identity, public_base
from services.identity.domain.clients import ASYMMETRIC_TYPES, KEY_METHOD, PRIVATE_MEMBERS
from services.identity.service_layer import grants

HEADER = "DPoP"
PROOF_TYPE = "dpop+jwt"
MAX_AGE_SECONDS = 60  # how old a proof's iat may be
FUTURE_SKEW_SECONDS = 5  # how far ahead of our clock a client's may run


class InvalidProof(Exception):
    """The DPoP proof is missing or wrong; the message says what to fix."""


@dataclass(frozen=True)
class CheckedProof:
    thumbprint: str
    jti: str


def access_token_hash(token: str) -> str:
    digest = hashlib.sha256(token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def check_proof(proof: str | None, method: str, url: str, access_token: str | None = None) -> CheckedProof:
    """The proof's key thumbprint, once it is shown to be a fresh proof for this request, never seen before."""
    if not proof:
        raise InvalidProof(f"send a DPoP proof in the {HEADER} header")
    claims, key = _decode(proof)
    now = int(identity().clock.now().timestamp())
    _check_claims(claims, method, url, now)
    if access_token is not None and claims.get("ath") != access_token_hash(access_token):
        raise InvalidProof("the DPoP proof's ath must be the base64url SHA-256 of the access token it comes with")
    thumbprint = key.thumbprint()
    expires = datetime.fromtimestamp(int(claims["iat"]) + MAX_AGE_SECONDS + FUTURE_SKEW_SECONDS, UTC)
    if not grants.spend_proof("dpop", thumbprint, str(claims["jti"]), expires, identity().uow(None)):
        raise InvalidProof("the DPoP proof was used before (jti): make a new proof for each request")
    return CheckedProof(thumbprint, str(claims["jti"]))


def _decode(proof: str) -> tuple[dict[str, Any], Any]:
    try:
        header = dict(jws.extract_compact(proof.encode()).headers())
    except (JoseError, ValueError, UnicodeError):
        raise InvalidProof("the DPoP proof is not a JWT") from None
    if header.get("typ") != PROOF_TYPE or header.get("alg") not in ASYMMETRIC_ALGORITHMS:
        raise InvalidProof(f"the DPoP proof needs typ {PROOF_TYPE} and an asymmetric alg such as ES256")
    public = header.get("jwk")
    if not isinstance(public, dict) or public.get("kty") not in ASYMMETRIC_TYPES or PRIVATE_MEMBERS & public.keys():
        raise InvalidProof(
            "the DPoP proof's header must carry the public key (jwk) that signed it, and no private part"
        )
    try:
        key = import_key(public)
        claims = jwt.decode(proof, key, algorithms=[header["alg"]]).claims
    except (JoseError, SecurityWarning, ValueError, TypeError, KeyError, AttributeError, IndexError):
        raise InvalidProof("the DPoP proof's signature does not verify with the key in its header") from None
    return dict(claims), key


def _check_claims(claims: dict[str, Any], method: str, url: str, now: int) -> None:
    if not isinstance(claims.get("jti"), str) or not claims["jti"]:
        raise InvalidProof("the DPoP proof needs a unique jti")
    if claims.get("htm") != method:
        raise InvalidProof(f"the DPoP proof's htm must be the request's method, {method}")
    if not isinstance(claims.get("htu"), str) or _without_query(claims["htu"]) != _without_query(url):
        raise InvalidProof(f"the DPoP proof's htu must be the request's URL without query, {_without_query(url)}")
    issued = claims.get("iat")
    if not isinstance(issued, int) or not now - MAX_AGE_SECONDS <= issued <= now + FUTURE_SKEW_SECONDS:
        raise InvalidProof(f"the DPoP proof's iat must be the time it was made, at most {MAX_AGE_SECONDS} s ago")


def _without_query(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, "", ""))


def request_url() -> str:
    return f"{public_base()}{request.path}"


def refused(code: str, detail: str) -> HeaderProblem:
    error = "invalid_dpop_proof" if code == "auth.dpop_proof_invalid" else "invalid_token"
    challenge = f'DPoP error="{error}", algs="{" ".join(ASYMMETRIC_ALGORITHMS)}"'
    return HeaderProblem(401, code, detail, {"WWW-Authenticate": challenge})


def bind(principal: Principal, scheme: str, token: str) -> Principal:
    """The principal once a bound token came with a valid proof of its key; an unbound one as it is."""
    if principal.dpop_jkt is None:
        if scheme == "dpop":
            raise refused("auth.token_not_bound", "this token is not bound to a key: send it as 'Bearer <token>'")
        return principal
    if scheme != "dpop":
        raise refused(
            "auth.dpop_required",
            "this token is bound to a key (DPoP): send 'Authorization: DPoP <token>' and a DPoP proof header",
        )
    try:
        proof = check_proof(request.headers.get(HEADER), request.method, request_url(), access_token=token)
    except InvalidProof as error:
        raise refused("auth.dpop_proof_invalid", str(error)) from None
    if proof.thumbprint != principal.dpop_jkt:
        raise refused("auth.dpop_key_mismatch", "the DPoP proof is signed by another key than the token is bound to")
    # A client that signed in with its own key and proves it on every request is strongly authenticated.
    return replace(principal, mfa_verified=principal.client_auth == KEY_METHOD)
