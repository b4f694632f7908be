"""The Merkle tree of RFC 9162 section 2.1, held as stored hashes of complete subtrees.

A node (level, index) is the hash of the complete subtree over leaves [index * 2**level, (index + 1) * 2**level).
Only complete subtrees are ever stored, so a stored node never changes once written. The hash of any subtree
the RFC's algorithms name (a range [start, end) whose start is aligned to the largest power of two below its
length) folds the few complete nodes that tile the range, right to left: O(log n) stored hashes, no rebuild.
"""

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()

Node = tuple[int, int]  # (level, index)
Lookup = Callable[[Node], bytes]


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def split_point(size: int) -> int:
    """The largest power of two smaller than `size` (size > 1): where RFC 9162 splits a tree."""
    return 1 << ((size - 1).bit_length() - 1)


@dataclass(frozen=True)
class Span:
    """The leaves [start, end) of one subtree named by a proof."""

    start: int
    end: int


def tiling(span: Span) -> list[Node]:
    """The complete subtrees that tile a span, left to right, largest first."""
    nodes, start = [], span.start
    while start < span.end:
        level = (span.end - start).bit_length() - 1
        while start % (1 << level):
            level -= 1
        nodes.append((level, start >> level))
        start += 1 << level
    return nodes


def span_hash(span: Span, lookup: Lookup) -> bytes:
    """MTH of the span from stored complete-subtree hashes."""
    hashes = [lookup(node) for node in tiling(span)]
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


def root_span(size: int) -> Span:
    return Span(0, size)


def inclusion_spans(index: int, size: int) -> list[Span]:
    """The subtrees whose hashes form PATH(index, D[0:size]) (RFC 9162 2.1.3.1), leaf end first."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    spans: list[Span] = []
    start, end = 0, size
    while end - start > 1:
        k = split_point(end - start)
        if index - start < k:
            spans.append(Span(start + k, end))
            end = start + k
        else:
            spans.append(Span(start, start + k))
            start += k
    return list(reversed(spans))


def consistency_spans(old_size: int, new_size: int) -> list[Span]:
    """The subtrees whose hashes form PROOF(old_size, D[0:new_size]) (RFC 9162 2.1.4.1)."""
    if not 0 < old_size <= new_size:
        raise ValueError(f"no consistency proof from {old_size} to {new_size}")
    spans: list[Span] = []
    start, end, m, whole = 0, new_size, old_size, True
    while m != end - start:
        k = split_point(end - start)
        if m <= k:
            spans.append(Span(start + k, end))
            end = start + k
        else:
            spans.append(Span(start, start + k))
            start, m, whole = start + k, m - k, False
    if not whole:
        spans.append(Span(start, end))
    return list(reversed(spans))


def nodes_for(spans: Iterable[Span]) -> set[Node]:
    """Every stored node that the spans need: what one batched read fetches."""
    return {node for span in spans for node in tiling(span)}


def integrate(frontier: Mapping[Node, bytes], size: int, leaves: Iterable[bytes]) -> dict[Node, bytes]:
    """The nodes completed by appending leaf hashes to a tree of `size` leaves.

    `frontier` holds the tiling of [0, size) (the only nodes a new leaf can complete); the result holds
    every new node, the leaves included, keyed (level, index).
    """
    pending = dict(frontier)
    written: dict[Node, bytes] = {}
    for offset, leaf in enumerate(leaves):
        level, index, value = 0, size + offset, leaf
        while True:
            pending[(level, index)] = written[(level, index)] = value
            if index % 2 == 0:
                break
            value = node_hash(pending[(level, index - 1)], value)
            level, index = level + 1, index // 2
    return written
