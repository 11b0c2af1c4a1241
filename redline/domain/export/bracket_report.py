"""The bracket report as CSV and as a Word document: per provision, the square brackets opened,
closed (settled: kept without brackets, or dropped) and still open between two meetings.

Pure code over small dataclasses (built by redline.services.brackets); the CSV guards against
formula injection and the Word file strips what XML cannot carry, as the compilation does.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from docx import Document
from docx.shared import Pt

from redline.domain.export.compilation import _cell, _x


@dataclass(frozen=True)
class Row:
    provision: str  # its title as of the newer meeting, e.g. "Article 6 – Direct disclosure"
    opened: tuple[str, ...]
    kept: tuple[str, ...]
    dropped: tuple[str, ...]
    still_open: tuple[str, ...]


@dataclass(frozen=True)
class Sheet:
    instrument: str
    from_meeting: str
    to_meeting: str
    rows: tuple[Row, ...]


COLUMNS = ("opened", "kept", "dropped", "still_open")
LABELS = {
    "opened": "Opened",
    "kept": "Closed: words kept",
    "dropped": "Closed: words dropped",
    "still_open": "Still open",
}


def to_csv(sheet: Sheet) -> str:
    """One row per bracketed passage: the provision, what became of it, and its words."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["provision", "status", "bracketed_text", "from_meeting", "to_meeting"])
    for row in sheet.rows:
        for status in COLUMNS:
            for text in getattr(row, status):
                w.writerow(
                    [
                        _cell(x)
                        for x in (row.provision, status, text, sheet.from_meeting, sheet.to_meeting)
                    ]
                )
    return out.getvalue()


def to_docx(sheet: Sheet) -> bytes:
    """A clean Word document: a table of counts, then each provision's bracketed passages."""
    doc = Document()
    doc.styles["Normal"].font.size = Pt(10)
    doc.add_heading(_x(f"Square brackets in {sheet.instrument}"), level=0)
    doc.add_paragraph(_x(f"From {sheet.from_meeting} to {sheet.to_meeting}."))
    table = doc.add_table(rows=1, cols=1 + len(COLUMNS))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, ["Provision", *LABELS.values()], strict=True):
        cell.text = label
    for row in sheet.rows:
        cells = table.add_row().cells
        cells[0].text = _x(row.provision)
        for cell, status in zip(cells[1:], COLUMNS, strict=True):
            cell.text = str(len(getattr(row, status)))
    for row in sheet.rows:
        if not any(getattr(row, s) for s in COLUMNS):
            continue
        doc.add_heading(_x(row.provision), level=2)
        for status in COLUMNS:
            texts = getattr(row, status)
            if texts:
                doc.add_paragraph(LABELS[status], style="Heading 4")
                for text in texts:
                    doc.add_paragraph(_x(text), style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
