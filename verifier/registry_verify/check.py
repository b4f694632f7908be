"""The checks, with the standard library and Ed25519 only: a signed note, then an inclusion proof."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

RECEIPT_VERSION = 1


class Rejected(Exception):
    """The receipt does not prove what it claims."""


@dataclass(frozen=True)
class Verified:
    origin: str
    sequence: int
    tree_size: int
    record: dict[str, Any]


def _b64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, TypeError, ValueError):
        raise Rejected(f"{what} is not base64") from None


def key_id(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n\x01" + public_key).digest()[:4]


def parse_key(vkey: str) -> tuple[str, bytes]:
    parts = vkey.strip().split("+", 2)
    if len(parts) != 3:
        raise Rejected("the key is not a verifier key (name+keyid+base64 key)")
    name, hex_id, encoded = parts
    raw = _b64(encoded, "the key")
    if raw[:1] != b"\x01" or len(raw) != 33 or key_id(name, raw[1:]).hex() != hex_id:
        raise Rejected("the key is not an Ed25519 verifier key matching its id")
    return name, raw[1:]


def signed_checkpoint(note: str, name: str, public_key: bytes) -> tuple[str, int, bytes]:
    """(origin, size, root) of a note with a valid signature by the key (C2SP signed-note, tlog-checkpoint)."""
    body, separator, signatures = note.partition("\n\n")
    if not separator or not signatures.endswith("\n"):
        raise Rejected("the checkpoint is not a signed note")
    body += "\n"
    for line in signatures[:-1].split("\n"):
        signer, _, encoded = line.removeprefix("\u2014 ").rpartition(" ")
        raw = _b64(encoded, "a signature")
        if signer == name and raw[:4] == key_id(name, public_key):
            try:
                Ed25519PublicKey.from_public_bytes(public_key).verify(raw[4:], body.encode())
            except InvalidSignature:
                raise Rejected("the checkpoint's signature does not match: it was changed or forged") from None
            lines = body.split("\n")
            if len(lines) < 4 or not lines[1].isdigit():
                raise Rejected("the signed note is not a checkpoint")
            return lines[0], int(lines[1]), _b64(lines[2], "the checkpoint's root")
    raise Rejected(f"the checkpoint carries no signature of {name}")


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def included(leaf: bytes, index: int, size: int, path: list[bytes], root: bytes) -> bool:
    """RFC 9162 section 2.1.3.2."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, hashlib.sha256(b"\x00" + leaf).digest()
    for p in path:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            r = _node(p, r)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = _node(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def witness_key_id(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n\x04" + public_key).digest()[:4]


def parse_witness_key(vkey: str) -> tuple[str, bytes]:
    parts = vkey.strip().split("+", 2)
    if len(parts) != 3:
        raise Rejected("the witness key is not a verifier key (name+keyid+base64 key)")
    name, hex_id, encoded = parts
    raw = _b64(encoded, "the witness key")
    if raw[:1] != b"\x04" or len(raw) != 33 or witness_key_id(name, raw[1:]).hex() != hex_id:
        raise Rejected("the witness key is not a cosignature/v1 Ed25519 key matching its id")
    return name, raw[1:]


def cosigned_by(note: str, witness_vkey: str) -> int:
    """The time of the witness's valid cosignature on the checkpoint (C2SP tlog-cosignature, cosignature/v1)."""
    name, public_key = parse_witness_key(witness_vkey)
    body, _, signatures = note.partition("\n\n")
    body += "\n"
    for line in signatures.splitlines():
        signer, _, encoded = line.removeprefix("\u2014 ").rpartition(" ")
        raw = _b64(encoded, "a signature")
        if signer != name or raw[:4] != witness_key_id(name, public_key) or len(raw) != 76:
            continue
        timestamp = int.from_bytes(raw[4:12], "big")
        message = f"cosignature/v1\ntime {timestamp}\n{body}".encode()
        try:
            Ed25519PublicKey.from_public_bytes(public_key).verify(raw[12:], message)
        except InvalidSignature:
            raise Rejected(f"the cosignature of {name} does not match the checkpoint") from None
        return timestamp
    raise Rejected(f"the checkpoint carries no cosignature of the witness {name}")


def verify(receipt: dict[str, Any], vkey: str, witness_vkeys: tuple[str, ...] = ()) -> Verified:
    name, public_key = parse_key(vkey)
    if receipt.get("receipt_version") != RECEIPT_VERSION:
        raise Rejected(f"unknown receipt version {receipt.get('receipt_version')!r}")
    origin, size, root = signed_checkpoint(str(receipt.get("checkpoint", "")), name, public_key)
    for witness in witness_vkeys:
        cosigned_by(str(receipt.get("checkpoint", "")), witness)
    leaf_text, sequence = str(receipt.get("leaf", "")), receipt.get("sequence")
    if receipt.get("tree_size") != size:
        raise Rejected("the receipt's tree size is not the checkpoint's")
    record = json.loads(leaf_text)
    if not isinstance(record, dict) or record.get("sequence") != sequence or not isinstance(sequence, int):
        raise Rejected("the receipt's record is not the record it names")
    path = [_b64(h, "a proof hash") for h in receipt.get("inclusion_proof", [])]
    if not included(leaf_text.encode(), sequence - 1, size, path, root):
        raise Rejected("the record is not in the checkpoint's tree: the record or its proof was changed")
    return Verified(origin, sequence, size, record)
