"""A registry's AEF submissions published to the five v2 AEF tables of the stand-in enforcing v2's rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest

from gateway.app import create_app
from gateway.auth.principal import Role
from gateway.bootstrap import Platform
from gateway.bootstrap import cadt as wiring
from gateway.bootstrap import reporting as context
from services.cadt.domain import aef_v2
from services.cadt.domain import mapping_v2 as v2
from services.cadt.domain.model import Kind, Status
from services.cadt.service_layer.publisher import PublishPolicy
from services.cadt.service_layer.settings import ConfigureConnection, configure
from services.reporting.domain import aef
from tests.cadt_standin.fixtures import RunningStandIn
from tests.cadt_standin.server_v2 import CadtStandInV2
from tests.conftest import DatabaseUrls
from tests.factories.auth import auth_header, bearer_token
from tests.integration.cadt.scenario import KEY, own
from tests.integration.cadt.test_backfill_cli import cli_platform, registry, urls  # noqa: F401 - fixtures
from tests.integration.reporting.scenario import Registry, build, project

NODE_FIELDS = ("createdAt", "updatedAt", "orgUid", "cadTrustAefT1SubmissionId")


@pytest.fixture(autouse=True)
def quick_policy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(wiring, "POLICY", PublishPolicy(poll_interval_s=0, backoff_s=0))
    return


@pytest.fixture
def host(platform: Platform) -> Registry:
    """The reporting worked example's host registry: in 2024 each of the five AEF tables has rows."""
    registry, _buyer, _facts = build(platform)
    project(platform)
    return registry


def connect(
    platform: Platform, host: Registry, url: str, version: str = "v2", country: str = "Ghana", enabled: bool = True
) -> None:
    store = wiring.cadt_for(platform).store(host.tenant.id)
    values = {"registry_of_origin": "UNFCCC", "public_base_url": "https://registry.example/r", "country": country}
    command = ConfigureConnection(url, KEY, "org-1", version, enabled, values)
    configure(store, command, party=host.tenant.party, retry=store.retry_refused)


def submit(platform: Platform, host: Registry, year: int, reason: str | None = None) -> UUID:
    submission_id = context.request_aef(platform, host.tenant, year, reason, "test")
    context.build_aef(platform, host.tenant, submission_id)
    return submission_id


def exported(platform: Platform, host: Registry, submission_id: UUID) -> dict[str, list[dict[str, Any]]]:
    """The AEF export's rows of one version, as the v2 tables take them."""
    store = context.store(platform, host.tenant)
    sheets = {name: [dict(zip(aef.COLUMNS[name], row, strict=True)) for row in rows]
              for name, rows in store.tables(submission_id).items()}  # fmt: skip
    return aef_v2.payloads(sheets, {host.tenant.party: "Ghana"})  # the connection's country for the host Party


def held(standin: CadtStandInV2, table: str) -> list[dict[str, Any]]:
    id_field = v2.ROUTES[table][1]
    return [{k: v for k, v in row.items() if k not in (*NODE_FIELDS, id_field)} for row in standin.held(table)]


def node(running: RunningStandIn) -> CadtStandInV2:
    assert isinstance(running.node, CadtStandInV2)
    return running.node


def publish(platform: Platform, tenant_id: UUID) -> None:
    result = wiring.cadt_for(platform).publisher(tenant_id).publish(force=True)
    assert result.outcome == "published", result


def aef_record(platform: Platform, tenant_id: UUID) -> Any:
    (record,) = wiring.cadt_for(platform).store(tenant_id).records(Kind.AEF)
    return record


def sort(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(repr(sorted(row.items())) for row in rows)


def assert_held_as_exported(standin: CadtStandInV2, wanted: dict[str, list[dict[str, Any]]]) -> None:
    (submission,) = standin.held("aefT1Submission")
    for table, rows in wanted.items():
        assert sort(held(standin, table)) == sort(rows), table
        if table != "aefT1Submission":
            links = {row["cadTrustAefT1SubmissionId"] for row in standin.held(table)}
            assert links == {submission["cadTrustAefT1SubmissionId"]}, table


def test_a_finished_submission_lands_in_the_five_aef_tables_on_the_timer_pass(
    platform: Platform, host: Registry, cadt_node_v2: RunningStandIn
) -> None:
    connect(platform, host, cadt_node_v2.url)
    publish(platform, host.tenant.id)  # the ledger's records first; no AEF yet
    assert node(cadt_node_v2).held("aefT1Submission") == []
    cadt = wiring.cadt_for(platform)
    submission_id = submit(platform, host, 2024)
    assert cadt.aef_waiting(host.tenant.id)
    assert own(wiring.retry_timer(platform, cadt).tick(), host.tenant.id) == {host.tenant.id: "published"}
    wanted = exported(platform, host, submission_id)
    assert [len(wanted[table]) for table in aef_v2.SHEETS] == [1, 2, 3, 2, 1]
    assert_held_as_exported(node(cadt_node_v2), wanted)
    assert node(cadt_node_v2).staging_v2 == []
    record = aef_record(platform, host.tenant.id)
    assert (record.local_id, record.data["version"], record.status) == ("2024", "1.0", Status.PUBLISHED)
    assert not cadt.aef_waiting(host.tenant.id)
    writes = len(node(cadt_node_v2).writes())
    publish(platform, host.tenant.id)
    assert len(node(cadt_node_v2).writes()) == writes  # held as sent: nothing sent again


def test_a_correction_updates_the_records_the_node_holds(
    platform: Platform, host: Registry, cadt_node_v2: RunningStandIn
) -> None:
    connect(platform, host, cadt_node_v2.url)
    submit(platform, host, 2024)
    publish(platform, host.tenant.id)
    first = {row["cadTrustAefT1SubmissionId"] for row in node(cadt_node_v2).held("aefT1Submission")}
    correction = submit(platform, host, 2024, reason="A block was reported twice")
    publish(platform, host.tenant.id)
    standin = node(cadt_node_v2)
    assert_held_as_exported(standin, exported(platform, host, correction))
    assert [row["aefT1SubmissionVersion"] for row in standin.held("aefT1Submission")] == ["1.1"]
    assert {row["cadTrustAefT1SubmissionId"] for row in standin.held("aefT1Submission")} == first
    assert ("PUT", "/v2/aef-t1-submission/") in {(m, p[: len("/v2/aef-t1-submission/")]) for m, p in standin.writes()}
    assert aef_record(platform, host.tenant.id).data["version"] == "1.1"


def test_a_v1_registry_sends_no_aef(platform: Platform, host: Registry, cadt_node_v2: RunningStandIn) -> None:
    connect(platform, host, cadt_node_v2.url, version="v1")
    submit(platform, host, 2024)
    publish(platform, host.tenant.id)
    assert not wiring.cadt_for(platform).aef_waiting(host.tenant.id)
    assert not [path for _, path in node(cadt_node_v2).writes() if path.startswith("/v2/")]
    assert wiring.cadt_for(platform).store(host.tenant.id).records(Kind.AEF) == []


def test_a_row_the_v2_rules_refuse_is_reported_and_not_held(
    platform: Platform, host: Registry, cadt_node_v2: RunningStandIn
) -> None:
    connect(platform, host, cadt_node_v2.url, country="")  # no country name: Table 5 keeps the Party code
    submit(platform, host, 2024)
    publish(platform, host.tenant.id)
    record = aef_record(platform, host.tenant.id)
    assert record.status in (Status.PENDING, Status.FAILED)
    assert '"aefT5AuthorizedEntitiesIncorporationCountry" must be one of' in record.reason
    assert node(cadt_node_v2).held("aefT5AuthorizedEntities") == []
    connect(platform, host, cadt_node_v2.url, enabled=False)  # the retry timer of later tests leaves it alone


def test_backfill_publishes_the_finished_submissions(
    urls: DatabaseUrls,  # noqa: F811 - fixture
    cli_platform: Platform,  # noqa: F811 - fixture
    cadt_node_v2: RunningStandIn,
) -> None:
    host, _buyer, _facts = build(cli_platform)
    project(cli_platform)
    submission_id = submit(cli_platform, host, 2024)
    connect(cli_platform, host, cadt_node_v2.url)
    result = registry(urls, "backfill", "--registry", host.tenant.code)
    assert result.exit_code == 0, result.output
    assert_held_as_exported(node(cadt_node_v2), exported(cli_platform, host, submission_id))
    assert aef_record(cli_platform, host.tenant.id).status is Status.PUBLISHED
    connect(cli_platform, host, cadt_node_v2.url, enabled=False)


def test_the_status_api_shows_each_year_s_aef_record(
    platform: Platform, host: Registry, cadt_node_v2: RunningStandIn
) -> None:
    connect(platform, host, cadt_node_v2.url)
    submit(platform, host, 2024)
    publish(platform, host.tenant.id)
    app = create_app(platform.settings, platform)
    admin = auth_header(bearer_token(app, host.tenant.code, [Role.REGISTRY_ADMIN]))
    base = f"/api/v1/registries/{host.tenant.code}/cadt"
    answer = app.test_client().get(f"{base}/records", query_string={"kind": "aef"}, headers=admin)
    assert answer.status_code == 200, answer.json
    assert [(r["local_id"], r["status"]) for r in answer.json] == [("2024", "published")]
    everything = app.test_client().get(f"{base}/records", headers=admin).json
    assert ("aef", "2024") in {(r["kind"], r["local_id"]) for r in everything}
