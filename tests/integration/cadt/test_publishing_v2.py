"""Publishing the worked example over CAD Trust's v2 routes, to the stand-in enforcing v2's rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from gateway.app import create_app
from gateway.auth.principal import Role
from gateway.bootstrap import Platform
from gateway.bootstrap import cadt as wiring
from services.cadt.domain.model import Kind, Status
from services.cadt.service_layer.publisher import PublishPolicy
from services.cadt.service_layer.settings import ConfigureConnection, configure
from services.ledger.domain import commands
from tests.cadt_standin.fixtures import RunningStandIn
from tests.cadt_standin.server import ORG_UID
from tests.cadt_standin.server_v2 import CadtStandInV2
from tests.conftest import DatabaseUrls, new_tenant_command
from tests.factories.auth import auth_header, bearer_token
from tests.integration.cadt.scenario import ACTOR, KEY, Example, issue, move, reference_data, worked_example
from tests.integration.cadt.test_backfill_cli import cli_platform, registry, urls  # noqa: F401 - fixtures
from tests.integration.cadt.test_details import APPROVER, authorization_terms


@pytest.fixture(autouse=True)
def quick_policy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(wiring, "POLICY", PublishPolicy(poll_interval_s=0, backoff_s=0))
    return


def connect_v2(example: Example, url: str, *, enabled: bool = True, **options: Any) -> None:
    store = wiring.cadt_for(example.platform).store(example.tenant.id)
    values = {"registry_of_origin": "UNFCCC", "public_base_url": f"https://registry.example/{example.tenant.code}",
              "country": "Ghana"} | options  # fmt: skip
    command = ConfigureConnection(url, KEY, "org-1", "v2", enabled, values)
    configure(store, command, party=example.tenant.party, retry=store.retry_refused)


def node(running: RunningStandIn) -> CadtStandInV2:
    assert isinstance(running.node, CadtStandInV2)
    return running.node


def by_id(standin: CadtStandInV2, table: str, id_field: str) -> dict[str, dict[str, Any]]:
    return {row[id_field]: row for row in standin.held(table)}


def units_held(standin: CadtStandInV2) -> set[tuple[Any, ...]]:
    """Each block the node holds, with the monitoring year of the issuance it names through its verification."""
    issuances = by_id(standin, "issuance", "cadTrustIssuanceId")
    verifications = by_id(standin, "verification", "cadTrustVerificationId")

    def year(unit: dict[str, Any]) -> str:
        verification = verifications[issuances[unit["cadTrustIssuanceId"]]["cadTrustVerificationId"]]
        return str(verification["verificationStartDate"])[:4]

    return {
        (u["unitStartBlock"].split("-")[3], u["unitEndBlock"].split("-")[3], u["unitCount"], u["unitVintageYear"],
         u["unitStatus"], u.get("unitCurrentOwner"), u.get("unitRetirementBeneficiary"), year(u))
        for u in standin.held("unit")
    }  # fmt: skip


EXPECTED_UNITS = {
    ("1", "600", 600, 2023, "Held", "issuance account", None, "2023"),
    ("601", "900", 300, 2023, "Held", "holding account", None, "2023"),
    ("901", "1000", 100, 2023, "Retired", None, "Acme Airlines", "2023"),
    ("1001", "1500", 500, 2024, "Held", "issuance account", None, "2024"),
}


def assert_ledger_held(example: Example, running: RunningStandIn) -> None:
    standin = node(running)
    (project,) = standin.held("project")
    assert project["orgUid"] == ORG_UID
    assert project["projectLink"] == f"https://registry.example/{example.tenant.code}/projects/{project['projectId']}"
    assert (project["projectName"], project["projectStatus"], project["projectSector"]) == (
        "Clean cookstoves", "Registered", ["Energy"])  # fmt: skip
    (stakeholder,) = standin.held("stakeholder")
    assert (stakeholder["stakeholderName"], stakeholder["stakeholderType"]) == ("Cookstove Ltd", "Developer")
    (link,) = standin.held("stakeholderProject")
    assert (link["cadTrustStakeholderId"], link["cadTrustProjectId"]) == (
        stakeholder["cadTrustStakeholderId"], project["cadTrustProjectId"])  # fmt: skip
    (methodology,) = standin.held("methodology")
    assert methodology["methodologyCode"] == "GS TPDDTEC"
    (project_methodology,) = standin.held("projectMethodology")
    assert project_methodology["cadTrustMethodologyId"] == methodology["cadTrustMethodologyId"]
    issuances = standin.held("issuance")
    assert sorted(i["issuanceDate"] for i in issuances) == ["2024-03-15", "2025-03-15"]
    assert {i["cadTrustProjectMethodologyId"] for i in issuances} == {
        project_methodology["cadTrustProjectMethodologyId"]
    }
    assert units_held(standin) == EXPECTED_UNITS
    assert standin.staging_v2 == []
    store = wiring.cadt_for(example.platform).store(example.tenant.id)
    statuses = {r.status for kind in (Kind.PROJECT, Kind.ISSUANCE, Kind.UNIT) for r in store.records(kind)}
    assert statuses == {Status.PUBLISHED}


def test_the_worked_example_lands_in_the_v2_tables(platform: Platform, cadt_node_v2: RunningStandIn) -> None:
    example = worked_example(platform)
    connect_v2(example, cadt_node_v2.url)
    example.sync()
    assert_ledger_held(example, cadt_node_v2)
    assert all(path.startswith("/v2/") for _, path in node(cadt_node_v2).writes())


def test_event_by_event_ends_the_same_and_updates_what_changed(
    platform: Platform, cadt_node_v2: RunningStandIn
) -> None:
    example = reference_data(platform)
    connect_v2(example, cadt_node_v2.url)
    example.sync()
    issue(example)
    example.sync()
    move(example)
    example.sync()
    assert_ledger_held(example, cadt_node_v2)
    assert ("PUT", "/v2/unit/") in {(m, p[: len("/v2/unit/")]) for m, p in node(cadt_node_v2).writes()}
    writes = len(node(cadt_node_v2).writes())
    example.sync()
    assert len(node(cadt_node_v2).writes()) == writes  # nothing new: nothing sent


def test_authorized_units_carry_an_article_6_authorisation_label(
    platform: Platform, cadt_node_v2: RunningStandIn
) -> None:
    example = worked_example(platform)
    authorization = example.record(
        "authorization",
        commands.RecordAuthorization(actor_id=ACTOR, reference="GHA-LoA-2024-7", terms=authorization_terms(example)),
    )
    held = example.do(
        commands.AuthorizeUnits(
            actor_id=ACTOR, account_id=example.ids["holding"], authorization_id=authorization, quantity=100
        )
    )
    example.do(commands.ApproveTransaction(actor_id=APPROVER, transaction_id=held.transaction_id))
    connect_v2(example, cadt_node_v2.url)
    example.sync()
    (label,) = node(cadt_node_v2).held("label")
    assert label["labelType"] == "Article 6 - Authorisation"
    assert label["labelName"] == "Article 6.2 authorization GHA-LoA-2024-7 (version 1; purposes NDC)"
    assert label["labelDate"] == "2024-02-01"


def test_a_record_the_v2_node_refuses_is_reported_and_nothing_is_held(
    platform: Platform, cadt_node_v2: RunningStandIn
) -> None:
    example = worked_example(platform)
    connect_v2(example, cadt_node_v2.url, public_base_url="")  # no project link: v2 requires a uri
    example.sync()
    store = wiring.cadt_for(platform).store(example.tenant.id)
    (project,) = store.records(Kind.PROJECT)
    assert project.status in (Status.PENDING, Status.FAILED)
    assert '"projectLink"' in project.reason
    assert node(cadt_node_v2).held("project") == []
    assert node(cadt_node_v2).held("unit") == []
    connect_v2(example, cadt_node_v2.url, enabled=False)  # the retry timer of later tests leaves it alone


def test_the_connection_api_sets_the_data_model(platform: Platform, cadt_node_v2: RunningStandIn) -> None:
    app = create_app(platform.settings, platform)
    example = worked_example(platform)
    admin = auth_header(bearer_token(app, example.tenant.code, [Role.REGISTRY_ADMIN], mfa=True))
    path = f"/api/v1/registries/{example.tenant.code}/cadt/connection"
    body = {"base_url": cadt_node_v2.url, "api_key": KEY, "enabled": True, "data_model_version": "v2",
            "options": {"registry_of_origin": "UNFCCC", "public_base_url": "https://registry.example/x"}}  # fmt: skip
    answer = app.test_client().put(path, json=body, headers=admin)
    assert answer.status_code == 200, answer.json
    assert app.test_client().get(path, headers=admin).json["data_model_version"] == "v2"
    example.sync()
    assert len(node(cadt_node_v2).held("unit")) == len(EXPECTED_UNITS)
    default_body = {k: v for k, v in body.items() if k != "data_model_version"} | {"enabled": False}
    default = app.test_client().put(path, json=default_body, headers=admin)
    assert default.json["data_model_version"] == "v1"


def test_connect_sets_the_data_model_or_keeps_it(
    urls: DatabaseUrls,  # noqa: F811 - fixture
    cli_platform: Platform,  # noqa: F811 - fixture
    cadt_node_v2: RunningStandIn,
) -> None:
    tenant = cli_platform.catalogue.create(new_tenant_command())
    store = wiring.cadt_for(cli_platform).store(tenant.id)
    args = ("connect", "--registry", tenant.code, "--url", cadt_node_v2.url, "--org-uid", ORG_UID, "--api-key", KEY)
    assert registry(urls, *args, "--data-model", "v2").exit_code == 0
    assert store.connection().data_model_version == "v2"  # type: ignore[union-attr]
    assert registry(urls, *args, "--enable").exit_code == 0
    assert store.connection().data_model_version == "v2"  # type: ignore[union-attr]
    assert registry(urls, *args, "--data-model", "v3").exit_code == 2


def test_a_registry_switched_from_v1_to_v2_publishes_its_history_to_the_v2_tables(
    platform: Platform, cadt_node_v2: RunningStandIn
) -> None:
    example = worked_example(platform)
    example.connect(cadt_node_v2.url)
    example.sync()
    assert len(node(cadt_node_v2).units) == len(EXPECTED_UNITS)  # v1 first
    assert node(cadt_node_v2).held("unit") == []
    connect_v2(example, cadt_node_v2.url)
    result = wiring.cadt_for(platform).publisher(example.tenant.id).publish(force=True)
    assert result.outcome == "published", result
    assert_ledger_held(example, cadt_node_v2)
    connect_v2(example, cadt_node_v2.url, enabled=False)
