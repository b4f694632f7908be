"""Pure verifiers of RFC 9162 inclusion (2.1.3.2) and consistency (2.1.4.2) proofs; they need only hashes."""

from collections.abc import Sequence

from services.transparency.domain.merkle import node_hash


class InvalidProof(Exception):
    """A proof that does not lead to the root it claims."""


def verify_inclusion(leaf: bytes, index: int, size: int, path: Sequence[bytes], root: bytes) -> None:
    if not 0 <= index < size:
        raise InvalidProof(f"leaf {index} cannot be in a tree of {size}")
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            raise InvalidProof("the inclusion proof is too long")
        if fn % 2 == 1 or fn == sn:
            r = node_hash(p, r)
            if fn % 2 == 0:
                while fn % 2 == 0 and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise InvalidProof("the inclusion proof is too short")
    if r != root:
        raise InvalidProof("the inclusion proof leads to another root")


def verify_consistency(old_size: int, new_size: int, proof: Sequence[bytes], old_root: bytes, new_root: bytes) -> None:
    if not 0 < old_size <= new_size:
        raise InvalidProof(f"no consistency proof from {old_size} to {new_size}")
    if old_size == new_size:
        if proof or old_root != new_root:
            raise InvalidProof("a tree of the same size must have the same root and an empty proof")
        return
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is the first subtree of the proof
        path.insert(0, old_root)
    if not path:
        raise InvalidProof("the consistency proof is empty")
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise InvalidProof("the consistency proof is too long")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise InvalidProof("the consistency proof is too short")
    if fr != old_root or sr != new_root:
        raise InvalidProof("the consistency proof does not join the two roots")
