"""Reporting's reconciliation reads the ledger's side through the ledger's query port, never its tables."""

import re
from pathlib import Path

REPORTING = Path(__file__).resolve().parents[3] / "services" / "reporting"
LEDGER_TABLE_READ = re.compile(r"\b(FROM|JOIN)\s+ledger_\w+", re.IGNORECASE)


def test_no_reporting_module_reads_a_ledger_table_by_name() -> None:
    reading = {
        str(path.relative_to(REPORTING)): found.group(0)
        for path in REPORTING.rglob("*.py")
        if (found := LEDGER_TABLE_READ.search(path.read_text(encoding="utf-8")))
    }

    assert reading == {}
