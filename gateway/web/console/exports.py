"""The transaction list as spreadsheet rows: CSV (text) and XLSX (numbers as numbers, moments as dates)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from services.ledger.domain.transactions import Transaction

COLUMNS = (
    "number",
    "type",
    "status",
    "quantity",
    "source_account",
    "destination_account",
    "proposed_at_utc",
    "executed_at_utc",
    "reason",
    "transaction_id",
)


def _moment(value: datetime | None, text: bool) -> Any:
    if value is None:
        return "" if text else None
    return value.isoformat() if text else value.replace(tzinfo=None)  # spreadsheets have no time zones: UTC


def _account(account_id: UUID | None, names: dict[UUID, str]) -> str:
    return "" if account_id is None else names.get(account_id, str(account_id))


def rows_of(items: Sequence[Transaction], names: dict[UUID, str], text: bool) -> list[list[Any]]:
    return [
        [
            t.number,
            str(t.type),
            str(t.status),
            t.quantity,
            _account(t.source_account_id, names),
            _account(t.destination_account_id, names),
            _moment(t.proposed_at, text),
            _moment(t.executed_at, text),
            t.reason or "",
            str(t.id),
        ]
        for t in items
    ]


def csv_lines(rows: list[list[Any]], mark: str | None = None) -> str:
    """The header and the rows; a training registry's start with a line that says so."""
    out = io.StringIO()
    writer = csv.writer(out)
    if mark:
        writer.writerow([mark])
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


def xlsx_bytes(rows: list[list[Any]], mark: str | None = None) -> bytes:
    """A training registry's sheet is titled TRAINING and its first row says so; the header follows."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "TRAINING Transactions" if mark else "Transactions"
    if mark:
        sheet.append([mark])
    header = sheet.max_row + 1 if mark else 1
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    for index, _name in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 22
    for cells in sheet.iter_rows(min_row=header + 1, min_col=7, max_col=8):
        for cell in cells:
            cell.number_format = "yyyy-mm-dd hh:mm:ss"
    sheet.freeze_panes = f"A{header + 1}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
