"""The onboarding form: what the operator typed, turned into the catalogue's and identity's commands.

Every rule is the owning context's: tenant identity and settings (tenants), username and password
(identity). Each field's error is found on its own, so the form shows every message at once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from services.identity.domain.errors import IdentityError
from services.identity.domain.users import validate_password, validate_username
from tenants.domain.errors import TenantError
from tenants.domain.model import TenantKind, validate_identity
from tenants.service_layer.catalogue import CreateTenant, TenantCatalogue
from tenants.settings_schema import defaults, validate_settings

LISTS = ("languages", "mfa_required_for", "four_eyes", "confidential_fields")
# The form field each settings key is typed into (for the settings validator's message).
SETTING_FIELDS = {
    "ndc_implementation_period": "first_year",
    "approval_policy": "four_eyes",
}


@cache
def schema() -> dict[str, Any]:
    text = resources.files("tenants.config").joinpath("tenant-settings.schema.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def options(name: str) -> list[str]:
    """The values a settings field accepts, from the catalogue's JSON Schema."""
    properties = schema()["properties"]
    if name == "four_eyes":
        return list(schema()["$defs"]["action"]["enum"])
    found = properties[name]
    values = found.get("enum") or found["items"]["enum"]
    return list(values)


def initial_values() -> dict[str, Any]:
    settings = defaults()
    period = settings["ndc_implementation_period"]
    return {
        "languages": list(settings["languages"]),
        "default_language": settings["default_language"],
        "time_zone": settings["time_zone"],
        "first_year": str(period["first_year"]),
        "last_year": str(period["last_year"]),
        "ndc_type": settings["ndc_type"],
        "default_oimp_first_transfer": settings["default_oimp_first_transfer"],
        "mfa_required_for": list(settings["mfa_required_for"]),
        "four_eyes": list(settings["approval_policy"]["four_eyes"]),
        "confidential_fields": list(settings["confidential_fields"]),
        "cors_origins": "",
    }


@dataclass
class Onboarding:
    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)

    def text(self, name: str) -> str:
        return str(self.values.get(name, "")).strip()

    def tenant_command(self) -> CreateTenant:
        return CreateTenant(
            self.text("code"),
            self.text("party"),
            self.text("registry_id"),
            self.text("name"),
            self.settings,
            is_demo=bool(self.values.get("is_demo")),
            kind=TenantKind.TRAINING if self.is_training else TenantKind.PRODUCTION,
        )

    @property
    def is_training(self) -> bool:
        return self.text("kind") == TenantKind.TRAINING.value

    def check(self, name: str, rule: Callable[[], object]) -> None:
        if name in self.errors:
            return
        try:
            rule()
        except (TenantError, IdentityError) as error:
            self.errors[name] = str(error)


def read_form(form: MultiDict[str, str]) -> Onboarding:
    values: dict[str, Any] = {key: form.get(key, "") for key in form if key not in LISTS and key != "csrf_token"}
    values["password"] = values["password_again"] = ""  # never sent back to the browser
    for name in LISTS:
        values[name] = form.getlist(name)
    onboarding = Onboarding(values)
    onboarding.settings = _settings(onboarding, form)
    return onboarding


def _settings(onboarding: Onboarding, form: MultiDict[str, str]) -> dict[str, Any]:
    years: dict[str, int] = {}
    for name in ("first_year", "last_year"):
        try:
            years[name] = int(onboarding.text(name))
        except ValueError:
            onboarding.errors[name] = _("Enter a year, for example 2030.")
    cors = [line.strip() for line in onboarding.text("cors_origins").splitlines() if line.strip()]
    settings: dict[str, Any] = {
        "languages": form.getlist("languages"),
        "default_language": onboarding.text("default_language"),
        "time_zone": onboarding.text("time_zone"),
        "ndc_type": onboarding.text("ndc_type"),
        "default_oimp_first_transfer": onboarding.text("default_oimp_first_transfer"),
        "mfa_required_for": form.getlist("mfa_required_for"),
        "approval_policy": {"four_eyes": form.getlist("four_eyes"), "delay_minutes": {}},
        "confidential_fields": form.getlist("confidential_fields"),
        "cors_origins": cors,
    }
    if len(years) == 2:
        settings["ndc_implementation_period"] = years
    return settings


def validate(onboarding: Onboarding, catalogue: TenantCatalogue, password: str, again: str) -> None:
    """Collect every field's error; nothing is written."""
    code, party, registry_id = onboarding.text("code"), onboarding.text("party"), onboarding.text("registry_id")
    # validate_identity checks code, party and registry id in that order: vary one at a time.
    onboarding.check("code", lambda: validate_identity(code, "XXX", "XXX01"))
    onboarding.check("party", lambda: validate_identity("xyz", party, f"{party}01"))
    if "party" not in onboarding.errors:
        onboarding.check("registry_id", lambda: validate_identity("xyz", party, registry_id))
    if not onboarding.text("name"):
        onboarding.errors["name"] = _("Give the registry's display name.")
    if "code" not in onboarding.errors and catalogue.find(code) is not None:
        onboarding.errors["code"] = _("A registry with code %(code)s exists already: choose another code.", code=code)
    if "registry_id" not in onboarding.errors:
        taken = next((t for t in catalogue.list() if t.registry_id == registry_id), None)
        if taken is not None:
            onboarding.errors["registry_id"] = _(
                "Registry id %(id)s is taken by %(code)s: use the next number.", id=registry_id, code=taken.code
            )
    _validate_settings(onboarding)
    _validate_partner(onboarding, catalogue)
    onboarding.check("username", lambda: validate_username(onboarding.text("username")))
    onboarding.check("password", lambda: validate_password(password))
    if "password" not in onboarding.errors and password != again:
        onboarding.errors["password_again"] = _("The two passwords differ: type the same password twice.")


def _validate_settings(onboarding: Onboarding) -> None:
    if "ndc_implementation_period" not in onboarding.settings:
        return  # a year is not a number: already reported next to it
    try:
        validate_settings(onboarding.settings)
    except TenantError as error:
        message = str(error)
        key = message.removeprefix("settings field ").split(":", 1)[0].split("/", 1)[0].strip()
        onboarding.errors[SETTING_FIELDS.get(key, key)] = message


def _validate_partner(onboarding: Onboarding, catalogue: TenantCatalogue) -> None:
    """A training registry's chosen partner must be a training registry; none chosen, one is made."""
    code = onboarding.text("partner")
    if not code or not onboarding.is_training:
        return
    partner = catalogue.find(code)
    if partner is None or not partner.is_training or not partner.is_served:
        onboarding.errors["partner"] = _(
            "%(code)s is not a training registry: choose one, or leave it empty.", code=code
        )
