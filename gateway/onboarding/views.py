"""How the journey's answers look on the wire: plain dictionaries for the API and the pages alike."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.onboarding.domain.feedback import Feedback
from services.onboarding.domain.promotion import Promotion, SettingChange
from services.onboarding.domain.questionnaire import GapLine, Questionnaire
from services.onboarding.domain.scripts import ScriptProgress, ScriptRole


def checklist(progress: ScriptProgress, language: str) -> dict[str, Any]:
    current = progress.current
    return {
        "role": progress.script.role.value,
        "title": progress.script.title(language),
        "done": progress.done,
        "total": progress.total,
        "current_step": current.id if current else None,
        "steps": [
            {
                "id": s.step.id,
                "function": s.step.function,
                "page": s.step.page,
                "title": s.step.title(language),
                "instructions": s.step.instruction(language),
                "expected_event": s.step.expected.event_type,
                "done": s.done,
            }
            for s in progress.steps
        ],
    }


def roles_progress(progress: Mapping[ScriptRole, ScriptProgress]) -> dict[str, dict[str, int]]:
    return {role.value: {"done": p.done, "total": p.total} for role, p in progress.items()}


def feedback(entry: Feedback) -> dict[str, Any]:
    return {
        "id": entry.id,
        "page": entry.page,
        "step_id": entry.step_id,
        "function": entry.function,
        "text": entry.text,
        "author": entry.author,
        "created_at": entry.created_at,
        "resolved_at": entry.resolved_at,
        "open": entry.is_open,
    }


def gap_lines(lines: list[GapLine], language: str) -> list[dict[str, Any]]:
    return [
        {
            "question": line.question.id,
            "topic": line.question.topic,
            "text": line.question.texts[language],
            "answer": line.answer,
            "finding": line.finding.value,
            "setting": line.setting,
            "note": line.note.get(language, ""),
        }
        for line in lines
    ]


def questions(questionnaire: Questionnaire, answers: Mapping[str, Any], language: str) -> list[dict[str, Any]]:
    return [
        {
            "id": q.id,
            "topic": q.topic,
            "kind": q.kind.value,
            "text": q.texts[language],
            "options": [{"value": o.value, "label": o.labels[language]} for o in q.options],
            "answer": answers.get(q.id),
        }
        for q in questionnaire.questions
    ]


def promotion(found: Promotion, changes: list[SettingChange]) -> dict[str, Any]:
    return {
        "id": found.id,
        "status": found.status.value,
        "identity": vars(found.identity),
        "administrators": [vars(a) for a in found.administrators],
        "settings": found.settings,
        "diff": [{"name": c.name, "training": c.training, "production": c.production} for c in changes],
        "requested_by": found.requested_by,
        "requested_at": found.requested_at,
        "decided_by": found.decided_by,
        "decided_at": found.decided_at,
        "production_tenant_id": found.production_tenant_id,
    }
