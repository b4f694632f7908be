"""The needs assessment: a versioned questionnaire as data, and the gap report its answers produce.

Every option of a question says what the platform makes of it: `covered` (a setting covers it, or
nothing needs setting), `to_choose` (a setting the country still has to choose before deployment) or
`gap` (the platform does not cover it). A question may name the registry setting its answer becomes.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.onboarding.domain.errors import InvalidAnswer, InvalidScript
from services.onboarding.domain.scripts import LANGUAGES


class Finding(enum.StrEnum):
    COVERED = "covered"
    TO_CHOOSE = "to_choose"
    GAP = "gap"


class Kind(enum.StrEnum):
    CHOICE = "choice"  # one option
    CHOICES = "choices"  # any number of options
    TEXT = "text"  # free text, taken as the setting's value
    YEAR = "year"  # a calendar year, taken as the setting's value


@dataclass(frozen=True)
class Option:
    value: str
    labels: Mapping[str, str]
    finding: Finding
    notes: Mapping[str, str]


@dataclass(frozen=True)
class Question:
    id: str
    topic: str
    kind: Kind
    texts: Mapping[str, str]
    options: tuple[Option, ...] = ()
    setting: str | None = None  # dotted path of the tenant setting the answer becomes, when covered
    notes: Mapping[str, str] | None = None  # what a TEXT or YEAR answer is covered by

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Questionnaire:
    version: int
    questions: tuple[Question, ...]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass(frozen=True)
class GapLine:
    question: Question
    answer: str
    finding: Finding
    setting: str | None
    note: Mapping[str, str]


def check_answer(question: Question, answer: Any) -> Any:
    """The answer as kept, or InvalidAnswer saying what the question accepts."""
    if question.kind is Kind.CHOICE:
        if not isinstance(answer, str) or question.option(answer) is None:
            raise InvalidAnswer(f"{question.id}: answer one of {', '.join(o.value for o in question.options)}")
        return answer
    if question.kind is Kind.CHOICES:
        if not isinstance(answer, list) or not answer or any(question.option(str(a)) is None for a in answer):
            raise InvalidAnswer(
                f"{question.id}: answer a non-empty list of {', '.join(o.value for o in question.options)}"
            )
        return sorted(set(map(str, answer)), key=[o.value for o in question.options].index)
    if question.kind is Kind.YEAR:
        if isinstance(answer, bool) or not isinstance(answer, int) or not 2020 <= answer <= 2100:
            raise InvalidAnswer(f"{question.id}: answer a calendar year between 2020 and 2100")
        return answer
    if not isinstance(answer, str) or not answer.strip() or len(answer) > 2000:
        raise InvalidAnswer(f"{question.id}: answer a text of 1 to 2000 characters")
    return answer.strip()


def gap_report(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> list[GapLine]:
    """One line per chosen option (or text answer), in the questionnaire's order; unanswered questions are
    settings still to choose."""
    lines: list[GapLine] = []
    for question in questionnaire.questions:
        answer = answers.get(question.id)
        if answer is None:
            lines.append(GapLine(question, "", Finding.TO_CHOOSE, question.setting, _UNANSWERED))
        elif question.kind in (Kind.TEXT, Kind.YEAR):
            lines.append(GapLine(question, str(answer), Finding.COVERED, question.setting, question.notes or {}))
        else:
            for value in answer if isinstance(answer, list) else [answer]:
                option = question.option(value)
                if option is not None:
                    setting = question.setting if option.finding is not Finding.GAP else None
                    lines.append(GapLine(question, value, option.finding, setting, option.notes))
    return lines


def assessed_settings(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The registry settings the covered answers become (nested by the settings' dotted paths)."""
    settings: dict[str, Any] = {}
    for question in questionnaire.questions:
        if question.setting is None or question.id not in answers:
            continue
        value = _setting_value(question, answers[question.id])
        if value is not None:
            _put(settings, question.setting, value)
    return settings


def unanswered(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> list[str]:
    return [q.id for q in questionnaire.questions if q.id not in answers]


def _setting_value(question: Question, answer: Any) -> Any:
    if question.kind is Kind.CHOICES:
        covered = [v for v in answer if (o := question.option(v)) is not None and o.finding is Finding.COVERED]
        return covered or None
    if question.kind is Kind.CHOICE:
        option = question.option(answer)
        return answer if option is not None and option.finding is Finding.COVERED else None
    return answer


def _put(settings: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for name in parents:
        settings = settings.setdefault(name, {})
    settings[last] = value


_UNANSWERED = {
    "en": "Not answered yet.",
    "fr": "Pas encore de réponse.",
    "es": "Sin respuesta todavía.",
}


def parse_questionnaire(document: Mapping[str, Any]) -> Questionnaire:
    try:
        questions = tuple(_parse_question(raw) for raw in document["questions"])
        return Questionnaire(int(document["version"]), questions)
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidScript(f"questionnaire: {error}") from error


def _parse_question(raw: Mapping[str, Any]) -> Question:
    options = tuple(
        Option(str(o["value"]), _texts(o["label"]), Finding(o["finding"]), _texts(o["note"]))
        for o in raw.get("options", ())
    )
    return Question(
        id=str(raw["id"]),
        topic=str(raw["topic"]),
        kind=Kind(raw["kind"]),
        texts=_texts(raw["text"]),
        options=options,
        setting=raw.get("setting"),
        notes=_texts(raw["note"]) if "note" in raw else None,
    )


def _texts(raw: Mapping[str, str]) -> Mapping[str, str]:
    missing = [language for language in LANGUAGES if not str(raw.get(language, "")).strip()]
    if missing:
        raise ValueError(f"{raw.get('en')!r} lacks {', '.join(missing)}")
    return {language: str(raw[language]).strip() for language in LANGUAGES}
