"""A year's AEF over v2 rounds against the stand-in: a correction with fewer rows deletes the rows it drops."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from services.cadt.adapters.requests_client_v2 import RequestsCadtV2Client
from services.cadt.domain.model import Connection, Kind, Status
from services.cadt.service_layer.publish_v2 import RoundV2
from services.reporting.domain import aef
from tests.cadt_standin.server import serving
from tests.cadt_standin.server_v2 import CadtStandInV2
from tests.cadt_standin.test_rounds_v2 import NOW, OPTIONS, Store

SUBMISSION = dict.fromkeys(aef.COLUMNS[aef.SUBMISSION]) | {
    "Party": "GHA", "Version": "1.0", "Reported year": 2024, "Date of submission": "2025-01-10"}  # fmt: skip


def entity(name: str) -> dict[str, Any]:
    return {"Date of the authorization": "2024-02-01", "Name": name, "Country of incorporation": "GHA",
            "Identification number": f"REG-{name}", "Cooperative approach ID": "CA0001"}  # fmt: skip


class Submissions:
    """The reporting context's answer: one finished version of 2024, replaced by a correction."""

    def __init__(self) -> None:
        self.version = {"id": "s-1", "year": 2024, "version": "1.0"}
        self.tables = {"s-1": {aef.SUBMISSION: [SUBMISSION], aef.ENTITIES: [entity("Acme"), entity("Stoves")]}}

    def latest(self) -> list[dict[str, Any]]:
        return [self.version]

    def sheets(self, submission_id: str) -> Mapping[str, Sequence[Mapping[str, Any]]]:
        return self.tables[submission_id]


def publish_round(store: Store, client: RequestsCadtV2Client, node: CadtStandInV2, submissions: Submissions) -> None:
    connection = Connection(
        "http://node", "test-key", data_model_version="v2", options=OPTIONS | {"party": "GHA", "country": "Ghana"}
    )
    round_ = RoundV2(store, connection, 2, lambda: NOW, submissions)
    round_.take_aef_submissions()
    round_.settle(client)
    if round_.stage(client):
        client.commit("aef")
        node.land_v2()


def test_a_correction_with_fewer_rows_deletes_the_rows_it_drops() -> None:
    node, store, submissions = CadtStandInV2(), Store(), Submissions()
    with serving(node) as url:
        client = RequestsCadtV2Client(Connection(url, "test-key"))
        for _ in range(3):
            publish_round(store, client, node, submissions)
        assert sorted(row["aefT5AuthorizedEntitiesName"] for row in node.held("aefT5AuthorizedEntities")) == [
            "Acme", "Stoves"]  # fmt: skip
        submissions.version = {"id": "s-2", "year": 2024, "version": "1.1"}
        corrected = dict(SUBMISSION, Version="1.1")
        submissions.tables["s-2"] = {aef.SUBMISSION: [corrected], aef.ENTITIES: [entity("Acme")]}
        for _ in range(2):
            publish_round(store, client, node, submissions)
        assert [row["aefT5AuthorizedEntitiesName"] for row in node.held("aefT5AuthorizedEntities")] == ["Acme"]
        assert [row["aefT1SubmissionVersion"] for row in node.held("aefT1Submission")] == ["1.1"]
        deleted = [path for method, path in node.writes() if method == "DELETE"]
        assert [path.rsplit("/", 1)[0] for path in deleted] == ["/v2/aef-t5-authorized-entities"]
        record = store.get(Kind.AEF, "2024")
        assert record is not None
        assert record.status is Status.PUBLISHED
        assert list(record.meta["v2"]) == ["aefT1Submission:0", "aefT5AuthorizedEntities:0"]


def test_a_delete_the_node_lost_is_sent_again_before_the_year_is_published() -> None:
    node, store, submissions = CadtStandInV2(), Store(), Submissions()
    with serving(node) as url:
        client = RequestsCadtV2Client(Connection(url, "test-key"))
        for _ in range(3):
            publish_round(store, client, node, submissions)
        submissions.version = {"id": "s-2", "year": 2024, "version": "1.1"}
        submissions.tables["s-2"] = {aef.SUBMISSION: [SUBMISSION], aef.ENTITIES: [entity("Acme")]}
        connection = Connection("http://node", "test-key", data_model_version="v2",
                                options=OPTIONS | {"party": "GHA", "country": "Ghana"})  # fmt: skip
        round_ = RoundV2(store, connection, 2, lambda: NOW, submissions)
        round_.take_aef_submissions()
        round_.settle(client)
        assert round_.stage(client) == 1
        node.staging_v2.clear()  # the delete never lands
        for _ in range(2):
            publish_round(store, client, node, submissions)
        assert [row["aefT5AuthorizedEntitiesName"] for row in node.held("aefT5AuthorizedEntities")] == ["Acme"]
        record = store.get(Kind.AEF, "2024")
        assert record is not None
        assert record.status is Status.PUBLISHED
