"""An AEF version as a download, shared by the API and the console: streamed from a temporary file."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import IO, Any

from flask import Response

from gateway.bootstrap import current_platform
from gateway.bootstrap import reporting as context
from gateway.tenancy import current_tenant
from gateway.training.marks import AEF_MARK, mark_for
from services.reporting.bootstrap import EXPORT_FORMATS, write_export

CHUNK_BYTES = 256 * 1024


def aef_download(fmt: str, found: dict[str, Any]) -> Response:
    """`found` is the submission as the reporting context answers it; the job must be done."""
    out = _written(fmt, found)
    mark = ("" if found["passed"] else "-FAILING") + ("-TRAINING" if current_tenant().is_training else "")
    extension = "zip" if fmt == "csv" else fmt
    name = f"AEF-{current_tenant().party}-{found['year']}-v{found['version']}{mark}.{extension}"
    headers = {
        "Content-Disposition": f'attachment; filename="{name}"',
        "Content-Length": str(out.seek(0, 2)),
        "X-AEF-Checks": "passed" if found["passed"] else "failing",
    }
    out.seek(0)
    return Response(_chunks(out), mimetype=EXPORT_FORMATS[fmt], headers=headers)


def _written(fmt: str, found: dict[str, Any]) -> IO[bytes]:
    """Rows go from the database to a temporary file, then to the client: a large year needs no memory."""
    tables = context.store(current_platform(), current_tenant()).tables(found["id"])
    out = tempfile.TemporaryFile()  # noqa: SIM115 - closed by _chunks once sent
    try:
        write_export(fmt, tables, found["findings"] or [], out, mark_for(current_tenant(), AEF_MARK))
    except BaseException:
        out.close()
        raise
    return out


def _chunks(out: IO[bytes]) -> Iterator[bytes]:
    with out:
        while chunk := out.read(CHUNK_BYTES):
            yield chunk
