"""What every operator page needs: the platform, a tenant by code (or a 404 page), and the status labels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from gateway.bootstrap import Platform, current_platform
from gateway.errors import Problem
from tenants.domain.model import Tenant, TenantStatus

STATUS_LABELS = {
    TenantStatus.ACTIVE: _l("active"),
    TenantStatus.SUSPENDED: _l("suspended"),
    TenantStatus.ARCHIVED: _l("archived"),
    TenantStatus.PROVISIONING: _l("provisioning"),
}


def platform() -> Platform:
    found: Platform = current_platform()
    return found


def tenant_or_404(code: str) -> Tenant:
    tenant = platform().catalogue.find(code)
    if tenant is None:
        raise Problem(404, "resource.not_found", f"no registry {code!r}: pick one from the list of registries")
    return tenant


def console_login_url(base: str, code: str) -> str:
    return f"{base}/registries/{code}/console/login"
