"""`registry tenants export` / `import` as an operator uses them: a round trip, and every refused input
printing one line, exiting 2 and writing nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gateway.bootstrap import Platform
from gateway.cli.main import main
from tests.conftest import TEST_SECRET, DatabaseUrls, settings_for, sqlite_urls


def registry(urls: DatabaseUrls, *args: str) -> Result:
    env = {"DATABASE_URL": urls.app, "DATABASE_OWNER_URL": urls.owner, "SECRET_KEY": TEST_SECRET}
    return CliRunner().invoke(main, list(args), env=env)


def tenant_codes(urls: DatabaseUrls) -> list[str]:
    platform = Platform.from_settings(settings_for(urls))
    try:
        return [t.code for t in platform.catalogue.list()]
    finally:
        platform.close()


@pytest.fixture
def source(tmp_path: Path) -> DatabaseUrls:
    urls = sqlite_urls(tmp_path / "source")
    created = registry(
        urls, "tenants", "create", "--code", "ghana", "--party", "GHA", "--registry-id", "GHA01", "--name", "Ghana"
    )
    assert created.exit_code == 0, created.output
    return urls


@pytest.fixture
def archive(source: DatabaseUrls, tmp_path: Path) -> Path:
    path = tmp_path / "ghana.jsonl"
    result = registry(source, "tenants", "export", "ghana", "-o", str(path))
    assert result.exit_code == 0, result.output
    return path


def test_export_then_import_into_another_database(archive: Path, tmp_path: Path) -> None:
    target = sqlite_urls(tmp_path / "target")

    result = registry(target, "tenants", "import", str(archive))

    assert result.exit_code == 0, result.output
    assert "imported tenant" in result.output
    assert tenant_codes(target) == ["ghana"]
    assert not Path(f"{archive}.partial").exists()


def wrong_version(text: str) -> str:
    header, *rows = text.splitlines()
    return "\n".join([json.dumps(json.loads(header) | {"version": 99}), *rows]) + "\n"


def corrupt_line(text: str) -> str:
    *lines, end = text.splitlines()
    return "\n".join([*lines, '{"table": "users", "row": ', end]) + "\n"


def binary(_text: str) -> bytes:
    return b"\xff\xfe\x00garbage"


@pytest.mark.parametrize(
    ("spoil", "says"),
    [
        (wrong_version, "not a tenant export of this version"),
        (corrupt_line, "is not JSON"),
        (binary, "is not UTF-8 text"),
    ],
)
def test_a_damaged_archive_is_refused_in_one_line(
    archive: Path, tmp_path: Path, spoil: Callable[[str], str | bytes], says: str
) -> None:
    target = sqlite_urls(tmp_path / "target")
    spoiled = spoil(archive.read_text(encoding="utf-8"))
    if isinstance(spoiled, bytes):
        archive.write_bytes(spoiled)
    else:
        archive.write_text(spoiled, encoding="utf-8")

    result = registry(target, "tenants", "import", str(archive))

    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert says in result.output
    assert tenant_codes(target) == []


def test_a_missing_archive_is_refused_in_one_line(tmp_path: Path) -> None:
    target = sqlite_urls(tmp_path / "target")

    result = registry(target, "tenants", "import", str(tmp_path / "nowhere.jsonl"))

    assert (result.exit_code, len(result.output.strip().splitlines())) == (2, 1), result.output
    assert "no archive file" in result.output
    assert tenant_codes(target) == []


def test_importing_a_tenant_that_exists_is_refused_in_one_line(source: DatabaseUrls, archive: Path) -> None:
    result = registry(source, "tenants", "import", str(archive))

    assert (result.exit_code, len(result.output.strip().splitlines())) == (2, 1), result.output
    assert "already exists" in result.output
    assert tenant_codes(source) == ["ghana"]


def test_an_export_into_a_missing_folder_writes_nothing(source: DatabaseUrls, tmp_path: Path) -> None:
    output = tmp_path / "no-such-folder" / "ghana.jsonl"

    result = registry(source, "tenants", "export", "ghana", "-o", str(output))

    assert (result.exit_code, len(result.output.strip().splitlines())) == (2, 1), result.output
    assert "does not exist" in result.output
    assert not output.parent.exists()


def test_a_dedicated_database_that_is_not_migrated_is_refused(source: DatabaseUrls, tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"

    result = registry(
        source,
        *("tenants", "create", "--code", "togo", "--party", "TGO", "--registry-id", "TGO01", "--name", "Togo"),
        *("--database-url", f"sqlite:///{empty}"),
    )

    assert (result.exit_code, len(result.output.strip().splitlines())) == (2, 1), result.output
    assert "registry db upgrade" in result.output
    assert tenant_codes(source) == ["ghana"]
