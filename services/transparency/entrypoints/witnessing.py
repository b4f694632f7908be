"""Witnessing, each step a transaction of its own; a log never holds its transaction while a witness answers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from uuid import UUID

from services.shared.clock import SYSTEM_CLOCK, Clock
from services.shared.db.database import Database
from services.transparency.adapters.keys import SqlCheckpointStore, SqlKeyRing
from services.transparency.adapters.store import SqlTreeStore
from services.transparency.adapters.tables import witness_keys
from services.transparency.adapters.witnesses import SqlWitnessedLogs, SqlWitnesses
from services.transparency.domain.keys import SignedCheckpoint
from services.transparency.domain.witness import SizeConflict, WitnessRefusal
from services.transparency.entrypoints.checkpoints import origin_for
from services.transparency.service_layer import witnessing
from services.transparency.service_layer.ports import SecretBox, WitnessClient, WitnessEntry

log = logging.getLogger(__name__)


def witness_key(
    database: Database, tenant_id: UUID, registry_id: str, box: SecretBox, clock: Clock = SYSTEM_CLOCK
) -> str:
    """The registry's verifier key as a witness."""
    name = witnessing.witness_name(origin_for(registry_id))
    with database.transaction(tenant_id) as session:
        return witnessing.witness_key(SqlKeyRing(session, tenant_id, witness_keys), box, name, clock.now())


def follow(database: Database, tenant_id: UUID, origin: str, log_verifier_key: str) -> None:
    """The registry witnesses the log from now on."""
    with database.transaction(tenant_id) as session:
        SqlWitnessedLogs(session, tenant_id).follow(origin, log_verifier_key)


def add_witness(database: Database, tenant_id: UUID, entry: WitnessEntry) -> None:
    with database.transaction(tenant_id) as session:
        SqlWitnesses(session, tenant_id).add(entry)


def add_checkpoint(
    database: Database,
    tenant_id: UUID,
    registry_id: str,
    box: SecretBox,
    request: str,
    clock: Clock = SYSTEM_CLOCK,
) -> str:
    """As a witness: the cosignature line of the request's checkpoint, or WitnessRefusal."""
    name = witnessing.witness_name(origin_for(registry_id))
    with database.transaction(tenant_id) as session:
        logs, keys = SqlWitnessedLogs(session, tenant_id), SqlKeyRing(session, tenant_id, witness_keys)
        return witnessing.add_checkpoint(logs, keys, box, name, request, clock.now())


def collect_cosignatures(
    database: Database,
    tenant_id: UUID,
    client_for: Callable[[WitnessEntry], WitnessClient],
    clock: Clock = SYSTEM_CLOCK,
) -> list[str]:
    """Ask every witness of the registry to cosign its latest checkpoint; the names of those that did."""
    with database.transaction(tenant_id) as session:
        latest = SqlCheckpointStore(session, tenant_id).latest()
        due = [w for w in SqlWitnesses(session, tenant_id).all() if latest is not None and w.size != latest.size]
    if latest is None:
        return []
    cosigned: list[tuple[WitnessEntry, str]] = []
    for witness in due:
        try:
            cosigned.append((witness, _cosignature(database, tenant_id, witness, latest, client_for(witness))))
        except WitnessRefusal as error:
            log.warning("witness %s did not cosign size %d: %s", witness.name, latest.size, error)
    with database.transaction(tenant_id) as session:
        witnesses = SqlWitnesses(session, tenant_id)
        for witness, line in cosigned:
            witnesses.record(witness.name, latest.size, line, clock.now())
    return [witness.name for witness, _ in cosigned]


def _cosignature(
    database: Database, tenant_id: UUID, witness: WitnessEntry, latest: SignedCheckpoint, client: WitnessClient
) -> str:
    try:
        answer = client.add_checkpoint(_request(database, tenant_id, witness, latest))
    except SizeConflict as conflict:  # the witness knows another size: prove from that one, once
        answer = client.add_checkpoint(
            _request(database, tenant_id, witnessing.with_size(witness, conflict.witness_size), latest)
        )
    return witnessing.accepted_line(witness, latest, answer)


def _request(database: Database, tenant_id: UUID, witness: WitnessEntry, latest: SignedCheckpoint) -> str:
    with database.transaction(tenant_id) as session:
        return witnessing.request_for(SqlTreeStore(session, tenant_id), witness, latest)


def cosignature_lines(database: Database, tenant_id: UUID, size: int) -> list[str]:
    with database.transaction(tenant_id) as session:
        return SqlWitnesses(session, tenant_id).lines(size)
