"""The routes out of a training registry, closed at the HTTP edge with one problem code."""

from __future__ import annotations

from gateway.errors import Problem
from tenants.domain.model import Tenant

ROUTE_CLOSED = "training.route_closed"


def same_side(one: Tenant, other: Tenant | None) -> bool:
    """Whether two registries may deal with each other: training only with training. `other` None is a
    registry outside the platform, which is never a training one."""
    return one.is_training == (other is not None and other.is_training)


def refuse_for_training(tenant: Tenant, route: str) -> None:
    """A training registry never sends to, nor takes from, anything outside training: refuse `route`."""
    if tenant.is_training:
        raise Problem(
            409,
            ROUTE_CLOSED,
            f"{tenant.code} is a training registry: {route} is closed to it, so that nothing of its fictional "
            "data leaves training and nothing real enters it",
        )
