"""Witness cosignatures (C2SP tlog-cosignature, cosignature/v1) and the witness's rule (C2SP tlog-witness).

A cosignature line is an em dash, the witness's name and base64 of: the 4-byte key id (SHA-256 of the name,
a newline, 0x04 and the public key), the 8-byte big-endian Unix time and the Ed25519 signature of
"cosignature/v1\\ntime <time>\\n" followed by the checkpoint body. A witness cosigns a checkpoint only if it
is consistent with the last one of that log it cosigned: a log cannot show two histories to two people.
"""

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from services.transparency.domain.notes import SIGNATURE_PREFIX, Checkpoint, InvalidNote
from services.transparency.domain.proofs import InvalidProof, verify_consistency

COSIGNATURE_V1 = b"\x04"


class WitnessRefusal(Exception):
    """Why a witness did not cosign; `status` is the tlog-witness HTTP status."""

    status = 400


class UnknownLog(WitnessRefusal):
    status = 404


class BadLogSignature(WitnessRefusal):
    status = 403


class SizeConflict(WitnessRefusal):
    """The request's old size is not the last size the witness cosigned; it answers with its own."""

    status = 409

    def __init__(self, witness_size: int) -> None:
        super().__init__(f"the witness last cosigned size {witness_size}")
        self.witness_size = witness_size


class Inconsistent(WitnessRefusal):
    status = 422


@dataclass(frozen=True)
class Witnessed:
    """What a witness remembers of a log: the last checkpoint it cosigned (size 0: none yet)."""

    size: int
    root: bytes | None


def cosignature_key_id(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + COSIGNATURE_V1 + public_key).digest()[:4]


def witness_verifier_key(name: str, public_key: bytes) -> str:
    return (
        f"{name}+{cosignature_key_id(name, public_key).hex()}+{base64.b64encode(COSIGNATURE_V1 + public_key).decode()}"
    )


def parse_witness_key(vkey: str) -> tuple[str, bytes]:
    try:
        name, hex_id, encoded = vkey.strip().split("+", 2)
        raw = base64.b64decode(encoded, validate=True)
    except (ValueError, binascii.Error):
        raise InvalidNote("a witness key is name+keyid+base64 key") from None
    if raw[:1] != COSIGNATURE_V1 or len(raw) != 33 or cosignature_key_id(name, raw[1:]).hex() != hex_id:
        raise InvalidNote("the witness key is not a cosignature/v1 Ed25519 key matching its id")
    return name, raw[1:]


def _message(body: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n{body}".encode()


def cosign(checkpoint: Checkpoint, name: str, private_key: Ed25519PrivateKey, timestamp: int) -> str:
    public = private_key.public_key().public_bytes_raw()
    signature = private_key.sign(_message(checkpoint.body(), timestamp))
    raw = cosignature_key_id(name, public) + timestamp.to_bytes(8, "big") + signature
    return f"{SIGNATURE_PREFIX}{name} {base64.b64encode(raw).decode()}\n"


def verify_cosignature(note: str, name: str, public_key: bytes) -> int:
    """The time of the named witness's valid cosignature on the note's body."""
    body, _, signatures = note.partition("\n\n")
    body += "\n"
    wanted = cosignature_key_id(name, public_key)
    for line in signatures.splitlines():
        signer, _, encoded = line.removeprefix(SIGNATURE_PREFIX).rpartition(" ")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            continue
        if signer != name or raw[:4] != wanted or len(raw) != 76:
            continue
        timestamp = int.from_bytes(raw[4:12], "big")
        try:
            Ed25519PublicKey.from_public_bytes(public_key).verify(raw[12:], _message(body, timestamp))
        except InvalidSignature:
            raise InvalidNote(f"the cosignature of {name} does not match the checkpoint") from None
        return timestamp
    raise InvalidNote(f"the checkpoint carries no cosignature of {name}")


def check_consistent(last: Witnessed, old_size: int, proof: list[bytes], checkpoint: Checkpoint) -> None:
    """The witness's rule: the request starts from the last size it cosigned and proves the new tree extends it."""
    if old_size != last.size:
        raise SizeConflict(last.size)
    if checkpoint.size < old_size:
        raise WitnessRefusal(f"the checkpoint's size {checkpoint.size} is below the old size {old_size}")
    if old_size == 0:
        if proof:
            raise WitnessRefusal("a first checkpoint comes with no consistency proof")
        return
    last_root = last.root or b""
    if checkpoint.size == old_size:
        if proof or checkpoint.root != last_root:
            raise Inconsistent("a checkpoint of the same size with another root: the log forked")
        return
    try:
        verify_consistency(old_size, checkpoint.size, proof, last_root, checkpoint.root)
    except InvalidProof as error:
        raise Inconsistent(f"the tree of size {checkpoint.size} does not extend the one cosigned: {error}") from None


def request_text(old_size: int, proof: list[bytes], note: str) -> str:
    """The body of a tlog-witness add-checkpoint request."""
    lines = [f"old {old_size}", *(base64.b64encode(h).decode() for h in proof)]
    return "\n".join(lines) + "\n\n" + note


def parse_request(text: str) -> tuple[int, list[bytes], str]:
    head, separator, note = text.partition("\n\n")
    lines = head.split("\n")
    if not separator or not lines[0].startswith("old ") or not lines[0][4:].isdecimal():
        raise WitnessRefusal("an add-checkpoint request starts with 'old <size>', proof lines and a blank line")
    try:
        proof = [base64.b64decode(line, validate=True) for line in lines[1:]]
    except binascii.Error:
        raise WitnessRefusal("a consistency proof line is not base64") from None
    if any(len(h) != 32 for h in proof) or len(proof) > 63:
        raise WitnessRefusal("a consistency proof is at most 63 SHA-256 hashes")
    return int(lines[0][4:]), proof, note
