"""Console forms for ledger actions: a form's fields become the JSON body the API takes, loaded by the API's
own marshmallow schema; the command is built as the API builds it and runs through the same service layer."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema

from gateway.auth.principal import Role
from services.shared.messages import Command

INTEGER = re.compile(r"^-?\d+$")
DECIMAL = re.compile(r"^-?\d*\.\d+$")
# Longer digit strings stay text, which the schema refuses; int() would raise past 4300 digits.
MAX_INTEGER_CHARS = 20
UNITS_PREFIX = "units."


@dataclass(frozen=True)
class Field:
    """One form input. `kind`: text, number, date, textarea, json, list (comma-separated), select, account,
    transaction. Account fields list the accounts of `account_types`; `own` ones only those the person acts from."""

    name: str
    label: Any
    kind: str = "text"
    required: bool = True
    hint: Any = None
    choices: tuple[tuple[str, Any], ...] = ()
    account_types: tuple[str, ...] = ()
    own: bool = False
    typed_by_representatives: bool = False  # another organization's account: a representative types its id

    @property
    def dom_id(self) -> str:
        return "f-" + self.name.replace(".", "-").replace("_", "-")


@dataclass(frozen=True)
class Action:
    slug: str
    title: Any
    summary: Any
    roles: tuple[Role, ...]
    schema: type[Schema]
    fields: tuple[Field, ...]
    build: Callable[[dict[str, Any]], Command]
    records: bool = False  # answers a record (reference data, an account), not a transaction
    mfa: str | None = None
    group: str = "units"
    outcome: Callable[[Any], str] | None = None  # where to go after a record was saved

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


def body_from_form(action: Action, form: Mapping[str, str]) -> dict[str, Any]:
    """The JSON body the API would receive: empty inputs left out, numbers, lists and JSON converted."""
    body: dict[str, Any] = {}
    for spec in action.fields:
        raw = (form.get(spec.name) or "").strip()
        if not raw:
            continue
        value = _convert(spec.kind, raw)
        if spec.name.startswith(UNITS_PREFIX):
            body.setdefault("units", {})[spec.name.removeprefix(UNITS_PREFIX)] = value
        else:
            body[spec.name] = value
    return body


def _convert(kind: str, raw: str) -> Any:
    if kind == "number":
        if INTEGER.match(raw) and len(raw) <= MAX_INTEGER_CHARS:
            return int(raw)
        return float(raw) if DECIMAL.match(raw) else raw  # the schema or the ledger says what is wrong
    if kind == "list":
        return [part.strip().upper() for part in raw.split(",") if part.strip()]
    if kind == "json":
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    if kind == "boolean":
        return raw == "true"
    return raw


def schema_errors(messages: Any, prefix: str = "") -> dict[str, str]:
    """marshmallow's nested messages as one message per dotted field name."""
    found: dict[str, str] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}{key}"
            if isinstance(value, dict):
                found.update(schema_errors(value, f"{name}."))
            elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                found[name] = " ".join(value)
            else:
                found[name] = str(value)
    return found


def field_for(action: Action, name: str | None) -> str | None:
    """The form field a failed check names, if the form has it (unit filter fields live under `units.`)."""
    if not name:
        return None
    for candidate in (name, UNITS_PREFIX + name, name.removeprefix("unit_filter.")):
        if action.field(candidate) is not None:
            return candidate
    return None


@dataclass
class FormState:
    """What the template shows: the values entered, and errors by field (message and check code)."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, tuple[str, str]] = field(default_factory=dict)
    general: list[tuple[str, str]] = field(default_factory=list)

    def fail(self, action: Action, name: str | None, message: str, code: str) -> None:
        target = field_for(action, name)
        if target is None:
            self.general.append((message, code))
        else:
            self.errors.setdefault(target, (message, code))
