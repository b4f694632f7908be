"""Every notice can be said in every language, and a pending movement's notice says how to cancel it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from services.notifications.domain.delivery import LONGEST_BACKOFF, backoff
from services.notifications.domain.notices import HAPPENINGS, Happening, Notice, Recipient
from services.notifications.domain.wording import HEADLINES, LABELS, LANGUAGES, TRANSACTION_TYPES, email_for

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ANNE = Recipient(UUID(int=1), "Anne", "anne@example.org")


def test_every_language_words_every_happening_and_label() -> None:
    for language in LANGUAGES:
        assert set(HEADLINES[language]) == set(Happening)
        assert set(LABELS[language]) == set(LABELS["en"])
    assert set(HAPPENINGS.values()) == set(Happening)


@pytest.mark.parametrize("happening", sorted(Happening))
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_notice_names_the_account_and_only_pending_ones_carry_the_link(
    happening: Happening, language: str
) -> None:
    link = "https://r.example.org/registries/gha/console/transactions/1" if happening.is_pending else None
    notice = Notice(happening, "Registry of Ghana", AT, account_number="GHA-120-7", cancel_link=link)
    email = email_for(notice, ANNE, language)
    assert email.recipient == "anne@example.org"
    if happening is not Happening.NEW_DEVICE:
        assert "GHA-120-7" in email.subject
    assert ("https://r.example.org" in email.body) is happening.is_pending
    assert "\n" not in email.subject


def test_transaction_types_are_named_in_each_language_and_unknown_ones_as_they_are() -> None:
    for language in LANGUAGES:
        assert set(TRANSACTION_TYPES[language]) == set(TRANSACTION_TYPES["en"])
    notice = Notice(Happening.EXECUTED, "R", AT, account_number="A-1", transaction_type="transfer_international")
    assert "Tipo: transferencia a otro registro" in email_for(notice, ANNE, "es").body
    unknown = Notice(Happening.EXECUTED, "R", AT, account_number="A-1", transaction_type="swap")
    assert "Type: swap" in email_for(unknown, ANNE, "en").body


def test_an_unknown_language_falls_back_to_english() -> None:
    email = email_for(Notice(Happening.FROZEN, "R", AT, account_number="A-1"), ANNE, "de")
    assert email.subject == "Account A-1 is frozen"


def test_backoff_doubles_from_thirty_seconds_to_at_most_an_hour() -> None:
    assert [backoff(n) for n in (1, 2, 3)] == [timedelta(seconds=30), timedelta(minutes=1), timedelta(minutes=2)]
    assert backoff(8) == LONGEST_BACKOFF
    assert backoff(10_000) == LONGEST_BACKOFF
