"""The log in the C2SP tlog-tiles layout: a tile client that trusts only a signed checkpoint rebuilds its root
from the served tiles, and every leaf in the entry bundles hashes to the level-0 tile."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st

from gateway.app import create_app
from gateway.bootstrap import Platform, platform_of
from services.shared.secret_box import AesGcmSecretBox
from services.transparency.domain.merkle import leaf_hash, node_hash, split_point
from services.transparency.domain.tiles import TILE_WIDTH, NoSuchTile, Tile, index_path, parse_tile, tile_path
from services.transparency.entrypoints.checkpoints import publish
from services.transparency.entrypoints.sequencer import catch_up
from tests.conftest import TEST_SECRET, DatabaseUrls, settings_for
from tests.integration.transparency.journal import append_records, leaf_of, new_registry


@pytest.fixture
def app(database_urls: DatabaseUrls) -> Iterator[Flask]:
    built = create_app(settings_for(database_urls))
    built.config.update(RATE_LIMIT_PER_CLIENT_PER_MINUTE=100_000, RATE_LIMIT_PER_TENANT_PER_MINUTE=100_000)
    yield built
    platform_of(built).close()


def fetch(client: FlaskClient, code: str, path: str) -> bytes:
    answer = client.get(f"/api/v1/registries/{code}/log/{path}")
    assert answer.status_code == 200, (path, answer.get_json())
    assert answer.mimetype == "application/octet-stream"
    return answer.get_data()


def fetch_text(client: FlaskClient, code: str, path: str) -> str:
    answer = client.get(f"/api/v1/registries/{code}/log/{path}")
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def hashes_at(client: FlaskClient, code: str, level: int, size: int) -> list[bytes]:
    """Every complete node at height 8 * level of a tree of `size` leaves, read from full and partial tiles."""
    count = size >> (8 * level)
    found: list[bytes] = []
    for index in range(-(-count // TILE_WIDTH)):
        width = min(TILE_WIDTH, count - index * TILE_WIDTH)
        data = fetch(client, code, tile_path(Tile(level, index, width)))
        found += [data[i : i + 32] for i in range(0, len(data), 32)]
    return found


def root_from_tiles(client: FlaskClient, code: str, size: int) -> bytes:
    """RFC 9162's MTH, each complete 2**(8L) subtree taken from the level-L tiles, the rest hashed up."""
    leaves = hashes_at(client, code, 0, size)

    def mth(start: int, end: int) -> bytes:
        if end - start == 1:
            return leaves[start]
        k = split_point(end - start)
        return node_hash(mth(start, start + k), mth(start + k, end))

    root = mth(0, size)
    if size >= 256:  # the level-1 tiles hold the same subtrees of 256 leaves
        for position, stored in enumerate(hashes_at(client, code, 1, size)):
            assert stored == mth(position * 256, (position + 1) * 256)
    return root


def entries(bundle: bytes) -> list[bytes]:
    found, at = [], 0
    while at < len(bundle):
        length = int.from_bytes(bundle[at : at + 2], "big")
        found.append(bundle[at + 2 : at + 2 + length])
        at += 2 + length
    return found


def test_a_tile_client_rebuilds_the_signed_root_and_every_leaf(app: Flask) -> None:
    platform: Platform = platform_of(app)
    tenant_id = new_registry(platform)
    records = append_records(platform, tenant_id, 600)
    catch_up(platform.database, tenant_id)
    tenant = next(t for t in platform.catalogue.list() if t.id == tenant_id)
    publish(platform.database, tenant_id, tenant.registry_id, AesGcmSecretBox(TEST_SECRET), platform.clock)
    client = app.test_client()
    _origin, size, root_line = fetch_text(client, tenant.code, "checkpoint").split("\n")[:3]

    root = root_from_tiles(client, tenant.code, 600)
    bundles = [fetch(client, tenant.code, tile_path(Tile(None, i, w))) for i, w in ((0, 256), (1, 256), (2, 88))]
    leaves = [leaf for bundle in bundles for leaf in entries(bundle)]

    assert (int(size), base64.b64decode(root_line)) == (600, root)
    assert [leaf_hash(leaf) for leaf in leaves] == [leaf_of(r) for r in records]
    assert fetch(client, tenant.code, "tile/0/000") == fetch(client, tenant.code, "tile/0/000")
    answer = client.get(f"/api/v1/registries/{tenant.code}/log/tile/0/001")
    assert "immutable" in answer.headers["Cache-Control"]


MISSING = [
    "tile/0/002",  # only 88 of its 256 hashes exist
    "tile/0/002.p/89",
    "tile/1/000",
    "tile/1/000.p/3",
    "tile/entries/003.p/1",
    "tile/0/2",
    "tile/0/x000/002",
    "tile/0/002.p/0",
    "tile/0/002.p/256",
    "tile/8/000",
    "tile/01/000",
    "tile/-1/000",
    "tile/0/00a",
    "tile/0/002.p/08",
    "tile/entries/",
]


def test_a_tile_the_tree_does_not_have_is_a_404_problem(app: Flask) -> None:
    platform: Platform = platform_of(app)
    tenant_id = new_registry(platform)
    append_records(platform, tenant_id, 600)
    catch_up(platform.database, tenant_id)
    code = next(t.code for t in platform.catalogue.list() if t.id == tenant_id)

    for path in MISSING:
        answer: Any = app.test_client().get(f"/api/v1/registries/{code}/log/{path}")

        assert answer.status_code == 404, path
        assert answer.mimetype == "application/problem+json"
        assert answer.get_json()["code"] in {"transparency.no_such_tile", "resource.not_found"}


@given(st.integers(min_value=0, max_value=10**15), st.integers(min_value=1, max_value=TILE_WIDTH))
def test_a_tile_path_names_its_tile_and_no_other(index: int, width: int) -> None:
    for level in (None, 0, 7):
        tile = Tile(level, index, width)
        kind, rest = tile_path(tile).removeprefix("tile/").split("/", 1)
        assert parse_tile(kind, rest) == tile
    assert index_path(1234067) == "x001/x234/067"


@given(st.text(max_size=30))
def test_any_other_path_is_refused(path: str) -> None:
    try:
        tile = parse_tile("0", path)
    except NoSuchTile:
        return
    assert tile_path(tile) == f"tile/0/{path}"
