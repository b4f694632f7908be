"""Transparency: a Merkle tree (RFC 9162 hashing) per registry over its hash-chained journal, and its proofs."""
