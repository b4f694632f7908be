"""Suspend, resume, archive (after a confirmation page) and export from a registry's page."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import new_tenant_command
from tests.integration.web.operator.conftest import Operator


def _status(operator: Operator, code: str) -> str:
    return operator.platform.catalogue.get(code).status.value


def test_suspend_resume_and_archive_through_the_confirmation_page(operator: Operator) -> None:
    code = operator.platform.catalogue.create(new_tenant_command()).code
    answer: Any = operator.post(f"/operator/tenants/{code}/suspend")
    assert answer.status_code == 303
    assert answer.headers["Location"] == f"/operator/tenants/{code}"
    assert _status(operator, code) == "suspended"
    page = operator.http.get(f"/operator/tenants/{code}").get_data(as_text=True)
    assert f"Registry {code} is now suspended." in page
    assert f'action="/operator/tenants/{code}/resume"' in page
    assert operator.post(f"/operator/tenants/{code}/resume").status_code == 303  # type: ignore[attr-defined]
    assert _status(operator, code) == "active"
    operator.post(f"/operator/tenants/{code}/suspend")
    confirm = operator.http.get(f"/operator/tenants/{code}/archive")
    assert confirm.status_code == 200
    assert f"Yes, archive {code}" in confirm.get_data(as_text=True)
    assert _status(operator, code) == "suspended"  # opening the confirmation changes nothing
    assert operator.post(f"/operator/tenants/{code}/archive").status_code == 303  # type: ignore[attr-defined]
    assert _status(operator, code) == "archived"
    assert "status-archived" in operator.http.get(f"/operator/tenants/{code}").get_data(as_text=True)


def test_a_move_the_lifecycle_forbids_is_shown_on_the_page_and_changes_nothing(operator: Operator) -> None:
    code = operator.platform.catalogue.create(new_tenant_command()).code
    answer: Any = operator.post(f"/operator/tenants/{code}/archive")
    assert answer.status_code == 409
    assert "archive needs it to be" in answer.get_data(as_text=True)
    assert _status(operator, code) == "active"


def test_a_post_without_the_csrf_token_is_refused(operator: Operator) -> None:
    code = operator.platform.catalogue.create(new_tenant_command()).code
    answer: Any = operator.post(f"/operator/tenants/{code}/suspend", csrf=False)
    assert answer.status_code == 403
    assert _status(operator, code) == "active"
    forged: Any = operator.http.post(f"/operator/tenants/{code}/suspend", data={"csrf_token": "forged"})
    assert forged.status_code == 403
    assert _status(operator, code) == "active"


def test_export_downloads_the_registry_archive(operator: Operator) -> None:
    tenant = operator.platform.catalogue.create(new_tenant_command())
    answer = operator.http.get(f"/operator/tenants/{tenant.code}/export")
    assert answer.status_code == 200
    assert answer.mimetype == "application/x-ndjson"
    assert answer.headers["Content-Disposition"] == f'attachment; filename="{tenant.code}.jsonl"'
    lines = answer.get_data(as_text=True).splitlines()
    assert str(tenant.id) in lines[0]
    assert all(json.loads(line) is not None for line in lines)
