"""Roots and proofs from stored subtree hashes: each reads O(log n) nodes in one query, never a rebuild."""

from services.transparency.domain.leaves import leaf_bytes
from services.transparency.domain.merkle import (
    EMPTY_ROOT,
    Span,
    consistency_spans,
    inclusion_spans,
    nodes_for,
    root_span,
    span_hash,
)
from services.transparency.domain.tiles import NoSuchTile, Tile, available_width, entry_bundle, tile_path
from services.transparency.service_layer.ports import JournalSource, TreeStore


class BeyondTree(Exception):
    """A size or leaf the tree has not integrated (yet)."""


def _hashes(store: TreeStore, spans: list[Span]) -> list[bytes]:
    known = store.nodes(nodes_for(spans))
    return [span_hash(span, known.__getitem__) for span in spans]


def _within(store: TreeStore, size: int) -> None:
    integrated, _ = store.head()
    if size > integrated:
        raise BeyondTree(f"the log has integrated {integrated} records, not {size}")


def root(store: TreeStore, size: int) -> bytes:
    _within(store, size)
    return _hashes(store, [root_span(size)])[0] if size else EMPTY_ROOT


def inclusion_proof(store: TreeStore, index: int, size: int) -> list[bytes]:
    if not 0 <= index < size:
        _within(store, size)
        raise BeyondTree(f"record {index + 1} is not in the tree of size {size}")
    spans = inclusion_spans(index, size)
    integrated, known = store.head_and_nodes(nodes_for(spans))  # one round trip: a proof is read often
    if size > integrated:
        raise BeyondTree(f"the log has integrated {integrated} records, not {size}")
    return [span_hash(span, known.__getitem__) for span in spans]


def consistency_proof(store: TreeStore, old_size: int, new_size: int) -> list[bytes]:
    _within(store, new_size)
    if not 0 < old_size <= new_size:
        raise BeyondTree(f"no consistency proof from size {old_size} to {new_size}")
    return _hashes(store, consistency_spans(old_size, new_size))


def tile_bytes(store: TreeStore, journal: JournalSource, tile: Tile) -> bytes:
    """The bytes of a hash tile or an entry bundle, if the tree has integrated all it holds."""
    size, _ = store.head()
    if available_width(tile, size) < tile.width:
        raise NoSuchTile(f"the log has integrated {size} records: {tile_path(tile)} is not complete yet")
    if tile.level is None:
        return entry_bundle([leaf_bytes(e) for e in journal.entries(tile.first + 1, tile.width)])
    wanted = {(tile.node_level, tile.first + i) for i in range(tile.width)}
    known = store.nodes(wanted)
    return b"".join(known[(tile.node_level, tile.first + i)] for i in range(tile.width))
