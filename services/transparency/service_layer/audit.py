"""`registry journal verify`'s second half: the stored tree must be the tree of the journal's records."""

from dataclasses import dataclass

from services.transparency.domain.leaves import leaf_bytes
from services.transparency.domain.merkle import integrate, leaf_hash, root_span, span_hash
from services.transparency.service_layer.ports import JournalSource, TreeStore


@dataclass(frozen=True)
class TreeMismatch:
    sequence: int | None  # the first journal record that differs from its leaf, when one does
    reason: str


def tree_mismatch(store: TreeStore, journal: JournalSource) -> tuple[TreeMismatch | None, int]:
    """The first disagreement between the stored tree and the journal (None when they agree), and the size."""
    size, stored_root = store.head()
    entries = journal.entries(1, size)
    expected = integrate({}, 0, [leaf_hash(leaf_bytes(e)) for e in entries])
    stored = store.all_nodes()
    for index, entry in enumerate(entries):
        if entry.sequence != index + 1:
            return TreeMismatch(index + 1, f"leaf {index} is record {entry.sequence} in the journal"), size
        if stored.get((0, index)) != expected[(0, index)]:
            return TreeMismatch(entry.sequence, "the record differs from its leaf in the tree"), size
    if len(entries) < size:
        return TreeMismatch(len(entries) + 1, f"the tree has {size} leaves, the journal only {len(entries)}"), size
    for node, value in expected.items():
        if stored.get(node) != value:
            return TreeMismatch(None, f"stored subtree {node} differs from the journal's"), size
    if extra := set(stored) - set(expected):
        return TreeMismatch(None, f"the tree stores {len(extra)} nodes past its integrated size"), size
    if size and span_hash(root_span(size), expected.__getitem__) != stored_root:
        return TreeMismatch(None, "the tree's root differs from the journal's"), size
    return None, size
