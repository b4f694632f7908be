"""Feedback and the gap report as spreadsheets: CSV (text) and XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from flask import Response
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(columns: Sequence[str], rows: list[dict[str, Any]], name: str, file_format: str) -> Response:
    table = [[_cell(row.get(c)) for c in columns] for row in rows]
    if file_format == "xlsx":
        book = Workbook()
        sheet = book.worksheets[0]
        sheet.append(list(columns))
        for line in table:
            sheet.append(line)
        out = io.BytesIO()
        book.save(out)
        body, mimetype = out.getvalue(), XLSX
    else:
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(columns)
        writer.writerows(table)
        body, mimetype = text.getvalue().encode(), "text/csv"
    disposition = f'attachment; filename="{name}.{file_format}"'
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": disposition})


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)
