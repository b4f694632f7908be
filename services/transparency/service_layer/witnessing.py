"""Both sides of witnessing: a registry cosigning another's checkpoint, and a log collecting cosignatures."""

from dataclasses import replace
from datetime import datetime

from services.transparency.domain.keys import SignedCheckpoint
from services.transparency.domain.notes import InvalidNote, open_note, parse_checkpoint, parse_verifier_key
from services.transparency.domain.witness import (
    BadLogSignature,
    UnknownLog,
    WitnessRefusal,
    check_consistent,
    cosign,
    parse_request,
    parse_witness_key,
    request_text,
    verify_cosignature,
    witness_verifier_key,
)
from services.transparency.service_layer import proving
from services.transparency.service_layer.checkpoints import active_key, signing_key
from services.transparency.service_layer.ports import KeyRing, SecretBox, TreeStore, WitnessedLogs, WitnessEntry


def witness_name(origin: str) -> str:
    return f"{origin}/witness"


def witness_key(keys: KeyRing, box: SecretBox, name: str, now: datetime) -> str:
    """The witness's verifier key (cosignature/v1), its key made on first use."""
    key = active_key(keys, box, name, now)
    return witness_verifier_key(key.name, key.public_key)


def add_checkpoint(logs: WitnessedLogs, keys: KeyRing, box: SecretBox, name: str, request: str, now: datetime) -> str:
    """Cosign the request's checkpoint if its log is followed, its signature valid and it extends the last one."""
    old_size, proof, note = parse_request(request)
    origin = note.split("\n", 1)[0]
    known = logs.verifier_key(origin)
    if known is None:
        raise UnknownLog(f"this witness does not follow the log {origin!r}")
    try:
        checkpoint = open_note(note, *parse_verifier_key(known))
    except InvalidNote as error:
        raise BadLogSignature(str(error)) from None
    check_consistent(logs.last(origin, lock=True), old_size, proof, checkpoint)
    key = active_key(keys, box, name, now)
    line = cosign(checkpoint, name, signing_key(keys, box, key), int(now.timestamp()))
    logs.cosigned(origin, checkpoint.size, checkpoint.root)
    return line


def request_for(tree: TreeStore, witness: WitnessEntry, checkpoint: SignedCheckpoint) -> str:
    """The add-checkpoint request that takes the witness from the size it last cosigned to the checkpoint's."""
    old = witness.size if witness.size <= checkpoint.size else 0
    proof = proving.consistency_proof(tree, old, checkpoint.size) if 0 < old < checkpoint.size else []
    return request_text(old, proof, checkpoint.note)


def accepted_line(witness: WitnessEntry, checkpoint: SignedCheckpoint, answer: str) -> str:
    """The witness's cosignature line from its answer, checked against its key and the checkpoint."""
    name, public = parse_witness_key(witness.verifier_key)
    lines = [line + "\n" for line in answer.splitlines() if line.startswith(f"\u2014 {name} ")]
    for line in lines:
        try:
            verify_cosignature(checkpoint.note + line, name, public)
        except InvalidNote:
            continue
        return line
    raise WitnessRefusal(f"the answer of {name} holds no valid cosignature of size {checkpoint.size}")


def cosigned_note(note: str, lines: list[str]) -> str:
    parse_checkpoint(note.partition("\n\n")[0] + "\n")
    return note + "".join(lines)


def with_size(witness: WitnessEntry, size: int) -> WitnessEntry:
    return replace(witness, size=size)
