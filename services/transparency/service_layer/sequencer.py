"""The sequencer: integrates committed journal records into the tree, a batch per transaction.

It runs outside the ledger's transactions, after their commit (docs/transparency.md, *Sequencer*): a
record the tree has not integrated yet is simply not provable yet. The head's row lock makes concurrent
sequencers of one registry take turns; each batch extends the tree it finds.
"""

from dataclasses import dataclass

from services.transparency.domain.leaves import leaf_bytes
from services.transparency.domain.merkle import integrate, leaf_hash, nodes_for, root_span, span_hash
from services.transparency.service_layer.ports import JournalSource, TreeStore

BATCH_SIZE = 1000


class JournalGap(Exception):
    """The journal does not continue where the tree ends: a record is missing or out of place."""


@dataclass(frozen=True)
class Integrated:
    count: int
    size: int
    root: bytes


def integrate_batch(store: TreeStore, journal: JournalSource, batch_size: int = BATCH_SIZE) -> Integrated:
    """Integrate up to `batch_size` records after the tree's end; call in a transaction of its own."""
    size, root = store.head(lock=True)
    entries = journal.entries(size + 1, batch_size)
    if not entries:
        return Integrated(0, size, root)
    for offset, entry in enumerate(entries):
        if entry.sequence != size + 1 + offset:
            raise JournalGap(f"journal record {size + 1 + offset} is missing: found {entry.sequence}")
    frontier = store.nodes(nodes_for([root_span(size)])) if size else {}
    new = integrate(frontier, size, [leaf_hash(leaf_bytes(e)) for e in entries])
    new_size = size + len(entries)
    known = frontier | new
    new_root = span_hash(root_span(new_size), known.__getitem__)
    store.add(new, new_size, new_root)
    return Integrated(len(entries), new_size, new_root)
