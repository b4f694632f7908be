"""AEF downloads: XLSX (openpyxl write-only, one sheet per table), CSV per table in a zip, and JSON.

Each writer takes the rows of one table at a time as an iterable and writes them as they come, so a
download of a million rows holds one row in memory (and openpyxl's and zipfile's buffers), not the table.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, BinaryIO

from openpyxl import Workbook

from services.reporting.domain import aef

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "application/zip",
    "json": "application/json",
}
STATUS_SHEET = "Pre-submission checks"
MARK_SHEET = "TRAINING"  # a training registry's AEF opens on this sheet, which says it is not a submission
Tables = Mapping[str, Iterable[Sequence[Any]]]


def write(fmt: str, tables: Tables, findings: list[dict[str, Any]], out: BinaryIO, mark: str | None = None) -> None:
    """`mark`, when given, says on the first sheet, line or key that this is no real AEF (a training registry's)."""
    {"xlsx": write_xlsx, "csv": write_csv_zip, "json": write_json}[fmt](tables, findings, out, mark)


def write_xlsx(tables: Tables, findings: list[dict[str, Any]], out: BinaryIO, mark: str | None = None) -> None:
    book = Workbook(write_only=True)
    if mark:
        book.create_sheet(MARK_SHEET).append([mark])
    for name in aef.SHEETS:
        sheet = book.create_sheet(name)
        sheet.append(aef.COLUMNS[name])
        for row in tables.get(name, []):
            sheet.append(list(row))
    checks = book.create_sheet(STATUS_SHEET)
    checks.append(["Status", "FAILING" if findings else "PASSED"])
    checks.append(["Table", "Row", "Column", "Problem", "How to fix"])
    for finding in findings:
        checks.append([finding["table"], finding["row"], finding["column"], finding["problem"], finding["fix"]])
    book.save(out)


def _file_name(sheet: str) -> str:
    return sheet.lower().replace(".", "").replace(" ", "_") + ".csv"


def write_csv_zip(tables: Tables, findings: list[dict[str, Any]], out: BinaryIO, mark: str | None = None) -> None:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in aef.SHEETS:
            with (
                archive.open(_file_name(name), "w", force_zip64=True) as member,
                io.TextIOWrapper(member, encoding="utf-8", newline="") as text,
            ):
                writer = csv.writer(text)
                if mark:
                    writer.writerow([mark])
                writer.writerow(aef.COLUMNS[name])
                writer.writerows(["" if cell is None else cell for cell in row] for row in tables.get(name, []))
        checks = {"passed": not findings, "findings": findings} | ({"training": mark} if mark else {})
        archive.writestr("pre_submission_checks.json", json.dumps(checks))


def write_json(tables: Tables, findings: list[dict[str, Any]], out: BinaryIO, mark: str | None = None) -> None:
    """One object with `passed`, `findings` and `tables` (table name → rows as objects), written row by row;
    a training registry's starts with `training`."""

    def put(text: str) -> None:
        out.write(text.encode())

    if mark:
        put('{"training": ' + json.dumps(mark, ensure_ascii=False) + ", ")
    put(("" if mark else "{") + '"passed": ' + json.dumps(not findings) + ', "findings": ')
    put(json.dumps(findings, ensure_ascii=False) + ', "tables": {')
    for number, name in enumerate(aef.SHEETS):
        put(("," if number else "") + "\n " + json.dumps(name, ensure_ascii=False) + ": [")
        for count, row in enumerate(tables.get(name, [])):
            cells = dict(zip(aef.COLUMNS[name], row, strict=True))
            put(("," if count else "") + "\n  " + json.dumps(cells, ensure_ascii=False))
        put("]")
    put("}}\n")
