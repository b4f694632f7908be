"""AEF downloads: XLSX (openpyxl write-only, one sheet per table), CSV per table in a zip, and JSON."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from typing import Any, BinaryIO

from openpyxl import Workbook

from services.reporting.domain import aef

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "application/zip",
    "json": "application/json",
}
STATUS_SHEET = "Pre-submission checks"


def write(
    fmt: str, tables: Mapping[str, Sequence[Sequence[Any]]], findings: list[dict[str, Any]], out: BinaryIO
) -> None:
    {"xlsx": write_xlsx, "csv": write_csv_zip, "json": write_json}[fmt](tables, findings, out)


def write_xlsx(tables: Mapping[str, Sequence[Sequence[Any]]], findings: list[dict[str, Any]], out: BinaryIO) -> None:
    book = Workbook(write_only=True)
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


def write_csv_zip(tables: Mapping[str, Sequence[Sequence[Any]]], findings: list[dict[str, Any]], out: BinaryIO) -> None:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in aef.SHEETS:
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow(aef.COLUMNS[name])
            writer.writerows(["" if cell is None else cell for cell in row] for row in tables.get(name, []))
            archive.writestr(_file_name(name), text.getvalue())
        archive.writestr("pre_submission_checks.json", json.dumps({"passed": not findings, "findings": findings}))


def write_json(tables: Mapping[str, Sequence[Sequence[Any]]], findings: list[dict[str, Any]], out: BinaryIO) -> None:
    body = {
        "passed": not findings,
        "findings": findings,
        "tables": {
            name: [dict(zip(aef.COLUMNS[name], row, strict=True)) for row in tables.get(name, [])]
            for name in aef.SHEETS
        },
    }
    out.write(json.dumps(body, ensure_ascii=False, indent=1).encode())
