"""A forked checkpoint (two signed histories from one key) is caught by whoever holds both notes."""

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.transparency.domain.merkle import Node, consistency_spans, integrate, leaf_hash, root_span, span_hash
from services.transparency.domain.notes import Checkpoint, open_note, sign
from services.transparency.domain.proofs import InvalidProof, verify_consistency

ORIGIN = "carbon-registry/GHA01"


def tree(leaves: list[bytes]) -> dict[Node, bytes]:
    return integrate({}, 0, [leaf_hash(leaf) for leaf in leaves])


def root(nodes: dict[Node, bytes], size: int) -> bytes:
    return span_hash(root_span(size), nodes.__getitem__)


@pytest.mark.parametrize("later_size", [5, 6, 9])
def test_two_signed_histories_cannot_be_joined_by_a_consistency_proof(later_size: int) -> None:
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes_raw()
    honest = [f"record {i}".encode() for i in range(9)]
    forked = [*honest[:3], b"record 3, rewritten", *honest[4:]]
    shown_to_alice = sign(Checkpoint(ORIGIN, 5, root(tree(honest[:5]), 5)), ORIGIN, key)
    forked_nodes = tree(forked[:later_size])
    shown_to_bob = sign(Checkpoint(ORIGIN, later_size, root(forked_nodes, later_size)), ORIGIN, key)

    alice, bob = open_note(shown_to_alice, ORIGIN, public), open_note(shown_to_bob, ORIGIN, public)
    proof = [span_hash(s, forked_nodes.__getitem__) for s in consistency_spans(5, later_size)]
    with pytest.raises(InvalidProof):
        verify_consistency(alice.size, bob.size, proof, alice.root, bob.root)
