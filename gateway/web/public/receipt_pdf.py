"""The retirement receipt as a one-page PDF a beneficiary can keep: the retirement, the proof, and a QR code
of the receipt's permanent address, from which `registry-verify` checks it offline."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

QR_SIZE = 45 * mm
MARGIN = 20 * mm
LINE = 5.5 * mm


def receipt_pdf(
    title: str, facts: Sequence[tuple[str, str]], receipt: dict[str, Any], receipt_url: str, mark: str | None = None
) -> bytes:
    """One A4 page: the title, the facts, the checkpoint and proof, and the QR code of `receipt_url`;
    with `mark` (a training registry's receipt), that mark across the page and before the title."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)  # invariant: the same receipt gives the same bytes
    if mark:
        _watermark(canvas, mark)
        title = f"{mark}: {title}"
    canvas.setTitle(title)
    canvas.setSubject(json.dumps(receipt, ensure_ascii=False, sort_keys=True))
    width, height = A4
    y = height - MARGIN
    canvas.setFont("Helvetica-Bold", 16)
    canvas.drawString(MARGIN, y, title)
    y -= 2 * LINE
    for label, value in facts:
        canvas.setFont("Helvetica-Bold", 10)
        canvas.drawString(MARGIN, y, label)
        canvas.setFont("Helvetica", 10)
        canvas.drawString(MARGIN + 45 * mm, y, value[:90])
        y -= LINE
    _qr(canvas, receipt_url, width - MARGIN - QR_SIZE, height - MARGIN - QR_SIZE - 8 * mm)
    y -= LINE
    y = _block(canvas, "Checkpoint (signed by the registry, cosigned by its witnesses)", receipt["checkpoint"], y)
    proof = "\n".join(receipt["inclusion_proof"]) or "(none: the log holds this record alone)"
    y = _block(canvas, f"Inclusion proof of record {receipt['sequence']} in a log of {receipt['tree_size']}", proof, y)
    _block(
        canvas,
        "Check it offline",
        f"pip install ./verifier\nregistry-verify receipt.json --key registry.pub\n{receipt_url}",
        y,
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _watermark(canvas: Canvas, mark: str) -> None:
    width, height = A4
    canvas.saveState()
    canvas.setFillColorRGB(0.85, 0.55, 0.0)
    canvas.setFont("Helvetica-Bold", 28)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(45)
    canvas.drawCentredString(0, 0, mark)
    canvas.restoreState()


def _qr(canvas: Canvas, value: str, x: float, y: float) -> None:
    widget = QrCodeWidget(value, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / (right - left), 0, 0, QR_SIZE / (top - bottom), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def _block(canvas: Canvas, heading: str, text: str, y: float) -> float:
    canvas.setFont("Helvetica-Bold", 10)
    canvas.drawString(MARGIN, y, heading)
    y -= LINE
    canvas.setFont("Courier", 7)
    for line in text.splitlines():
        for start in range(0, max(len(line), 1), 110):
            canvas.drawString(MARGIN, y, line[start : start + 110])
            y -= 3.6 * mm
    return float(y - LINE)
