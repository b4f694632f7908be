"""The scripts and questionnaires shipped with the package, read once."""

from __future__ import annotations

import functools
from importlib import resources

import yaml

from services.onboarding.domain.questionnaire import Questionnaire, parse_questionnaire
from services.onboarding.domain.scripts import Script, ScriptRole, parse_script

_PACKAGE = resources.files("services.onboarding")


@functools.cache
def scripts() -> dict[ScriptRole, Script]:
    found = {}
    for role in ScriptRole:
        script = parse_script(yaml.safe_load((_PACKAGE / "scripts" / f"{role.value}.yaml").read_text("utf-8")))
        found[script.role] = script
    return found


@functools.cache
def questionnaire(version: int | None = None) -> Questionnaire:
    """The given version, or the newest one."""
    folder = _PACKAGE / "questionnaires"
    versions = sorted(
        int(f.name[1:-5]) for f in folder.iterdir() if f.name.startswith("v") and f.name.endswith(".yaml")
    )
    chosen = versions[-1] if version is None else version
    return parse_questionnaire(yaml.safe_load((folder / f"v{chosen}.yaml").read_text("utf-8")))
