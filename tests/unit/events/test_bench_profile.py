"""The profile summary of bench/profile.py: py-spy's collapsed stacks become shares per function."""

from pathlib import Path

from bench import profile

WORKER = "<module> (gunicorn:8);run (/v/site-packages/gunicorn/workers/gthread.py:10)"
POST = "post (/w/gateway/ledger/actions_api.py"
RAW = f"""\
{WORKER};{POST}:90);execute (/v/site-packages/psycopg/cursor.py:5) 6
{WORKER};{POST}:91);dumps (/usr/lib/python3.11/json/__init__.py:3) 3
{WORKER};verify (gateway/auth/tokens.py:40) 1
"""


def test_samples_are_shared_out_by_running_function_and_by_project_function_on_the_stack(tmp_path: Path) -> None:
    total, own, inclusive = profile.shares(RAW.splitlines())

    assert total == 10
    assert own == {"execute (cursor.py)": 6, "dumps (__init__.py)": 3, "verify (tokens.py)": 1}
    assert inclusive == {"post (actions_api.py)": 9, "verify (tokens.py)": 1}  # one entry whatever the line


def test_the_summary_prints_each_function_with_its_share(tmp_path: Path) -> None:
    recorded = tmp_path / "gunicorn-worker.txt"
    recorded.write_text(RAW)

    summary = profile.summary(recorded).splitlines()

    assert summary[0] == "gunicorn-worker: 10 samples (0 s of running threads at 100/s)"
    assert "     60.0 %  execute (cursor.py)" in summary
    assert "     90.0 %  post (actions_api.py)" in summary
