"""Signed checkpoints in the C2SP formats: what is signed opens with the key, anything changed does not."""

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.transparency.domain.notes import (
    Checkpoint,
    InvalidNote,
    key_id,
    open_note,
    parse_verifier_key,
    sign,
    verified_body,
    verifier_key,
)

ROOT = bytes(range(32))
ORIGIN = "carbon-registry/GHA01"


def test_a_signed_checkpoint_has_the_c2sp_layout_and_opens_with_its_key() -> None:
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes_raw()
    note = sign(Checkpoint("registry.example/GHA01", 7, ROOT), "registry.example/GHA01", key)

    body, signature = note.split("\n\n")
    assert body == f"registry.example/GHA01\n7\n{base64.b64encode(ROOT).decode()}"
    assert signature.startswith("\u2014 registry.example/GHA01 ")
    assert signature.endswith("\n")
    raw = base64.b64decode(signature.split(" ")[-1])
    assert (len(raw), raw[:4]) == (68, key_id("registry.example/GHA01", public))
    assert open_note(note, "registry.example/GHA01", public) == Checkpoint("registry.example/GHA01", 7, ROOT)
    assert parse_verifier_key(verifier_key("registry.example/GHA01", public)) == ("registry.example/GHA01", public)


@pytest.mark.parametrize(
    "change",
    [
        lambda note: note.replace("\n7\n", "\n8\n"),
        lambda note: note.replace("GHA01\n", "GHA02\n", 1),
        lambda note: note.replace(base64.b64encode(ROOT).decode(), base64.b64encode(bytes(32)).decode()),
        lambda note: note.split("\n\n")[0] + "\n\n",
    ],
)
def test_a_changed_note_does_not_open(change: object) -> None:
    key = Ed25519PrivateKey.generate()
    note = sign(Checkpoint("registry.example/GHA01", 7, ROOT), "registry.example/GHA01", key)
    with pytest.raises(InvalidNote):
        open_note(change(note), "registry.example/GHA01", key.public_key().public_bytes_raw())  # type: ignore[operator]


def test_another_key_does_not_open_the_note() -> None:
    note = sign(Checkpoint("registry.example/GHA01", 7, ROOT), "registry.example/GHA01", Ed25519PrivateKey.generate())
    other = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    with pytest.raises(InvalidNote):
        open_note(note, "registry.example/GHA01", other)


def test_the_signed_note_example_of_the_format_verifies() -> None:
    """The example note and verifier key of the Go implementation that C2SP signed-note specifies."""
    vkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    note = (
        "If you think cryptography is the answer to your problem,\n"
        "then you don't know what your problem is.\n"
        "\n"
        "\u2014 PeterNeumann "
        "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="
        "\n"
    )
    name, public = parse_verifier_key(vkey)
    assert verified_body(note, name, public).startswith("If you think cryptography")
    with pytest.raises(InvalidNote):
        verified_body(note.replace("answer", "Answer"), name, public)


def test_a_verifier_key_whose_base64_holds_a_plus_sign_is_read() -> None:
    """The key's base64 may contain '+', the field separator: only the first two split the key."""
    seeds = (bytes([n]) * 32 for n in range(256))
    keys = (Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw() for seed in seeds)
    public = next(k for k in keys if "+" in verifier_key(ORIGIN, k).split("+", 2)[2])
    assert parse_verifier_key(verifier_key(ORIGIN, public)) == (ORIGIN, public)
