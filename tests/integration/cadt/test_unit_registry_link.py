"""The `unitRegistryLink` sent to CAD Trust opens the block's public page, before and after the block changed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gateway.app import create_app
from gateway.bootstrap import cadt as wiring
from gateway.bootstrap import platform_of
from services.cadt.service_layer.publisher import PublishPolicy
from tests.cadt_standin.fixtures import RunningStandIn
from tests.conftest import DatabaseUrls, settings_for
from tests.integration.cadt.scenario import Example, issue, move, reference_data


@pytest.fixture(autouse=True)
def quick_policy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(wiring, "POLICY", PublishPolicy(poll_interval_s=0, backoff_s=0))
    return


@pytest.fixture
def app(database_urls: DatabaseUrls) -> Iterator[Flask]:
    built = create_app(settings_for(database_urls))
    yield built
    platform_of(built).close()


def page(http: FlaskClient, link: str) -> str:
    """Follow the link as a browser would: its path and query on this gateway."""
    parts = urlsplit(link)
    answer = http.get(f"{parts.path}?{parts.query}" if parts.query else parts.path)
    assert answer.status_code == 200, link
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer.get_data(as_text=True)))


def links(example: Example, node: RunningStandIn) -> dict[str, str]:
    return {u["unitBlockStart"]: u["unitRegistryLink"] for u in node.node.units.values()}


def test_every_link_sent_opens_the_block_page_even_after_a_split_and_a_retirement(
    app: Flask, cadt_node: RunningStandIn
) -> None:
    example = reference_data(platform_of(app))
    code, party = example.tenant.code, example.tenant.party
    example.connect(cadt_node.url, public_base_url=f"http://localhost/registries/{code}")
    issue(example)
    example.sync()
    issued = links(example, cadt_node)
    move(example)  # 400 of the first issuance to the holding account, 100 of them retired
    example.sync()
    http = app.test_client()

    def itmo(serial: int) -> str:
        return f"CA0001-{party}01-{party}-{serial}-2023"

    now = links(example, cadt_node)
    assert set(now) == {itmo(1), itmo(601), itmo(901), f"CA0001-{party}01-{party}-1001-2024"}
    for start, link in now.items():
        assert urlsplit(link).path.startswith(f"/registries/{code}/units/")
        assert start in page(http, link)
    retired = page(http, now[itmo(901)])
    assert all(fact in retired for fact in ("retired", "Retirement", itmo(1000)))
    split = page(http, issued[itmo(1)])  # sent before the split: the block kept units 1 to 600
    assert f"{itmo(1)} \N{EN DASH} {itmo(600)}" in split
    assert "Blocks split from this block" in split
    assert all(itmo(serial) in split for serial in (601, 901))
    path = urlsplit(issued[itmo(1)]).path
    assert "Blocs détachés de ce bloc" in page(http, f"{path}?lang=fr")
    assert "Bloques separados de este bloque" in page(http, f"{path}?lang=es")


def test_an_unknown_block_is_a_404_page(app: Flask) -> None:
    example = reference_data(platform_of(app))
    answer = app.test_client().get(f"/registries/{example.tenant.code}/units/00000000-0000-7000-8000-000000000000")
    assert answer.status_code == 404
    assert answer.mimetype == "text/html"
