"""The compilation of comments received in a consultation, as CSV and as a Word document.

Pure code over small dataclasses (built by redline.services.compilation): grouped by provision
in document order, then by stakeholder category, each comment with its organisation, the
passage it quotes, the drafters' disposition and reason, and the replies in its thread.
The Word document is a clean one: headings, paragraphs and tables, no tracked changes.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime

from docx import Document
from docx.shared import Pt

# XML 1.0 cannot carry these; comment bodies are checked on the way in, names may not be.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Reply:
    comment_id: int
    author: str
    organisation: str
    body: str
    created_at: datetime


@dataclass(frozen=True)
class Entry:
    comment_id: int
    author: str
    organisation: str
    category: str  # label, e.g. "Civil society and academia"
    quote: str
    body: str
    created_at: datetime
    status: str
    disposition: str  # label, "" when none recorded yet
    reason: str
    replies: tuple[Reply, ...] = ()


@dataclass(frozen=True)
class Group:
    category: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Section:
    provision_id: int
    label: str
    groups: tuple[Group, ...]


@dataclass(frozen=True)
class Compilation:
    title: str
    instrument: str
    meeting: str
    opens_at: datetime
    closes_at: datetime
    generated_at: datetime
    sections: tuple[Section, ...]
    withdrawn: int  # withdrawn comments, left out

    @property
    def count(self) -> int:
        return sum(len(g.entries) for s in self.sections for g in s.groups)


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA) else value


def to_csv(c: Compilation) -> str:
    """One row per comment and per reply (reply_to names the comment answered)."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(
        [
            "provision",
            "category",
            "organisation",
            "author",
            "comment_id",
            "reply_to",
            "created_at",
            "passage",
            "comment",
            "disposition",
            "reason",
            "status",
        ]
    )
    for s in c.sections:
        for g in s.groups:
            for e in g.entries:
                w.writerow(
                    [
                        _cell(x)
                        for x in (
                            s.label,
                            g.category,
                            e.organisation,
                            e.author,
                            str(e.comment_id),
                            "",
                            e.created_at.isoformat(),
                            e.quote,
                            e.body,
                            e.disposition,
                            e.reason,
                            e.status,
                        )
                    ]
                )
                for r in e.replies:
                    w.writerow(
                        [
                            _cell(x)
                            for x in (
                                s.label,
                                g.category,
                                r.organisation,
                                r.author,
                                str(r.comment_id),
                                str(e.comment_id),
                                r.created_at.isoformat(),
                                "",
                                r.body,
                                "",
                                "",
                                "",
                            )
                        ]
                    )
    return out.getvalue()


def _x(text: str) -> str:
    return _NOT_XML.sub("", text)


def _when(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC")


def to_docx(c: Compilation) -> bytes:
    """A clean Word document: one table of comments per provision and category."""
    doc = Document()
    doc.styles["Normal"].font.size = Pt(10)
    doc.add_heading(_x(c.title), level=0)
    doc.add_paragraph(_x(f"{c.instrument} · text of {c.meeting}"))
    doc.add_paragraph(
        f"Comments received from {_when(c.opens_at)} to {_when(c.closes_at)}; "
        f"{c.count} comments; compiled {_when(c.generated_at)}."
        + (f" {c.withdrawn} withdrawn comments are not included." if c.withdrawn else "")
    )
    if not c.sections:
        doc.add_paragraph("No comments were received.")
    for s in c.sections:
        doc.add_heading(_x(s.label), level=1)
        for g in s.groups:
            doc.add_heading(_x(g.category), level=2)
            table = doc.add_table(rows=1, cols=5)
            table.style = "Table Grid"
            for cell, title in zip(
                table.rows[0].cells,
                ("Organisation", "Passage", "Comment", "Disposition", "Reason"),
                strict=True,
            ):
                cell.text = ""
                cell.paragraphs[0].add_run(title).bold = True
            for e in g.entries:
                cells = table.add_row().cells
                cells[0].text = _x(f"{e.organisation}\n{e.author}" if e.organisation else e.author)
                cells[1].text = _x(e.quote)
                cells[2].text = _x(e.body)
                for r in e.replies:
                    p = cells[2].add_paragraph()
                    org = f" ({r.organisation})" if r.organisation else ""
                    p.add_run(_x(f"Reply by {r.author}{org}: ")).italic = True
                    p.add_run(_x(r.body))
                cells[3].text = _x(e.disposition or "(pending)")
                cells[4].text = _x(e.reason)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
