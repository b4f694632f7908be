"""Feedback a participant leaves on a page of a training registry, tied to the page and the script step."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from services.onboarding.domain.errors import InvalidFeedback

MAX_TEXT = 4000
_PAGE = re.compile(r"^/[\x21-\x7e]{0,499}$")  # a path of the console, as the browser showed it


@dataclass(frozen=True)
class Feedback:
    id: UUID
    tenant_id: UUID
    page: str
    step_id: str | None
    function: str  # the step's registry function, or "general" when no step was open
    text: str
    author: str
    created_at: datetime
    resolved_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


def checked_text(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise InvalidFeedback("feedback text is empty: say what worked or what did not")
    if len(cleaned) > MAX_TEXT:
        raise InvalidFeedback(f"feedback text is longer than {MAX_TEXT} characters")
    return cleaned


def checked_page(page: str) -> str:
    if not _PAGE.fullmatch(page):
        raise InvalidFeedback("page must be a path of this site, e.g. /registries/ghana-training/console/actions")
    return page
