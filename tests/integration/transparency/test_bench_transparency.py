"""The transparency benchmark runs end to end at tiny sizes. No timing is asserted (bench/README.md)."""

import pytest

from bench import transparency as bench
from tests.conftest import DatabaseUrls

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("benchmarks")]


def test_the_benchmark_reports_both_figures(postgres_server: DatabaseUrls, capsys: pytest.CaptureFixture[str]) -> None:
    env = {"DATABASE_URL": postgres_server.app, "DATABASE_OWNER_URL": postgres_server.owner}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        patch.setenv("DATABASE_APP_ROLE", postgres_server.app_role)
        tiny = ["--records", "30", "--leaves", "1000", "--proofs", "5", "--rounds", "1", "--transfers", "2"]
        assert bench.main([*tiny, "--workers", "2"]) == 0

    report = capsys.readouterr().out.splitlines()
    assert report[1].startswith("sequencer: 30 journal records integrated at ")
    assert report[2].startswith("inclusion proof in a log of 1,000 leaves: ")
    assert report[3].startswith("ledger peak (2 worker processes, median of rounds): ")
    assert report[4].startswith("sequencer rate / ledger peak: ")
    assert report[5].startswith("transfers/s with the sequencer / without: ")
