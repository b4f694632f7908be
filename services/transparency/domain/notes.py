"""C2SP checkpoints (tlog-checkpoint) in signed notes (signed-note), with Ed25519 keys.

A checkpoint body is three lines: the origin, the tree size in decimal, the base64 root hash. A signed
note is the body, a blank line, and one line per signature: an em dash, a space, the key name, a space,
and base64 of the 4-byte key id followed by the 64-byte signature over the body. The key id of an
Ed25519 key is the first 4 bytes of SHA-256(name || "\\n" || 0x01 || public key); a verifier key is
published as `name+keyid(hex)+base64(0x01 || public key)`.
"""

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ED25519 = b"\x01"
SIGNATURE_PREFIX = "\u2014 "


class InvalidNote(Exception):
    """A note that is malformed, or carries no valid signature of the expected key."""


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes

    def body(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"


def key_id(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public_key).digest()[:4]


def verifier_key(name: str, public_key: bytes) -> str:
    return f"{name}+{key_id(name, public_key).hex()}+{base64.b64encode(ED25519 + public_key).decode()}"


def parse_verifier_key(vkey: str) -> tuple[str, bytes]:
    """(name, public key) of a verifier key; refuses one whose id does not match its key."""
    try:
        name, hex_id, encoded = vkey.strip().split("+", 2)
        raw = base64.b64decode(encoded, validate=True)
    except (ValueError, binascii.Error):
        raise InvalidNote("a verifier key is name+keyid+base64 key") from None
    if raw[:1] != ED25519 or len(raw) != 33 or key_id(name, raw[1:]).hex() != hex_id:
        raise InvalidNote("the verifier key is not an Ed25519 key matching its id")
    return name, raw[1:]


def sign(checkpoint: Checkpoint, name: str, private_key: Ed25519PrivateKey) -> str:
    body = checkpoint.body()
    public = private_key.public_key().public_bytes_raw()
    signature = key_id(name, public) + private_key.sign(body.encode())
    return f"{body}\n{SIGNATURE_PREFIX}{name} {base64.b64encode(signature).decode()}\n"


def parse_checkpoint(body: str) -> Checkpoint:
    lines = body.split("\n")
    if len(lines) < 4 or lines[-1] != "" or not lines[1].isdigit() or lines[1] != str(int(lines[1])):
        raise InvalidNote("a checkpoint is an origin, a decimal size and a base64 root, each on its line")
    try:
        root = base64.b64decode(lines[2], validate=True)
    except binascii.Error:
        raise InvalidNote("the checkpoint's root is not base64") from None
    if len(root) != 32:
        raise InvalidNote("the checkpoint's root is not a SHA-256 hash")
    return Checkpoint(lines[0], int(lines[1]), root)


def open_note(note: str, name: str, public_key: bytes) -> Checkpoint:
    """The checkpoint of a note that carries a valid signature by the named key; other signatures are ignored."""
    return parse_checkpoint(verified_body(note, name, public_key))


def verified_body(note: str, name: str, public_key: bytes) -> str:
    """The body of a signed note that carries a valid signature by the named key."""
    body, separator, signatures = note.partition("\n\n")
    if not separator or not signatures.endswith("\n"):
        raise InvalidNote("a signed note is a body, a blank line and signature lines")
    body += "\n"
    wanted = key_id(name, public_key)
    verifier = Ed25519PublicKey.from_public_bytes(public_key)
    for line in signatures[:-1].split("\n"):
        if not line.startswith(SIGNATURE_PREFIX):
            raise InvalidNote("a signature line starts with an em dash and a space")
        signer, _, encoded = line[len(SIGNATURE_PREFIX) :].rpartition(" ")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise InvalidNote("a signature is not base64") from None
        if signer != name or raw[:4] != wanted:
            continue
        try:
            verifier.verify(raw[4:], body.encode())
        except InvalidSignature:
            raise InvalidNote(f"the signature of {name} does not match the note") from None
        return body
    raise InvalidNote(f"the note carries no signature of {name}")
