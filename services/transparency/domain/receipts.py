"""The receipt of a journal record: the record, its inclusion proof and the signed checkpoint it is under.

Checked offline by `registry-verify` (verifier/ in the repository), with the registry's verifier key only.
"""

import base64
from collections.abc import Sequence

from services.shared.messages import JsonValue

RECEIPT_VERSION = 1


def receipt(origin: str, sequence: int, leaf: bytes, path: Sequence[bytes], tree_size: int, note: str) -> JsonValue:
    return {
        "receipt_version": RECEIPT_VERSION,
        "registry": origin,
        "sequence": sequence,
        "leaf_index": sequence - 1,
        "leaf": leaf.decode(),
        "tree_size": tree_size,
        "inclusion_proof": [base64.b64encode(h).decode() for h in path],
        "checkpoint": note,
    }
