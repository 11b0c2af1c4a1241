"""Compare what docx2python, mammoth and our reader make of the cases of issue 10.

    .venv/bin/python bench/word_libraries.py

Each case is a small .docx built the way Word writes it (tests/docx_builders.py); the expected
text is what Word (and LibreOffice) show. Prints, per case and library, the text read and
whether it matches. The findings are summarised in docs/import.md.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from redline.domain.drafts.word.reading import read_word  # noqa: E402
from tests.docx_builders import (  # noqa: E402
    abstract,
    dele,
    docx,
    ins,
    level,
    note,
    note_ref,
    num,
    num_para,
    p,
    r,
)

NUMBERING = abstract(
    1,
    level(0, "decimal", "Article %1", extra='<w:suff w:val="space"/>'),
    level(1, "decimal", "%2."),
    level(2, "lowerLetter", "(%3)"),
) + num(1, 1)
FIELD = (
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> REF _Ref1 \\h '
    '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    '<w:r><w:t>Article 2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
)
CASES = {
    "numbering": (
        docx(
            num_para("Scope", 1) + num_para("It applies.", 1, 1) + num_para("to data", 1, 2),
            numbering=NUMBERING,
        ),
        "Article 1 Scope\n1. It applies.\n(a) to data",
    ),
    "footnote": (
        docx(p("Text", note_ref("footnote", 1), "."), footnotes=note("footnote", 1, "The note.")),
        "Text[^1].",
    ),
    "fields": (
        docx(
            p(
                "See ",
                FIELD,
                " and ",
                '<w:fldSimple w:instr=" REF _Ref2 "><w:r><w:t>Article 3</w:t></w:r></w:fldSimple>',
                ".",
            )
        ),
        "See Article 2 and Article 3.",
    ),
    "content control": (
        docx(
            p("A ", "<w:sdt><w:sdtContent>" + r("controlled") + "</w:sdtContent></w:sdt>", " word.")
        ),
        "A controlled word.",
    ),
    "tracked (accept)": (
        docx(p("measures as ", dele("may be necessary"), ins(r("are required")), " to carry out")),
        "measures as are required to carry out",
    ),
}


def ours(data: bytes) -> str:
    return "\n".join(x.text for x in read_word(data)[0])


def with_docx2python(data: bytes) -> str:
    from docx2python import docx2python

    with docx2python(io.BytesIO(data)) as result:
        return "\n".join(x for x in result.text.split("\n") if x.strip())


def with_mammoth(data: bytes) -> str:
    import mammoth

    return "\n".join(
        x for x in mammoth.extract_raw_text(io.BytesIO(data)).value.split("\n") if x.strip()
    )


def main() -> None:
    readers = {"ours": ours, "docx2python": with_docx2python, "mammoth": with_mammoth}
    for case, (data, expected) in CASES.items():
        print(f"== {case}: expected {expected!r}")
        for name, read in readers.items():
            try:
                got = read(data)
            except Exception as exc:  # noqa: BLE001 - a library failing is a finding
                got = f"error: {exc!r}"
            print(f"   {name:<12} {'ok ' if got == expected else 'NO '} {got!r}")


if __name__ == "__main__":
    main()
