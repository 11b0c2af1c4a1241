"""The one way a provision is named: its number and heading joined as drafters write them."""

from __future__ import annotations


def heading_parts(number: str, heading: str, kind: str = "article") -> tuple[str, str, str]:
    """(number, separator, heading) of a heading line: "Article 6", " – ", "Direct disclosure".

    A number ending in "." or ")" ("0.", "a)") is followed by a plain space, as in the GPL; a
    bare section number ("0", "12") reads with its period ("0. Definitions"); any other number
    ("Article 6") takes a dash. A preamble with neither number nor heading is headed "Preamble".
    This is the one provision title format: pages, compare, Word and the API all use it.
    """
    if not number and not heading and kind == "preamble":
        heading = "Preamble"
    if number and heading:
        if number[-1] in ".)":
            sep = " "
        elif number[-1].isalnum() and not any(c.isspace() for c in number):
            sep = ". "
        else:
            sep = " – "
    else:
        sep = ""
    return number, sep, heading


def heading_label(number: str, heading: str, kind: str = "article") -> str:
    return "".join(heading_parts(number, heading, kind))
