"""Signed checkpoints of a registry's tree, and the keys that sign them (docs/transparency.md)."""

from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.transparency.domain.keys import LogKey, SignedCheckpoint
from services.transparency.domain.notes import Checkpoint, key_id, sign
from services.transparency.service_layer.ports import CheckpointStore, KeyRing, SecretBox, TreeStore


def _context(key: str) -> str:
    return f"transparency-key:{key}"


def rotate_key(keys: KeyRing, box: SecretBox, name: str, now: datetime) -> LogKey:
    """A new signing key named `name`; the current one is retired but stays published."""
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes_raw()
    key = LogKey(key_id(name, public).hex(), name, public, now)
    for old in keys.history():
        if old.retired_at is None:
            keys.retire(old.key_id, now)
    keys.add(key, box.encrypt(private.private_bytes_raw(), _context(key.key_id)))
    return key


def active_key(keys: KeyRing, box: SecretBox, name: str, now: datetime) -> LogKey:
    """The signing key, made on first use; a key of another name (the origin changed) is rotated out."""
    current = next((k for k in keys.history() if k.retired_at is None), None)
    return current if current is not None and current.name == name else rotate_key(keys, box, name, now)


def publish_checkpoint(
    tree: TreeStore, keys: KeyRing, checkpoints: CheckpointStore, box: SecretBox, origin: str, now: datetime
) -> SignedCheckpoint:
    """Sign the tree's current size and root with the registry's key (once per size and key), and store it."""
    size, root = tree.head()
    key = active_key(keys, box, origin, now)
    existing = checkpoints.find(size, key.key_id)
    if existing is not None:
        return existing
    private = signing_key(keys, box, key)
    signed = SignedCheckpoint(size, key.key_id, sign(Checkpoint(origin, size, root), key.name, private), now)
    checkpoints.add(signed)
    return signed


def signing_key(keys: KeyRing, box: SecretBox, key: LogKey) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(box.decrypt(keys.private_key(key.key_id), _context(key.key_id)))
