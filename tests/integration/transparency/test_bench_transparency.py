"""The transparency benchmark runs end to end at tiny sizes. No timing is asserted (bench/README.md)."""

import pytest

from bench import transparency as bench
from tests.conftest import DatabaseUrls

pytestmark = pytest.mark.postgres


def test_the_benchmark_reports_both_figures(postgres_server: DatabaseUrls, capsys: pytest.CaptureFixture[str]) -> None:
    env = {"DATABASE_URL": postgres_server.app, "DATABASE_OWNER_URL": postgres_server.owner}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        patch.setenv("DATABASE_APP_ROLE", postgres_server.app_role)
        assert bench.main(["--records", "30", "--leaves", "1000", "--proofs", "5"]) == 0

    report = capsys.readouterr().out.splitlines()
    assert report[1].startswith("sequencer: 30 journal records integrated at ")
    assert report[2].startswith("inclusion proof in a log of 1,000 leaves: ")
