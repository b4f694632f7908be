"""The stored-subtree tree and its proofs against the recursive definitions of RFC 9162 section 2.1."""

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.transparency.domain.merkle import (
    EMPTY_ROOT,
    Node,
    consistency_spans,
    inclusion_spans,
    integrate,
    leaf_hash,
    node_hash,
    nodes_for,
    root_span,
    span_hash,
    split_point,
)
from services.transparency.domain.proofs import InvalidProof, verify_consistency, verify_inclusion


def mth(leaves: list[bytes]) -> bytes:
    """MTH(D[n]) exactly as RFC 9162 2.1.1 defines it: the brute-force reference."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaf_hash(leaves[0])
    k = split_point(len(leaves))
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def path(m: int, leaves: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 2.1.3.1."""
    if len(leaves) == 1:
        return []
    k = split_point(len(leaves))
    if m < k:
        return [*path(m, leaves[:k]), mth(leaves[k:])]
    return [*path(m - k, leaves[k:]), mth(leaves[:k])]


def subproof(m: int, leaves: list[bytes], whole: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b) of RFC 9162 2.1.4.1."""
    n = len(leaves)
    if m == n:
        return [] if whole else [mth(leaves)]
    k = split_point(n)
    if m <= k:
        return [*subproof(m, leaves[:k], whole), mth(leaves[k:])]
    return [*subproof(m - k, leaves[k:], False), mth(leaves[:k])]


def leaves_of(size: int) -> list[bytes]:
    return [f"record {i}".encode() for i in range(size)]


def stored(leaves: list[bytes], batch: int) -> dict[Node, bytes]:
    """The nodes a sequencer writes when it integrates the leaves `batch` at a time."""
    nodes: dict[Node, bytes] = {}
    for start in range(0, len(leaves), batch):
        frontier = {n: nodes[n] for n in nodes_for([root_span(start)])} if start else {}
        nodes |= integrate(frontier, start, [leaf_hash(leaf) for leaf in leaves[start : start + batch]])
    return nodes


def test_the_empty_tree_and_one_leaf_follow_the_rfc() -> None:
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    assert node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()


@settings(deadline=None, max_examples=40)
@given(size=st.integers(1, 40), batch=st.integers(1, 9))
def test_stored_subtrees_give_every_root_and_every_proof(size: int, batch: int) -> None:
    leaves = leaves_of(size)
    nodes = stored(leaves, batch)
    for n in range(1, size + 1):
        root = span_hash(root_span(n), nodes.__getitem__)
        assert root == mth(leaves[:n])
        for m in range(n):
            proof = [span_hash(s, nodes.__getitem__) for s in inclusion_spans(m, n)]
            assert proof == path(m, leaves[:n])
            verify_inclusion(leaf_hash(leaves[m]), m, n, proof, root)
        for old in range(1, n + 1):
            proof = [span_hash(s, nodes.__getitem__) for s in consistency_spans(old, n)]
            assert proof == subproof(old, leaves[:n], True)
            verify_consistency(old, n, proof, mth(leaves[:old]), root)


@given(size=st.integers(2, 40), data=st.data())
def test_a_changed_leaf_or_path_element_is_rejected(size: int, data: st.DataObject) -> None:
    leaves = leaves_of(size)
    root, m = mth(leaves), data.draw(st.integers(0, size - 1))
    proof = path(m, leaves)
    with pytest.raises(InvalidProof):
        verify_inclusion(leaf_hash(b"forged"), m, size, proof, root)
    with pytest.raises(InvalidProof):
        verify_inclusion(leaf_hash(leaves[m]), (m + 1) % size, size, proof, root)
    if proof:
        i = data.draw(st.integers(0, len(proof) - 1))
        bent = [*proof[:i], hashlib.sha256(proof[i]).digest(), *proof[i + 1 :]]
        with pytest.raises(InvalidProof):
            verify_inclusion(leaf_hash(leaves[m]), m, size, bent, root)
        with pytest.raises(InvalidProof):
            verify_inclusion(leaf_hash(leaves[m]), m, size, proof[:-1], root)


@given(new=st.integers(2, 40), data=st.data())
def test_a_forked_history_has_no_consistency_proof(new: int, data: st.DataObject) -> None:
    leaves = leaves_of(new)
    old = data.draw(st.integers(1, new - 1))
    forked = [*leaves[: old - 1], b"rewritten", *leaves[old:]]
    proof = subproof(old, leaves, True)
    verify_consistency(old, new, proof, mth(leaves[:old]), mth(leaves))
    with pytest.raises(InvalidProof):
        verify_consistency(old, new, proof, mth(forked[:old]), mth(leaves))
    with pytest.raises(InvalidProof):
        verify_consistency(old, new, subproof(old, forked, True), mth(leaves[:old]), mth(forked))


def test_inclusion_reads_a_logarithmic_number_of_stored_hashes() -> None:
    size = 10_000_000
    for index in (0, 1, 4_999_999, size - 1):
        assert len(nodes_for(inclusion_spans(index, size))) <= 2 * size.bit_length()
    assert len(nodes_for(consistency_spans(7_654_321, size))) <= 3 * size.bit_length()
