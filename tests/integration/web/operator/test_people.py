"""Operators disable, re-enable and reset registries' administrators and each other from the console."""

from __future__ import annotations

from typing import Any

from gateway.auth.principal import Role
from tests.conftest import new_tenant_command
from tests.factories.auth import ensure_user
from tests.integration.web.operator.conftest import Operator


def test_an_operator_disables_and_resets_an_administrator(operator: Operator) -> None:
    tenant = operator.platform.catalogue.create(new_tenant_command())
    admin = ensure_user(operator.app, tenant.code, [Role.REGISTRY_ADMIN], mfa=True)
    holder = ensure_user(operator.app, tenant.code, [Role.AUDITOR])
    page = operator.http.get(f"/operator/tenants/{tenant.code}").get_data(as_text=True)
    base = f"/operator/tenants/{tenant.code}/administrators"
    assert f'action="{base}/{admin.id}/disable"' in page
    assert holder.username not in page
    answer: Any = operator.post(f"{base}/{admin.id}/mfa-reset")
    assert answer.status_code == 303
    operator.post(f"{base}/{admin.id}/disable")
    with operator.platform.identity.uow(tenant.id) as uow:
        stored = uow.users.get(admin.id)
        assert stored is not None
        assert (stored.disabled, stored.mfa_enabled) == (True, False)
    page = operator.http.get(f"/operator/tenants/{tenant.code}").get_data(as_text=True)
    assert f"{admin.username} is disabled." in page
    not_an_admin: Any = operator.post(f"{base}/{holder.id}/disable")
    assert not_an_admin.status_code == 404


def test_operators_disable_each_other_but_not_themselves(operator: Operator) -> None:
    other = ensure_user(operator.app, None, [])
    page = operator.http.get("/operator/operators").get_data(as_text=True)
    assert f'action="/operator/operators/{other.id}/disable"' in page
    operator.post(f"/operator/operators/{other.id}/disable")
    with operator.platform.identity.uow(None) as uow:
        mine = [o for o in uow.operators.list() if o.id != other.id and not o.disabled]
        assert uow.operators.get(other.id).disabled  # type: ignore[union-attr]
    me = next(o for o in mine if f'action="/operator/operators/{o.id}/disable"' not in page)
    operator.post(f"/operator/operators/{me.id}/disable")
    page = operator.http.get("/operator/operators").get_data(as_text=True)
    assert "cannot disable your own account" in page
