"""Checks on text that people type or upload, before anything is stored."""

from __future__ import annotations

import re

# C0 and C1 control characters other than tab, line feed and carriage return; also the
# Unicode non-characters that XML (and so Word) cannot carry.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


class TextError(ValueError):
    """What is wrong with a text, in words a drafter understands."""

    def __init__(self, message: str, too_large: bool = False) -> None:
        super().__init__(message)
        self.too_large = too_large


def clean_text(text: str, max_chars: int, what: str = "The text") -> str:
    """Normalise line endings and refuse what cannot be stored faithfully."""
    if not isinstance(text, str):
        raise TextError(f"{what} must be a string.")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > max_chars:
        raise TextError(
            f"{what} has {len(text):,} characters; the limit is {max_chars:,}.", too_large=True
        )
    m = _FORBIDDEN.search(text)
    if m:
        raise TextError(
            f"{what} contains a control character (U+{ord(m.group()):04X}) at position "
            f"{m.start()}; remove it and try again."
        )
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise TextError(f"{what} contains an unpaired surrogate (invalid Unicode).")
    return text
