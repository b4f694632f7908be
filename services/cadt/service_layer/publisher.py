"""One publishing pass for a tenant: stage, commit, wait for the commit to land, learn the node's ids, repeat.

v1 needs rounds: a unit may only name an issuance the node has committed, a split unit's new parts get
their ids only once the split lands, and a split cannot carry every field. Each round stages what can be
staged now; the pass ends when nothing is left or the round limit is reached (the next pass goes on).
A node that is down leaves every record as it was; a wrong API key stops the tenant's publishing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import cast

from services.cadt.domain.model import Connection, ConnectionState
from services.cadt.service_layer import publish_v2
from services.cadt.service_layer.lease import ProcessLease
from services.cadt.service_layer.ports import (
    CadtClient,
    CadtPendingCommit,
    CadtStore,
    CadtUnauthorized,
    CadtUnavailable,
    PublisherLease,
)
from services.cadt.service_layer.ports_v2 import AefSubmissions, CadtV2Client
from services.cadt.service_layer.rounds import Round
from services.shared.clock import SYSTEM_CLOCK, Clock

log = logging.getLogger(__name__)
UNAUTHORIZED_DETAIL = (
    "The CAD Trust node refused the API key. Enter the right key in the CAD Trust settings; "
    "publishing resumes by itself once the settings are saved."
)

BUSY_DETAIL = "Another publisher of this registry is running; the records it leaves are published after it."


@dataclass
class PassResult:
    outcome: str
    staged: int = 0
    rounds: int = 0
    detail: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class PublishPolicy:
    max_attempts: int = 5  # refusals of one record before it is dead-lettered (status failed)
    max_rounds: int = 8
    pending_polls: int = 30  # how often to ask whether the last commit has landed before giving up
    poll_interval_s: float = 1.0
    backoff_s: float = 5.0  # after a failed pass; doubles per failure up to backoff_max_s
    backoff_max_s: float = 600.0
    timer_interval_s: float = 5.0  # how often the consumer's retry timer looks for records left pending


CLOSED_DETAIL = "this registry never publishes to CAD Trust (a training registry)"


class Publisher:
    def __init__(
        self,
        store: CadtStore,
        client_for: Callable[[Connection], CadtClient],
        policy: PublishPolicy | None = None,
        *,
        clock: Clock = SYSTEM_CLOCK,
        sleep: Callable[[float], None] = time.sleep,
        lease: PublisherLease | None = None,
        aef: AefSubmissions | None = None,
        closed: bool = False,
    ) -> None:
        self.store = store
        self.closed = closed  # a registry that never publishes (a training registry), whatever its connection
        self.client_for = client_for
        self.policy = policy or PublishPolicy()
        self.clock = clock
        self.sleep = sleep
        self.lease = lease or ProcessLease(threading.Lock())
        self.aef = aef  # the AEF submissions a v2 connection publishes; none when not wired

    def publish(self, *, force: bool = False, wait: bool = False) -> PassResult:
        """One pass, if no other publisher of the registry is running (`wait`: once it has finished)."""
        with self.lease.hold(wait) as held:
            if not held:
                return PassResult("busy", detail=BUSY_DETAIL)
            return self._publish(force)

    def _publish(self, force: bool) -> PassResult:
        if self.closed:
            return PassResult("disabled", detail=CLOSED_DETAIL)
        connection = self.store.connection()
        if connection is None or not connection.enabled:
            return PassResult("disabled")
        if connection.state is ConnectionState.UNAUTHORIZED:
            return PassResult("unauthorized", detail=connection.state_detail)
        if not force and connection.next_attempt_at and self.clock.now() < connection.next_attempt_at:
            return PassResult("backing_off", detail=connection.state_detail)
        result = PassResult("published")
        try:
            self._run(self.client_for(connection), connection, result)
        except CadtUnauthorized:
            self._set(connection, ConnectionState.UNAUTHORIZED, UNAUTHORIZED_DETAIL)
            return PassResult("unauthorized", result.staged, result.rounds, UNAUTHORIZED_DETAIL)
        except CadtUnavailable as error:
            detail = f"CAD Trust node unavailable: {error}. Records stay pending and are retried."
            self._set(connection, ConnectionState.UNAVAILABLE, detail)
            return PassResult("unavailable", result.staged, result.rounds, detail)
        self._set(connection, ConnectionState.OK, "")
        return result

    def _set(self, connection: Connection, state: ConnectionState, detail: str) -> None:
        connection.state, connection.state_detail = state, detail
        if state is ConnectionState.UNAVAILABLE:
            connection.failures += 1
            delay = min(self.policy.backoff_s * 2 ** (connection.failures - 1), self.policy.backoff_max_s)
            connection.next_attempt_at = self.clock.now() + timedelta(seconds=delay)
            log.warning("cadt: %s; next attempt in %.0f s", detail, delay)
        else:
            connection.failures, connection.next_attempt_at = 0, None
        self._schedule_retry(connection)
        self.store.save_connection(connection)

    def _schedule_retry(self, connection: Connection) -> None:
        """Records left pending get another pass from the retry timer, backing off up to the cap."""
        if connection.state is ConnectionState.UNAUTHORIZED or not self.store.retryable():
            connection.retries, connection.retry_at = 0, None
            return
        connection.retries += 1
        delay = min(self.policy.backoff_s * 2 ** (connection.retries - 1), self.policy.backoff_max_s)
        connection.retry_at = self.clock.now() + timedelta(seconds=delay)

    def _run(self, client: CadtClient, connection: Connection, result: PassResult) -> None:
        if connection.data_model_version == "v2":
            return publish_v2.run(self, cast(CadtV2Client, client), connection, result)
        picklists = client.picklists()
        self.store.cache_picklists(picklists)
        for _ in range(self.policy.max_rounds):
            self._wait(client)
            if client.staging_count():  # staged by a pass that stopped before committing
                self._commit(client)
                self._wait(client)
            round_ = Round(self.store, connection, picklists, self.policy.max_attempts, self.clock.now)
            round_.settle(client.projects(), client.units())
            staged = self._stage(round_, client)
            result.staged += staged
            result.errors += round_.errors
            if not staged:
                return
            result.rounds += 1
            self._commit(client)
        result.outcome = "more_rounds_needed"

    def _stage(self, round_: Round, client: CadtClient) -> int:
        try:
            return round_.stage(client)
        except CadtPendingCommit:
            return round_.staged  # another writer committed meanwhile: commit ours after it lands

    def _commit(self, client: CadtClient) -> None:
        for _ in range(self.policy.pending_polls):
            try:
                client.commit("published by the carbon registry platform")
                return
            except CadtPendingCommit:
                self.sleep(self.policy.poll_interval_s)
        raise CadtUnavailable("the node kept a commit pending too long")

    def _wait(self, client: CadtClient) -> None:
        for _ in range(self.policy.pending_polls):
            if not client.has_pending_commit():
                return
            self.sleep(self.policy.poll_interval_s)
        raise CadtUnavailable(f"a commit was still pending after {self.policy.pending_polls} checks")
