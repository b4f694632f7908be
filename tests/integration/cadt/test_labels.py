"""Labels derived from authorizations: valid by construction, and republished when an authorization changes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from gateway.bootstrap import Platform
from gateway.bootstrap import cadt as wiring
from services.cadt.domain.model import Kind, Status
from services.cadt.service_layer.publisher import PublishPolicy
from services.ledger.domain import commands
from services.ledger.domain.authorizations import Timeframe
from tests.cadt_standin.fixtures import RunningStandIn
from tests.integration.cadt.scenario import ACTOR
from tests.integration.cadt.test_details import authorization_terms, authorized_example, node_project


@pytest.fixture(autouse=True)
def quick_policy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(wiring, "POLICY", PublishPolicy(poll_interval_s=0, backoff_s=0))
    return


def test_an_authorization_given_after_its_last_vintage_is_published_with_a_valid_label(
    platform: Platform, cadt_node: RunningStandIn
) -> None:
    example, _ = authorized_example(
        platform, cadt_node.url, authorized_on=date(2026, 11, 1), timeframe=Timeframe(2021, 2025)
    )
    (label,) = node_project(cadt_node)["labels"]
    assert (label["validityPeriodStartDate"], label["validityPeriodEndDate"]) == ("2026-11-01", "2026-11-01")
    assert (label["creditingPeriodStartDate"], label["creditingPeriodEndDate"]) == ("2021-01-01", "2025-12-31")
    project = wiring.cadt_for(platform).store(example.tenant.id).get(Kind.PROJECT, str(example.ids["project"]))
    assert project is not None
    assert project.status is Status.PUBLISHED


def test_a_new_authorization_version_republishes_a_project_marked_failed(
    platform: Platform, cadt_node: RunningStandIn
) -> None:
    example, authorization = authorized_example(platform, cadt_node.url)
    store = wiring.cadt_for(platform).store(example.tenant.id)
    project = store.get(Kind.PROJECT, str(example.ids["project"]))
    assert project is not None
    project.status, project.attempts, project.reason = Status.FAILED, 5, "refused by the node"  # five refusals
    store.save(project)
    (first,) = node_project(cadt_node)["labels"]
    terms = authorization_terms(example, version=2, timeframe=Timeframe(2021, 2030, valid_until=date(2030, 6, 30)))
    example.do(
        commands.RecordAuthorization(
            actor_id=ACTOR, reference="GHA-LoA-2024-7", terms=terms, authorization_id=authorization
        )
    )
    example.sync()
    (label,) = node_project(cadt_node)["labels"]
    assert label["label"] == "Article 6.2 authorization GHA-LoA-2024-7 (version 2; purposes NDC)"
    assert label["validityPeriodEndDate"] == "2030-06-30"
    assert label["id"] == first["id"]  # rewritten in place: the node never removes a label
    republished = store.get(Kind.PROJECT, str(example.ids["project"]))
    assert republished is not None
    assert (republished.status, republished.attempts) == (Status.PUBLISHED, 0)
