"""The operator's incident switch on a registry's page: freeze every transfer abroad with a reason, lift it."""

from __future__ import annotations

from typing import Any

from tests.conftest import new_tenant_command
from tests.integration.web.operator.conftest import Operator


def _frozen(operator: Operator, code: str) -> Any:
    return operator.platform.catalogue.get(code).settings.get("transfers_abroad_frozen")


def test_the_operator_freezes_transfers_abroad_and_lifts_the_freeze(operator: Operator) -> None:
    code = operator.platform.catalogue.create(new_tenant_command()).code
    page = operator.http.get(f"/operator/tenants/{code}").get_data(as_text=True)
    assert "Transfers abroad run." in page
    answer: Any = operator.post(f"/operator/tenants/{code}/transfers-abroad/freeze", {"reason": "stolen sessions"})
    assert answer.status_code == 303
    assert _frozen(operator, code)["reason"] == "stolen sessions"
    frozen = operator.http.get(f"/operator/tenants/{code}").get_data(as_text=True)
    assert "stolen sessions" in frozen
    assert f'action="/operator/tenants/{code}/transfers-abroad/unfreeze"' in frozen
    assert operator.post(f"/operator/tenants/{code}/transfers-abroad/unfreeze").status_code == 303  # type: ignore[attr-defined]
    assert _frozen(operator, code) is None


def test_a_freeze_without_a_reason_is_refused_on_the_page_and_changes_nothing(operator: Operator) -> None:
    code = operator.platform.catalogue.create(new_tenant_command()).code
    answer: Any = operator.post(f"/operator/tenants/{code}/transfers-abroad/freeze", {"reason": "  "})
    assert answer.status_code == 422
    assert "say why transfers abroad are frozen" in answer.get_data(as_text=True)
    assert _frozen(operator, code) is None
