import re
from pathlib import Path

from services.ledger.domain.catalogue import CATALOGUE, render_markdown
from services.ledger.domain.errors import failed

CHECKS_PAGE = Path(__file__).resolve().parents[3] / "docs" / "ledger" / "checks.md"


def test_codes_are_unique_and_well_formed() -> None:
    codes = [check.code for check in CATALOGUE]

    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"LDG-\d{3}", code) for code in codes)
    assert codes == sorted(codes)


def test_every_check_says_what_it_checks_and_what_to_do_next() -> None:
    for check in CATALOGUE:
        assert check.description.endswith(".")
        assert check.remedy.endswith(".")
        assert all(1 <= rule <= 20 for rule in check.rules)


def test_the_catalogue_covers_the_twenty_checks_of_article6_rules_section_8() -> None:
    covered = {rule for check in CATALOGUE for rule in check.rules}

    assert covered == set(range(1, 21))


def test_docs_ledger_checks_md_is_the_rendered_catalogue() -> None:
    assert CHECKS_PAGE.read_text(encoding="utf-8") == render_markdown(), (
        "docs/ledger/checks.md is stale: write render_markdown() to it"
    )


def test_a_failed_check_carries_whether_it_conflicts_with_the_ledgers_state() -> None:
    conflicts = {check.code for check in CATALOGUE if check.conflict}

    assert conflicts == {"LDG-061", "LDG-063", "LDG-071", "LDG-073", "LDG-074"} | {
        "LDG-080",
        "LDG-081",
        "LDG-082",
        "LDG-085",
        "LDG-088",
        "LDG-089",
        "LDG-090",
        "LDG-093",
    }
    assert all(failed(check, "Detail.").conflict is check.conflict for check in CATALOGUE)
