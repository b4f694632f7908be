"""Every compiled catalog (.mo) says what its source (.po) says: nobody forgot `pybabel compile`."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[3] / "gateway" / "web" / "translations"
SOURCES = sorted(TRANSLATIONS.glob("*/*/LC_MESSAGES/messages.po"))


def entries(catalog: object) -> dict[object, object]:
    """id -> translation; plural forms come as lists from one reader and tuples from the other."""
    return {_plain(m.id): _plain(m.string) for m in catalog if m.id and m.string and not m.fuzzy}  # type: ignore[attr-defined]


def _plain(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value


def test_there_are_catalogs_for_french_and_spanish() -> None:
    found = {path.parts[-3] for path in SOURCES}
    assert {"fr", "es"} <= found


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: "/".join(p.parts[-4:-2]))
def test_the_compiled_catalog_matches_its_source(source: Path) -> None:
    compiled = source.with_suffix(".mo")
    assert compiled.exists(), f"run: .venv/bin/pybabel compile -d {source.parents[2]}"
    with source.open("rb") as po, compiled.open("rb") as mo:
        expected, actual = entries(read_po(po)), entries(read_mo(mo))
    assert actual == expected, f"{compiled} is stale: run .venv/bin/pybabel compile -d {source.parents[2]}"
