"""`registry cadt backfill` and `registry cadt diff`: a whole history, an outage in the middle, a resume."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner, Result

from gateway.bootstrap import Platform
from gateway.bootstrap import cadt as wiring
from gateway.cli.events import build_runtime
from gateway.cli.main import main
from services.cadt.domain.model import Kind
from services.cadt.service_layer.publisher import PublishPolicy
from tests.cadt_standin.fixtures import RunningStandIn
from tests.cadt_standin.server import CadtStandIn, serving
from tests.conftest import TEST_SECRET, DatabaseUrls, settings_for, sqlite_urls
from tests.integration.cadt.scenario import Example, worked_example
from tests.integration.cadt.test_publishing import expected_state, node_state


@pytest.fixture(autouse=True)
def quick_policy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(wiring, "POLICY", PublishPolicy(poll_interval_s=0, backoff_s=0))
    return


@pytest.fixture
def urls(tmp_path: object) -> DatabaseUrls:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    return sqlite_urls(tmp_path)


@pytest.fixture
def cli_platform(urls: DatabaseUrls) -> Iterator[Platform]:
    built = Platform.from_settings(settings_for(urls))
    yield built
    built.close()


def registry(urls: DatabaseUrls, *args: str) -> Result:
    env = {"DATABASE_URL": urls.app, "DATABASE_OWNER_URL": urls.owner, "SECRET_KEY": TEST_SECRET}
    env |= {"KAFKA_BOOTSTRAP_SERVERS": None}  # the embedded bus the test platform wrote to
    return CliRunner().invoke(main, ["cadt", *args], env=env)


def history_on_the_bus(platform: Platform, url: str) -> Example:
    example = worked_example(platform)
    example.connect(url, enabled=False)  # publishing off while the history accumulates
    example.relay()
    build_runtime(platform, "reporting").drain(idle_polls=1, timeout_s=0.05)  # the ledger's blocks, for diff
    example.connect(url)
    return example


def test_backfill_publishes_the_whole_history(
    urls: DatabaseUrls, cli_platform: Platform, cadt_node: RunningStandIn
) -> None:
    example = history_on_the_bus(cli_platform, cadt_node.url)
    result = registry(urls, "backfill", "--registry", example.tenant.code)
    assert result.exit_code == 0, result.output
    assert "7 of 7 records published: published" in result.output
    assert node_state(cadt_node.node) == expected_state(example)
    assert registry(urls, "diff", "--registry", example.tenant.code).output.strip() == "0 difference(s)"


def test_an_outage_mid_backfill_resumes_to_the_same_end_state(
    urls: DatabaseUrls, cli_platform: Platform, cadt_node: RunningStandIn
) -> None:
    example = history_on_the_bus(cli_platform, cadt_node.url)
    cadt_node.node.down_after = 12
    stopped = registry(urls, "backfill", "--registry", example.tenant.code)
    assert stopped.exit_code == 1
    assert "unavailable" in stopped.output
    assert cadt_node.node.units or cadt_node.node.projects  # it got part of the way
    cadt_node.node.down, cadt_node.node.down_after = False, None
    resumed = registry(urls, "backfill", "--registry", example.tenant.code)
    assert resumed.exit_code == 0, resumed.output
    clean = CadtStandIn()
    with serving(clean) as url:
        other = history_on_the_bus(cli_platform, url)
        assert registry(urls, "backfill", "--registry", other.tenant.code).exit_code == 0
    assert node_state(cadt_node.node) == expected_state(example)
    assert len(node_state(cadt_node.node)["units"]) == len(node_state(clean)["units"]) == 4


def test_diff_lists_what_differs(urls: DatabaseUrls, cli_platform: Platform, cadt_node: RunningStandIn) -> None:
    example = history_on_the_bus(cli_platform, cadt_node.url)
    registry(urls, "backfill", "--registry", example.tenant.code)
    unit = next(u for u in cadt_node.node.units.values() if u["unitStatus"] == "Retired")
    unit["unitOwner"] = "Someone else"
    result = registry(urls, "diff", "--registry", example.tenant.code)
    assert result.exit_code == 1
    assert "unitOwner: registry 'Acme Airlines', CAD Trust 'Someone else'" in result.output
    assert "1 difference(s)" in result.output


def test_backfill_of_an_unknown_registry_says_what_to_do(urls: DatabaseUrls, cli_platform: Platform) -> None:
    result = registry(urls, "backfill", "--registry", "nowhere")
    assert result.exit_code == 2
    assert "registry tenants list" in result.output


def test_diff_holds_the_node_against_the_ledgers_blocks_not_only_the_publishers_records(
    urls: DatabaseUrls, cli_platform: Platform, cadt_node: RunningStandIn
) -> None:
    example = history_on_the_bus(cli_platform, cadt_node.url)
    registry(urls, "backfill", "--registry", example.tenant.code)
    store = wiring.cadt_for(cli_platform).store(example.tenant.id)
    (record,) = [r for r in store.records(Kind.UNIT) if r.data["vintage"] == 2024]
    record.data = record.data | {"state": "retired"}  # a projection gone wrong, published as it said
    store.save(record)
    unit = cadt_node.node.units[str(record.cadt_id)]
    unit["unitStatus"] = "Retired"
    extra = unit | {"warehouseUnitId": "stray", "unitBlockStart": "X-1", "unitBlockEnd": "X-9"}
    cadt_node.node.units["stray"] = extra
    result = registry(urls, "diff", "--registry", example.tenant.code)
    assert result.exit_code == 1
    assert (
        f"ledger block {record.local_id} (CAD Trust {record.cadt_id}): unitStatus: registry 'Held', "
        "CAD Trust 'Retired'" in result.output
    )
    assert "ledger block - (CAD Trust stray): X-1..X-9: no such block in the ledger" in result.output


def test_diff_of_the_clean_worked_example_finds_nothing(
    urls: DatabaseUrls, cli_platform: Platform, cadt_node: RunningStandIn
) -> None:
    example = history_on_the_bus(cli_platform, cadt_node.url)
    registry(urls, "backfill", "--registry", example.tenant.code)
    result = registry(urls, "diff", "--registry", example.tenant.code)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "0 difference(s)"


def test_diff_holds_projects_against_the_ledger_not_only_the_publishers_records(
    urls: DatabaseUrls, cli_platform: Platform, cadt_node: RunningStandIn
) -> None:
    example = history_on_the_bus(cli_platform, cadt_node.url)
    registry(urls, "backfill", "--registry", example.tenant.code)
    store = wiring.cadt_for(cli_platform).store(example.tenant.id)
    project = store.get(Kind.PROJECT, str(example.ids["project"]))
    assert project is not None
    project.data = project.data | {"name": "Old cookstoves"}  # a rename whose event never arrived
    store.save(project)
    cadt_node.node.projects[str(project.cadt_id)]["projectName"] = "Old cookstoves"  # published as it said
    result = registry(urls, "diff", "--registry", example.tenant.code)
    assert result.exit_code == 1
    assert (
        f"ledger project {project.local_id} (CAD Trust {project.cadt_id}): projectName: registry "
        "'Clean cookstoves', CAD Trust 'Old cookstoves'" in result.output
    )
    assert "1 difference(s)" in result.output
