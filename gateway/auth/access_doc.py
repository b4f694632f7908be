"""docs/access.md: the table of endpoint x role, generated from the access rules in the code."""

from __future__ import annotations

import re

from flask import Flask

from gateway.auth.access import AccessRule, routes
from services.identity.domain.roles import Role

_CONVERTER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
_SKIPPED = ("/static/", "/api/v1/docs")
HEADER = """# Access: endpoint x role

Generated from the `@requires(...)` declarations by `registry auth access-table > docs/access.md`;
a test fails when this file and the code disagree. ✓ allowed, · refused (403), MFA: a second factor is
needed when the registry's `mfa_required_for` lists the key. Operators never reach a registry's private
data: their tokens answer 404 on registry routes. Routes without a declaration are read-only and public.
"""


def access_table(app: Flask) -> str:
    roles = list(Role)
    lines = [HEADER, "| Method | Path | anonymous | " + " | ".join(r.value for r in roles) + " | MFA |"]
    lines.append("|---" * (len(roles) + 4) + "|")
    rows = sorted({(_path(path), method, rule) for path, method, rule in routes(app) if not _skipped(path)}, key=_key)
    for path, method, rule in rows:
        cells = [_cell(rule, None), *(_cell(rule, role) for role in roles)]
        lines.append(f"| {method} | `{path}` | " + " | ".join(cells) + f" | {rule.mfa if rule and rule.mfa else ''} |")
    return "\n".join(lines) + "\n"


def _key(row: tuple[str, str, AccessRule | None]) -> tuple[str, str]:
    return row[0], row[1]


def _path(rule: str) -> str:
    return _CONVERTER.sub(r"{\1}", rule)


def _skipped(path: str) -> bool:
    return any(path.startswith(prefix) for prefix in _SKIPPED)


def _cell(rule: AccessRule | None, role: Role | None) -> str:
    if rule is None or rule.public:
        return "✓"
    if role is None:
        return "·"
    return "✓" if not rule.roles or role in rule.roles else "·"
