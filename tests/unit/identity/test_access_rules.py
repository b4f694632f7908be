"""Every mutating route must declare who may call it; the access table in the docs follows the code."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from gateway.app import create_app
from gateway.auth.access import check_protected, requires, unprotected_mutations
from gateway.auth.access_doc import access_table
from gateway.auth.principal import Principal, Role
from tests.conftest import settings_for, sqlite_urls

DOCS = Path(__file__).parents[3] / "docs" / "access.md"


def test_an_unguarded_mutating_route_stops_the_app_from_being_built() -> None:
    app = Flask(__name__)
    app.add_url_rule("/things", "things", lambda: "", methods=["POST"])
    app.add_url_rule("/guarded", "guarded", requires(Role.AUDITOR)(lambda: ""), methods=["POST"])
    assert unprotected_mutations(app) == ["POST /things"]
    with pytest.raises(RuntimeError, match="POST /things"):
        check_protected(app)


def test_an_unknown_mfa_key_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="mfa must be one of"):
        requires(Role.APPROVER, mfa="sometimes")


def test_has_any() -> None:
    principal = Principal("s", None, frozenset({Role.AUDITOR}))
    assert principal.has_any(Role.APPROVER, Role.AUDITOR)
    assert not principal.has_any(Role.APPROVER)


def test_docs_access_table_is_generated_from_the_code(tmp_path: Path) -> None:
    app = create_app(settings_for(sqlite_urls(tmp_path)))
    expected = access_table(app)
    assert DOCS.read_text(encoding="utf-8") == expected, (
        "docs/access.md is out of date: run 'registry auth access-table > docs/access.md'"
    )
