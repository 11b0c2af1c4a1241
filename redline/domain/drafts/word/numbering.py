"""Word's automatic numbering, rendered to the text Word shows ("Article 3", "1.", "(b)", "ii)").

numbering.xml holds abstract lists (`w:abstractNum`: nine levels, each with a start value, a
number format, a `lvlText` pattern such as "Article %1" or "%1.%2.", a restart rule, the
"legal" flag and the suffix after the number) and list instances (`w:num`) that point at an
abstract list and may override levels or their start. As in Word, counters belong to the
abstract list: two instances of one abstract list continue each other, unless an instance
overrides a level's start, which restarts that level when the instance is first used.

`format_number` is a pure table of formats; `Numbering` keeps the counters while the reader walks
the document in order and returns each numbered paragraph's label.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from redline.domain.drafts.word.package import on, small_int, w, wval

W_ABSTRACTNUM = w("abstractNum")
W_ABSTRACTNUMID = w("abstractNumId")
W_ILVL = w("ilvl")
W_LVL = w("lvl")
W_LVLOVERRIDE = w("lvlOverride")
W_NUM = w("num")
W_NUMID = w("numId")

_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)
_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORD_WORDS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}
_CHICAGO = ("*", "\u2020", "\u2021", "\u00a7")
# Bullets Word writes in the Symbol / Wingdings private-use area, shown as these characters.
BULLETS = {
    "\uf0b7": "\u2022",
    "\uf0a7": "\u25aa",
    "\uf0d8": "\u27a2",
    "\uf076": "\u2756",
    "\uf0fc": "\u2714",
    "\uf02d": "-",
    "\uf06f": "o",
    "\uf0a8": "\u25a1",
}


def _roman(value: int) -> str:
    out = []
    for amount, letters in _ROMAN:
        count, value = divmod(value, amount)
        out.append(letters * count)
    return "".join(out)


def _letters(value: int) -> str:
    # Word's letters repeat rather than carry: ..., z, aa, bb, ..., zz, aaa.
    repeat, index = divmod(value - 1, 26)
    return chr(ord("a") + index) * (repeat + 1)


def _words(value: int) -> str:
    if value < 20:
        return _ONES[value]
    if value < 100:
        tens, ones = divmod(value, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    hundreds, rest = divmod(value, 100)
    if value < 1000:
        return f"{_ONES[hundreds]} hundred" + (f" {_words(rest)}" if rest else "")
    return str(value)


def _ordinal_words(value: int) -> str:
    words = _words(value)
    head, _, last = words.rpartition("-") if "-" in words else words.rpartition(" ")
    sep = "-" if "-" in words else " "
    if last in _ORD_WORDS:
        last = _ORD_WORDS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head}{sep}{last}" if head else last


def _ordinal(value: int) -> str:
    if 10 <= value % 100 <= 20:
        return f"{value}th"
    return f"{value}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(value % 10, 'th') }"


@lru_cache(maxsize=4096)
def format_number(value: int, fmt: str) -> str:
    """`value` as Word shows it in number format `fmt` (ST_NumberFormat); unknown -> decimal.
    Past 32767 (Word's largest start value) every format is decimal: "a" * 38 million is no
    number anyone wants, nor a string anyone should build."""
    if fmt in ("none", "bullet"):
        return ""
    if value > 32767:
        return str(value)
    if value <= 0 and fmt not in ("decimal", "decimalZero"):
        return str(value)  # Word shows letters and roman numerals only from 1
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("lowerLetter", "upperLetter"):
        text = _letters(value)
        return text.upper() if fmt == "upperLetter" else text
    if fmt in ("lowerRoman", "upperRoman"):
        text = _roman(value)
        return text.upper() if fmt == "upperRoman" else text
    if fmt == "ordinal":
        return _ordinal(value)
    if fmt == "cardinalText":
        return _words(value).capitalize()
    if fmt == "ordinalText":
        return _ordinal_words(value).capitalize()
    if fmt == "decimalEnclosedParen":
        return f"({value})"
    if fmt == "decimalEnclosedFullstop":
        return f"{value}."
    if fmt == "decimalEnclosedCircle" and value <= 20:
        return chr(0x2460 + value - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(0xFF10 + int(d)) for d in str(value))
    if fmt == "hex":
        return f"{value:X}"
    if fmt == "chicago":
        repeat, index = divmod(value - 1, len(_CHICAGO))
        return _CHICAGO[index] * (repeat + 1)
    return str(value)


@dataclass(frozen=True)
class Level:
    """One level of a list: how its number is counted and shown."""

    start: int = 1
    fmt: str = "decimal"
    text: str = ""  # lvlText, e.g. "Article %1", "%1.%2.", "(%2)"
    restart: int | None = None  # lvlRestart: 0 = never; n = after a use of level n (1-based)
    legal: bool = False  # isLgl: show every level's number in decimal
    suffix: str = "tab"  # "tab" | "space" | "nothing"
    style: str = ""  # pStyle: the paragraph style linked to this level


def read_level(lvl) -> Level:
    start = wval(lvl, "start")
    restart = wval(lvl, "lvlRestart")
    return Level(
        start=_int(start, 1),
        fmt=wval(lvl, "numFmt") or "decimal",
        text=wval(lvl, "lvlText") or "",
        restart=_int(restart, 0) if restart is not None else None,
        legal=bool(on(lvl, "isLgl")),
        suffix=wval(lvl, "suff") or "tab",
        style=wval(lvl, "pStyle") or "",
    )


def _int(value: str | None, default: int) -> int:
    return small_int(value, default)


@dataclass(frozen=True, eq=False)  # hashed by identity: cached per instance
class ListInstance:
    abstract: str
    levels: dict[int, Level]  # the instance's levels, overrides applied
    starts: dict[int, int]  # startOverride per level: restarts that level on first use


class Numbering:
    """The lists of one document and their running counters."""

    def __init__(self, root, style_num_ids: dict[str, str] | None = None) -> None:
        self.instances: dict[str, ListInstance] = {}
        self._counters: dict[str, list[int | None]] = {}
        self._used: set[str] = set()
        if root is None:
            return
        abstracts: dict[str, dict[int, Level]] = {}
        links: dict[str, str] = {}  # abstractNum -> numbering style it takes its levels from
        for abstract in root.iter(W_ABSTRACTNUM):
            ident = abstract.get(W_ABSTRACTNUMID, "")
            abstracts[ident] = {
                _int(lvl.get(W_ILVL), 0): read_level(lvl) for lvl in abstract.iter(W_LVL)
            }
            link = wval(abstract, "numStyleLink")
            if link:
                links[ident] = link
        nums = {num.get(W_NUMID, ""): num for num in root.iter(W_NUM)}
        for num_id, num in nums.items():
            abstract = wval(num, "abstractNumId") or ""
            if abstract in links and style_num_ids and links[abstract] in style_num_ids:
                linked = nums.get(style_num_ids[links[abstract]])
                if linked is not None:  # a list style: its own list holds the levels
                    abstract = wval(linked, "abstractNumId") or abstract
            levels = dict(abstracts.get(abstract, {}))
            starts: dict[int, int] = {}
            for override in num.iter(W_LVLOVERRIDE):
                ilvl = _int(override.get(W_ILVL), 0)
                lvl = override.find(W_LVL)
                if lvl is not None:
                    levels[ilvl] = read_level(lvl)
                start = wval(override, "startOverride")
                if start is not None:
                    starts[ilvl] = _int(start, 1)
                    levels[ilvl] = replace(levels.get(ilvl, Level()), start=starts[ilvl])
            self.instances[num_id] = ListInstance(abstract, levels, starts)

    def level_for_style(self, num_id: str, style_id: str) -> int | None:
        """The level of list `num_id` linked to paragraph style `style_id` (w:pStyle)."""
        instance = self.instances.get(num_id)
        if instance is None:
            return None
        for ilvl, level in instance.levels.items():
            if level.style and level.style == style_id:
                return ilvl
        return None

    def label(self, num_id: str, ilvl: int) -> str | None:
        """Count one paragraph of list `num_id` at level `ilvl` and return its label with the
        suffix ("Article 3 ", "(b) "); None when the paragraph is not numbered."""
        instance = self.instances.get(num_id)
        if num_id == "0" or instance is None or not 0 <= ilvl <= 8:
            return None
        counters = self._counters.setdefault(instance.abstract, [None] * 9)
        if num_id not in self._used:
            self._used.add(num_id)
            for level in instance.starts:
                if 0 <= level <= 8:
                    counters[level] = None  # an overridden start restarts the level
        level = instance.levels.get(ilvl, Level())
        current = counters[ilvl]
        counters[ilvl] = level.start if current is None else current + 1
        for deeper in _restarted(instance, ilvl):
            counters[deeper] = None
        return self._render(instance, level, counters)

    def _render(self, instance: ListInstance, level: Level, counters: list[int | None]) -> str:
        if level.fmt == "bullet":
            text = "".join(BULLETS.get(ch, ch) for ch in level.text)
        else:
            pieces = []
            for piece in _pattern(level.text):
                if isinstance(piece, str):
                    pieces.append(piece)
                    continue
                shown = instance.levels.get(piece, _PLAIN)
                value = counters[piece]
                fmt = shown.fmt
                if level.legal and fmt not in ("none", "bullet"):
                    fmt = "decimal"
                pieces.append(format_number(shown.start if value is None else value, fmt))
            text = "".join(pieces)
        if not text:
            return ""
        return text + {"tab": " ", "space": " "}.get(level.suffix, "")


_PLAIN = Level()


@lru_cache(maxsize=1024)
def _restarted(instance: ListInstance, ilvl: int) -> tuple[int, ...]:
    """The deeper levels that restart when level `ilvl` of `instance` counts (lvlRestart)."""
    found = []
    for deeper in range(ilvl + 1, 9):
        rule = instance.levels.get(deeper, _PLAIN).restart
        if rule is None or (rule != 0 and ilvl <= rule - 1):
            found.append(deeper)
    return tuple(found)


@lru_cache(maxsize=256)
def _pattern(text: str) -> tuple[str | int, ...]:
    """lvlText split into literal text and level indexes: "%1.%2." -> (0, ".", 1, ".")."""
    out: list[str | int] = []
    literal = []
    i = 0
    while i < len(text):
        if text[i] == "%" and i + 1 < len(text) and text[i + 1] in "123456789":
            if literal:
                out.append("".join(literal))
                literal = []
            out.append(int(text[i + 1]) - 1)
            i += 2
        else:
            literal.append(text[i])
            i += 1
    if literal:
        out.append("".join(literal))
    return tuple(out)
