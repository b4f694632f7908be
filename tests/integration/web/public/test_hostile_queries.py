"""The public explorer reads numbers in its query strings within bounds: a page, a vintage or a serial
too large for the database, or digits Python's int() refuses, read as no value, never as a 500."""

from __future__ import annotations

import pytest

from tests.integration.web.public.conftest import Explorer

HUGE = ["1" + "0" * 30, "9" * 5_000, "\u00b2", "\u0663"]  # beyond bigint, beyond int()'s limit, ², Arabic 3


@pytest.mark.parametrize("number", HUGE, ids=["10^30", "5000 digits", "superscript", "arabic digit"])
def test_numbers_out_of_bounds_read_as_no_value(explorer: Explorer, number: str) -> None:
    pages = {"/projects": {"page": number}, "/retirements": {"page": number}}
    for path, query in pages.items():
        assert explorer.http.get(explorer.url(path), query_string=query).status_code == 200, path
    assert explorer.http.get(explorer.url("/projects"), query_string={"vintage": number}).status_code == 200
    assert explorer.http.get(explorer.url("/units"), query_string={"q": number}).status_code == 404
