"""The public explorer's pages through the Flask test client: content, 404 pages, filters, pages, languages."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from gateway.bootstrap import platform_of
from tests.integration.web.public.conftest import Explorer
from tests.integration.web.public.seed import BENEFICIARY, registry, seed


def text_of(answer: object) -> str:
    html = answer.get_data(as_text=True)  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_every_page_answers_with_its_content(explorer: Explorer) -> None:
    s = explorer.seeded
    pages = {
        "/": ["Projects", "22", "Units issued", "1,000", "990", "Units retired"],
        "/projects": ["Clean cookstoves in Ashanti", "Forest 00"],
        f"/projects/{s.project_id}": ["Stoves Ltd", "Verifier GmbH", s.retired_first_itmo_id, BENEFICIARY],
        f"/units?q={s.serial}": [s.retired_first_itmo_id, "Retirement", "retired"],
        f"/units?q={s.retired_first_itmo_id}": ["History of this unit", "Issuance"],
        "/retirements": [BENEFICIARY],
        f"/retirements/{s.retirement_id}": [BENEFICIARY, "Offsetting 2024 flights", s.retired_first_itmo_id, "10"],
        "/approaches": [s.approach_id, "Cookstoves pact"],
        "/authorizations": [f"{s.tenant.party}-A-1", "800"],
    }
    for path, expected in pages.items():
        answer = explorer.http.get(explorer.url(path))
        assert answer.status_code == 200, path
        assert answer.mimetype == "text/html"
        body = text_of(answer)
        for fragment in expected:
            assert fragment in body, (path, fragment)
    # The landing page names the projects count, not a project.
    assert "Clean cookstoves" not in text_of(explorer.http.get(explorer.url("/")))


def test_the_start_page_and_the_glossary_need_no_registry(explorer: Explorer) -> None:
    start = explorer.http.get("/")
    assert start.status_code == 200
    assert explorer.seeded.tenant.name in text_of(start)
    glossary = text_of(explorer.http.get("/glossary"))
    for term in ("ITMO", "Corresponding adjustment", "First transfer", "OMGE", "OIMP", "NDC", "CAD Trust", "Vintage"):
        assert term in glossary


def test_the_api_link_of_a_registrys_pages_opens_the_docs_for_that_registry(explorer: Explorer) -> None:
    code = explorer.seeded.tenant.code
    registry_page = explorer.http.get(explorer.url("/")).get_data(as_text=True)
    start_page = explorer.http.get("/").get_data(as_text=True)
    assert f'href="/api/v1/docs?registry={code}"' in registry_page
    assert 'href="/api/v1/docs"' in start_page


@pytest.mark.parametrize(
    "path",
    [
        "/projects/00000000-0000-7000-8000-000000000000",
        "/projects/not-an-id",
        "/retirements/00000000-0000-7000-8000-000000000000",
    ],
)
def test_an_unknown_object_is_a_404_page(explorer: Explorer, path: str) -> None:
    answer = explorer.http.get(explorer.url(path))
    assert answer.status_code == 404
    assert answer.mimetype == "text/html"
    assert "Page not found" in text_of(answer)


def test_a_transaction_that_is_no_retirement_has_no_retirement_page(explorer: Explorer) -> None:
    s = explorer.seeded
    platform = platform_of(explorer.app)
    with platform.ledger.uow(platform.ledger_tenant(s.tenant)) as uow:
        issued = [t.id for t in uow.transactions.touching(s.approach_id, s.tenant.registry_id, s.serial)]
    assert len(issued) == 3, "issued, moved to the Party holding account, retired"
    assert explorer.http.get(explorer.url(f"/retirements/{issued[-1]}")).status_code == 200
    assert explorer.http.get(explorer.url(f"/retirements/{issued[0]}")).status_code == 404


def test_another_registrys_objects_are_404_pages(explorer: Explorer, app: Flask) -> None:
    platform = platform_of(app)
    other = registry(platform)
    theirs = seed(platform, other)
    for path in (f"/projects/{theirs.project_id}", f"/retirements/{theirs.retirement_id}"):
        answer = explorer.http.get(explorer.url(path))
        assert answer.status_code == 404, path
        assert "Page not found" in text_of(answer)
    assert BENEFICIARY not in text_of(explorer.http.get(f"/registries/{other.code}/retirements?page=2"))
    lookup = explorer.http.get(explorer.url(f"/units?q={theirs.retired_first_itmo_id}"))
    assert lookup.status_code == 404


def test_filters_and_pages_are_in_the_query_string(explorer: Explorer) -> None:
    first = text_of(explorer.http.get(explorer.url("/projects")))
    assert "Page 1 of 2" in first
    assert "22 results" in first
    second = explorer.http.get(explorer.url("/projects?sector=Forestry&page=2"))
    body = text_of(second)
    assert "Page 2 of 2" in body
    assert "21 results" in body
    assert "Clean cookstoves" not in body
    assert "sector=Forestry&amp;page=1" in second.get_data(as_text=True), "the previous link keeps the filters"
    assert "1 results" in text_of(explorer.http.get(explorer.url("/projects?q=CLEAN")))
    by_id = text_of(explorer.http.get(explorer.url(f"/projects?q={explorer.seeded.project_id}")))
    assert "Clean cookstoves in Ashanti" in by_id
    assert "1 results" in by_id
    assert "1 results" in text_of(explorer.http.get(explorer.url("/projects?vintage=2023")))
    assert "0 results" in text_of(explorer.http.get(explorer.url("/projects?vintage=1999&status=registered")))
    assert "0 results" in text_of(explorer.http.get(explorer.url("/projects?country=zzz&type=Cookstoves")))
    nonsense = explorer.http.get(explorer.url("/projects?page=abc&vintage=recent"))
    assert nonsense.status_code == 200
    assert "Page 1 of 2" in text_of(nonsense)


def test_an_unknown_unit_is_a_404_with_the_form_kept(explorer: Explorer) -> None:
    for query in ("999999999", "not-a-serial", "CA9999-ZZZ01-ZZZ-1-2023"):
        answer = explorer.http.get(explorer.url("/units"), query_string={"q": query})
        assert answer.status_code == 404
        assert f'value="{query}"' in answer.get_data(as_text=True)
        assert "No unit matches" in text_of(answer)
    assert explorer.http.get(explorer.url("/units")).status_code == 200


def test_french_and_spanish_format_numbers_and_dates(explorer: Explorer) -> None:
    http, project = explorer.http, explorer.url(f"/projects/{explorer.seeded.project_id}")
    english = http.get(project)
    assert "Mar 15, 2024" in text_of(english)
    assert "1,000" in text_of(english)
    french = http.get(project + "?lang=fr")
    assert '<html lang="fr">' in french.get_data(as_text=True)
    assert "Unités émises" in text_of(french)
    assert "15 mars 2024" in text_of(french)
    assert "1\u202f000" in french.get_data(as_text=True), "French groups thousands with a narrow space"
    spanish = http.get(project + "?lang=es")
    assert "Emisiones" in text_of(spanish)
    assert "15 mar 2024" in text_of(spanish)
    assert "1.000" in text_of(spanish)
    remembered = text_of(http.get(explorer.url(f"/retirements/{explorer.seeded.retirement_id}")))
    assert "Beneficiario" in remembered, "the chosen language stays for the session"


def test_confidential_beneficiaries_stay_off_the_pages(app: Flask) -> None:
    platform = platform_of(app)
    private = seed(platform, registry(platform, confidential_fields=["beneficiary"]))
    http = app.test_client()
    base = f"/registries/{private.tenant.code}"
    for path in ("/retirements", f"/retirements/{private.retirement_id}", f"/projects/{private.project_id}"):
        answer = http.get(base + path)
        assert answer.status_code == 200
        assert BENEFICIARY not in answer.get_data(as_text=True), path
        assert "Offsetting 2024 flights" not in answer.get_data(as_text=True), path
