"""Every compiled catalog (.mo) says what its source (.po) says: nobody forgot `pybabel compile`."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
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


AREAS_WITH_SOURCES = ("public", "console", "operator")  # areas whose strings live in gateway/web/<area>/
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
METHODS = [("**.py", "python"), ("**.html", "jinja2")]


@pytest.mark.parametrize("area", AREAS_WITH_SOURCES)
@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_string_of_the_pages_has_a_translation(area: str, language: str) -> None:
    folder = TRANSLATIONS.parent / area
    used = {message[2] for message in extract_from_dir(folder, METHODS, keywords=KEYWORDS)}
    wanted = {text if isinstance(text, str) else text[0] for text in used}
    with (TRANSLATIONS / area / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        translated = {_first(m.id) for m in read_po(po) if m.id and m.string and not m.fuzzy}
    missing = sorted(wanted - translated)
    assert not missing, f"{area}/{language} lacks translations, see docs/web.md (Languages): {missing}"


def _first(value: object) -> object:
    return value[0] if isinstance(value, list | tuple) else value
