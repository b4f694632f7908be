"""Language and formatting: the user's choice, else the registry's default, else the browser's."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask, g, request, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale

LANGUAGES = {"en": "English", "fr": "Français", "es": "Español"}
DEFAULT_LANGUAGE = "en"
SESSION_KEY = "lang"


def select_locale() -> str:
    chosen = request.args.get("lang") or session.get(SESSION_KEY)
    if chosen in LANGUAGES:
        return str(chosen)
    tenant = g.get("tenant")
    if tenant is not None:
        default = tenant.settings.get("default_language")
        if default in LANGUAGES:
            return str(default)
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE


def select_timezone() -> str:
    tenant = g.get("tenant")
    return str(tenant.settings.get("time_zone", "UTC")) if tenant is not None else "UTC"


def remember_language() -> None:
    """`?lang=xx` on any page is the user's choice from then on (kept in the session)."""
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        session[SESSION_KEY] = chosen


def offered_languages() -> list[tuple[str, str]]:
    tenant = g.get("tenant")
    codes = list(LANGUAGES)
    if tenant is not None:
        configured = [c for c in tenant.settings.get("languages", []) if c in LANGUAGES]
        codes = configured or codes
    return [(code, LANGUAGES[code]) for code in codes]


def quantity(value: int | Decimal | None) -> str:
    return "" if value is None else format_decimal(value, format="#,##0")


def number(value: int | float | Decimal | None) -> str:
    return "" if value is None else format_decimal(value)


def day(value: date | datetime | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return str(format_date(value.date(), format="medium"))
    return str(format_date(value, format="medium"))


def moment(value: datetime | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return str(format_datetime(value, format="medium"))


def init_formatting(app: Flask) -> None:
    app.add_template_filter(quantity, "qty")
    app.add_template_filter(number, "number")
    app.add_template_filter(day, "day")
    app.add_template_filter(moment, "moment")
    app.context_processor(lambda: {"languages": offered_languages(), "locale": str(get_locale())})
