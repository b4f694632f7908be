"""Offline verification of retirement receipts (RFC 9162 inclusion proofs, C2SP signed checkpoints)."""
