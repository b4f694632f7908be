"""A v2 round against the stand-in: a commit the node lost is staged again; a record held otherwise is refused."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from services.cadt.adapters.requests_client_v2 import RequestsCadtV2Client
from services.cadt.domain.model import Connection, Kind, Status, SyncRecord
from services.cadt.service_layer.publish_v2 import RoundV2
from tests.cadt_standin.server import serving
from tests.cadt_standin.server_v2 import CadtStandInV2
from tests.unit.cadt.test_domain import MemoryStore
from tests.unit.cadt.test_mapping_v2 import ISSUANCE, PROJECT, unit

NOW = datetime(2026, 1, 1, tzinfo=UTC)
OPTIONS = {"registry_of_origin": "UNFCCC", "public_base_url": "https://registry.example/gha"}


class Store(MemoryStore):
    def all_details(self) -> dict[str, dict[str, Any]]:
        return {}


def registry() -> Store:
    store = Store()
    for record in (PROJECT, ISSUANCE, unit()):
        store.save(SyncRecord(record.kind, record.local_id, dict(record.data), parent_id=record.parent_id))
    store.get(Kind.ISSUANCE, "i1").parent_id = "p1"  # type: ignore[union-attr]
    store.get(Kind.UNIT, "b1").parent_id = "i1"  # type: ignore[union-attr]
    store.save(SyncRecord(Kind.ACCOUNT, "a1", {"name": "Ghana EPA"}, status=Status.EXCLUDED))
    return store


def round_(store: Store, client: RequestsCadtV2Client, max_attempts: int = 2) -> RoundV2:
    connection = Connection("http://node", "test-key", data_model_version="v2", options=OPTIONS)
    round_ = RoundV2(store, connection, max_attempts, lambda: NOW)
    round_.settle(client)
    round_.stage(client)
    return round_


def statuses(store: Store) -> set[Status]:
    return {r.status for kind in (Kind.PROJECT, Kind.ISSUANCE, Kind.UNIT) for r in store.records(kind)}


def test_a_commit_the_node_lost_is_staged_again_and_then_published() -> None:
    node, store = CadtStandInV2(), registry()
    with serving(node) as url:
        client = RequestsCadtV2Client(Connection(url, "test-key"))
        assert round_(store, client).staged == 3
        assert statuses(store) == {Status.STAGED}
        node.staging_v2.clear()  # the commit never lands
        assert round_(store, client).staged == 3
        client.commit("again")
        node.land_v2()
        assert round_(store, client).staged == 0
        assert statuses(store) == {Status.PUBLISHED}
        assert len(node.held("unit")) == 1


def test_a_record_the_node_holds_otherwise_is_refused_and_sent_again() -> None:
    node, store = CadtStandInV2(), registry()
    with serving(node) as url:
        client = RequestsCadtV2Client(Connection(url, "test-key"))
        round_(store, client)
        client.commit("first")
        node.land_v2()
        (held,) = node.tables["unit"].values()
        held["unitCount"] = 1  # the node holds another count than was sent
        refused = round_(store, client)
        unit_record = store.get(Kind.UNIT, "b1")
        assert unit_record is not None
        assert "unit.unitCount" in unit_record.reason
        assert refused.errors
        assert (unit_record.status, unit_record.attempts) == (Status.STAGED, 1)  # sent again: one refusal of two
        client.commit("again")
        node.land_v2()
        assert node.held("unit")[0]["unitCount"] == 100
        node.tables["unit"][held["cadTrustUnitId"]] = held | {"unitCount": 1}  # and otherwise again
        round_(store, client)
        assert unit_record.status is Status.FAILED  # the second refusal: dead-lettered


def test_a_record_sent_again_is_published_once_held_as_sent() -> None:
    node, store = CadtStandInV2(), registry()
    with serving(node) as url:
        client = RequestsCadtV2Client(Connection(url, "test-key"))
        round_(store, client)
        client.commit("first")
        node.land_v2()
        (held,) = node.tables["unit"].values()
        held["unitCount"] = 1
        round_(store, client)
        client.commit("again")
        node.land_v2()
        round_(store, client)
        unit_record = store.get(Kind.UNIT, "b1")
        assert unit_record is not None
        assert (unit_record.status, unit_record.reason) == (Status.PUBLISHED, "")
        assert node.held("unit")[0]["unitCount"] == 100
