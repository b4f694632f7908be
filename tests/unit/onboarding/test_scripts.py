"""The scripts as data: every role, every action, three languages, steps ticked only by matching events."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.onboarding.adapters.files import scripts
from services.onboarding.domain.errors import InvalidScript
from services.onboarding.domain.scripts import LANGUAGES, LoggedEvent, ScriptRole, parse_script, progress

NOW = datetime(2026, 12, 7, tzinfo=UTC)
EVERY_ACTION = {
    "issuance",
    "authorization",
    "first_transfer",
    "transfer",
    "acquisition",
    "use",
    "cancellation",
    "retirement",
    "approvals",
    "aef_report",
    "exports",
}


def completed(transaction_type: str) -> LoggedEvent:
    return LoggedEvent("ledger.transaction.completed", {"transaction_type": transaction_type}, NOW)


def test_there_is_a_script_per_role_in_three_languages() -> None:
    found = scripts()
    assert set(found) == set(ScriptRole)
    for script in found.values():
        for step in script.steps:
            assert all(step.title(lang) and step.instruction(lang) for lang in LANGUAGES)
            assert step.title("fr") != step.title("en") or step.title("es") != step.title("en")


def test_the_scripts_cover_every_action() -> None:
    functions = {step.function for script in scripts().values() for step in script.steps}
    assert functions >= EVERY_ACTION
    expected = {step.expected.event_type for script in scripts().values() for step in script.steps}
    payloads = [s.expected.payload_schema for script in scripts().values() for s in script.steps]
    types = {
        p["properties"]["transaction_type"]["const"] for p in payloads if "transaction_type" in p.get("properties", {})
    }
    assert types >= {"use_ndc", "use_oimp", "voluntary_cancellation", "omge_cancellation", "first_transfer"}
    assert "audit.call" in expected


def test_a_step_is_done_only_by_an_event_of_its_type_whose_payload_matches() -> None:
    administrator = scripts()[ScriptRole.ADMINISTRATOR]
    nothing = progress(administrator, [completed("retirement"), LoggedEvent("ledger.units.issued", {}, NOW)])
    assert nothing.done == 0
    assert nothing.current is not None
    assert nothing.current.id == "issue-units"

    issued = progress(administrator, [completed("issuance")])
    assert [s.step.id for s in issued.steps if s.done] == ["issue-units"]
    assert issued.current is not None
    assert issued.current.id == "transfer-units"


def test_an_audited_call_ticks_a_step_only_when_it_succeeded() -> None:
    approver = scripts()[ScriptRole.APPROVER]
    action = "POST /registries/{registry}/console/approvals/{transaction_id}/approve"
    failed = LoggedEvent("audit.call", {"action": action, "outcome": "failed"}, NOW)
    succeeded = LoggedEvent("audit.call", {"action": action, "outcome": "success"}, NOW)
    assert not progress(approver, [failed]).steps[1].done
    assert progress(approver, [succeeded]).steps[1].done


def test_a_script_without_a_language_or_with_a_bad_predicate_is_refused() -> None:
    step = {
        "id": "x",
        "function": "issuance",
        "page": "actions",
        "title": {"en": "a", "fr": "b", "es": "c"},
        "instructions": {"en": "a", "fr": "b", "es": "c"},
        "expect": {"event": "e", "payload": {"type": "object"}},
    }
    good = {"role": "auditor", "title": {"en": "a", "fr": "b", "es": "c"}, "steps": [step]}
    assert parse_script(good).steps[0].id == "x"
    with pytest.raises(InvalidScript, match="lacks es"):
        parse_script({**good, "title": {"en": "a", "fr": "b"}})
    with pytest.raises(InvalidScript, match="JSON Schema"):
        parse_script({**good, "steps": [{**step, "expect": {"event": "e", "payload": {"type": 7}}}]})
    with pytest.raises(InvalidScript, match="twice"):
        parse_script({**good, "steps": [step, step]})
