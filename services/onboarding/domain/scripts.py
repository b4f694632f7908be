"""Guided test scripts: per role, steps whose expected result is an event of the registry's own log.

A step is done when the registry's event log holds an event of the step's type whose payload the step's
predicate (a JSON Schema) accepts. Nothing a participant says counts: only what the registry recorded.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from services.onboarding.domain.errors import InvalidScript

LANGUAGES = ("en", "fr", "es")


class ScriptRole(enum.StrEnum):
    ADMINISTRATOR = "administrator"
    AUTHORIZING_OFFICER = "authorizing_officer"
    APPROVER = "approver"
    ACCOUNT_HOLDER = "account_holder"
    AUDITOR = "auditor"


@dataclass(frozen=True)
class LoggedEvent:
    """One entry of a registry's event log, as the scripts see it."""

    event_type: str
    payload: Mapping[str, Any]
    occurred_at: datetime | None = None


@dataclass(frozen=True)
class Expected:
    event_type: str
    payload_schema: Mapping[str, Any]

    def met_by(self, event: LoggedEvent) -> bool:
        return event.event_type == self.event_type and Draft202012Validator(self.payload_schema).is_valid(event.payload)


@dataclass(frozen=True)
class Step:
    id: str
    function: str  # the registry function the step exercises; feedback is grouped by it
    page: str  # the console page to open, relative to the registry's console
    titles: Mapping[str, str]
    instructions: Mapping[str, str]
    expected: Expected

    def title(self, language: str) -> str:
        return self.titles.get(language) or self.titles["en"]

    def instruction(self, language: str) -> str:
        return self.instructions.get(language) or self.instructions["en"]


@dataclass(frozen=True)
class Script:
    role: ScriptRole
    titles: Mapping[str, str]
    steps: tuple[Step, ...]

    def title(self, language: str) -> str:
        return self.titles.get(language) or self.titles["en"]

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)


@dataclass(frozen=True)
class StepProgress:
    step: Step
    done: bool


@dataclass(frozen=True)
class ScriptProgress:
    script: Script
    steps: tuple[StepProgress, ...]

    @property
    def done(self) -> int:
        return sum(1 for s in self.steps if s.done)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def current(self) -> Step | None:
        """The first step not done yet: the one whose instructions the checklist shows."""
        return next((s.step for s in self.steps if not s.done), None)


def progress(script: Script, events: Iterable[LoggedEvent]) -> ScriptProgress:
    logged = list(events)
    return ScriptProgress(
        script, tuple(StepProgress(step, any(step.expected.met_by(e) for e in logged)) for step in script.steps)
    )


def parse_script(document: Mapping[str, Any]) -> Script:
    try:
        role = ScriptRole(document["role"])
        steps = tuple(_parse_step(raw) for raw in document["steps"])
        script = Script(role, _texts(document["title"], "title"), steps)
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidScript(f"script {document.get('role')!r}: {error}") from error
    _unique_ids(script.steps, script.role)
    return script


def _parse_step(raw: Mapping[str, Any]) -> Step:
    expect = raw["expect"]
    schema = dict(expect.get("payload", {}))
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        raise InvalidScript(
            f"step {raw['id']!r}: the payload predicate is not a JSON Schema: {error.message}"
        ) from error
    return Step(
        id=str(raw["id"]),
        function=str(raw["function"]),
        page=str(raw["page"]),
        titles=_texts(raw["title"], f"step {raw['id']} title"),
        instructions=_texts(raw["instructions"], f"step {raw['id']} instructions"),
        expected=Expected(str(expect["event"]), schema),
    )


def _texts(raw: Mapping[str, str], what: str) -> Mapping[str, str]:
    missing = [language for language in LANGUAGES if not str(raw.get(language, "")).strip()]
    if missing:
        raise ValueError(f"{what} lacks {', '.join(missing)}")
    return {language: str(raw[language]).strip() for language in LANGUAGES}


def _unique_ids(steps: Sequence[Step], role: ScriptRole) -> None:
    ids = [s.id for s in steps]
    doubled = sorted({i for i in ids if ids.count(i) > 1})
    if doubled:
        raise InvalidScript(f"script {role.value!r} names steps twice: {', '.join(doubled)}")
