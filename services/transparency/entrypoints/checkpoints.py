"""Publishing a registry's checkpoints and rotating its key, each in a transaction of its own."""

from __future__ import annotations

from uuid import UUID

from services.shared.clock import Clock
from services.shared.db.database import Database
from services.transparency.adapters.keys import SqlCheckpointStore, SqlKeyRing
from services.transparency.adapters.store import SqlTreeStore
from services.transparency.domain.keys import LogKey, SignedCheckpoint
from services.transparency.domain.notes import verifier_key
from services.transparency.service_layer.checkpoints import active_key, publish_checkpoint, rotate_key
from services.transparency.service_layer.ports import SecretBox

ORIGIN_PREFIX = "carbon-registry"


def origin_for(registry_id: str) -> str:
    """The log's origin line and key name: it names the registry by its Article 6.2 registry id."""
    return f"{ORIGIN_PREFIX}/{registry_id}"


def publish(database: Database, tenant_id: UUID, registry_id: str, box: SecretBox, clock: Clock) -> SignedCheckpoint:
    with database.transaction(tenant_id) as session:
        tree, keys = SqlTreeStore(session, tenant_id), SqlKeyRing(session, tenant_id)
        tree.head(lock=True)  # one signer at a time: the first key is made once
        store = SqlCheckpointStore(session, tenant_id)
        return publish_checkpoint(tree, keys, store, box, origin_for(registry_id), clock.now())


def rotate(database: Database, tenant_id: UUID, registry_id: str, box: SecretBox, clock: Clock) -> LogKey:
    with database.transaction(tenant_id) as session:
        SqlTreeStore(session, tenant_id).head(lock=True)
        return rotate_key(SqlKeyRing(session, tenant_id), box, origin_for(registry_id), clock.now())


def log_verifier_key(database: Database, tenant_id: UUID, registry_id: str, box: SecretBox, clock: Clock) -> str:
    """The verifier key of the registry's current checkpoint key, made on first use."""
    with database.transaction(tenant_id) as session:
        SqlTreeStore(session, tenant_id).head(lock=True)
        key = active_key(SqlKeyRing(session, tenant_id), box, origin_for(registry_id), clock.now())
    return verifier_key(key.name, key.public_key)
