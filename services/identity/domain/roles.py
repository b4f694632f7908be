"""Roles a principal can hold. A tenant role is held inside one registry; the operator role outside all."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    PLATFORM_OPERATOR = "platform_operator"
    REGISTRY_ADMIN = "registry_admin"
    AUTHORIZING_OFFICER = "authorizing_officer"
    ACCOUNT_REPRESENTATIVE = "account_representative"
    APPROVER = "approver"
    AUDITOR = "auditor"


TENANT_ROLES = frozenset(Role) - {Role.PLATFORM_OPERATOR}


def parse_roles(values: object) -> frozenset[Role]:
    """Roles from stored or claimed values; unknown values are dropped, never guessed."""
    if not isinstance(values, list | tuple | set | frozenset):
        return frozenset()
    known = {r.value for r in Role}
    return frozenset(Role(v) for v in values if isinstance(v, str) and v in known)
