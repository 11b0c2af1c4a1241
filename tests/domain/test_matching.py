"""Matching an imported draft's provisions to the instrument's existing provisions."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from redline.domain.drafts.matching import Existing, Match, match_provisions
from redline.domain.drafts.reading import ParsedProvision, read_draft

TEXTS = Path(__file__).resolve().parents[2] / "redline" / "demo" / "texts"
GPL_HISTORY = [
    "GPLv3_discussion-draft-1_2006-01-16.txt",
    "GPLv3_discussion-draft-2_2006-07-27.txt",
    "GPLv3_discussion-draft-3_2007-03-28.txt",
    "GPLv3_last-call-draft_2007-05-31.txt",
    "GPL-3.0_2007-06-29.txt",
]


def load(name: str) -> list[ParsedProvision]:
    return list(read_draft(name, (TEXTS / name).read_bytes()).provisions)


def existing(provisions: Sequence[ParsedProvision], first_id: int = 1) -> list[Existing]:
    return [
        Existing(first_id + i, p.number, p.heading, p.kind, p.text, i)
        for i, p in enumerate(provisions)
    ]


def art(number: int | str, heading: str, text: str, kind: str = "article") -> ParsedProvision:
    number = f"Article {number}" if isinstance(number, int) else number
    return ParsedProvision(kind, number, heading, text, tuple(text.split("\n\n")) if text else ())


class Instrument:
    """The import flow in miniature: provisions keep ids from one draft to the next."""

    def __init__(self) -> None:
        self.current: list[Existing] = []
        self.next_id = 1
        self.history: list[dict[str, int]] = []  # per draft: "number heading" -> provision id

    def import_draft(self, provisions: Sequence[ParsedProvision]) -> list[Match]:
        matches = match_provisions(self.current, provisions)
        ids = {}
        for match in matches:
            if match.parsed_index is None:
                continue
            if match.provision_id is None:
                ids[match.parsed_index] = self.next_id
                self.next_id += 1
            else:
                ids[match.parsed_index] = match.provision_id
        self.current = [
            Existing(ids[i], p.number, p.heading, p.kind, p.text, i)
            for i, p in enumerate(provisions)
        ]
        self.history.append(
            {f"{p.kind} {p.number} {p.heading}": ids[i] for i, p in enumerate(provisions)}
        )
        return matches


def by_label(
    old: Sequence[ParsedProvision], new: Sequence[ParsedProvision], matches: Sequence[Match]
) -> dict[str, tuple[str, str]]:
    """'kind number' -> (status, new number) of each existing provision, for readable asserts
    (a later provision with the same kind and number, such as a second TITLE 3, overwrites)."""
    out = {}
    for match in matches:
        if match.provision_id is None:
            continue
        before = old[match.provision_id - 1]
        after = new[match.parsed_index].number if match.parsed_index is not None else None
        out[f"{before.kind} {before.number}".strip()] = (match.status, after)
    return out


def test_gpl_draft1_to_draft2():
    old, new = load(GPL_HISTORY[0]), load(GPL_HISTORY[1])
    result = by_label(old, new, match_provisions(existing(old), new))
    # Every section 0-17 keeps its identity, including those rewritten and renamed in place
    # ("Digital Restrictions Management" became "No Denying Users' Rights through Technical
    # Measures", "License Compatibility" became "Additional Terms").
    for number in range(18):
        assert result[f"article {number}"][1] == str(number)
    assert result["article 3"] == ("changed", "3")
    assert result["article 7"] == ("changed", "7")
    assert result["article 18"] == ("removed", None)  # the safety-critical disclaimer went
    statuses = Counter(m.status for m in match_provisions(existing(old), new))
    assert statuses["new"] == 2  # the "TERMS AND CONDITIONS" and "NO WARRANTY" headings


def test_gpl_draft1_section16_keeps_its_text_under_a_new_heading():
    old, new = load(GPL_HISTORY[0]), load(GPL_HISTORY[1])
    matches = match_provisions(existing(old), new)
    section16 = next(
        m for m in matches if m.parsed_index is not None and new[m.parsed_index].number == "16"
    )
    assert old[section16.provision_id - 1].heading == "NO WARRANTY"
    assert new[section16.parsed_index].heading == "Disclaimer of Warranty"
    assert (section16.status, section16.text_changed, section16.similarity) == (
        "changed",
        False,
        1.0,
    )


def test_gpl_draft2_to_draft3_sections_removed_added_and_merged():
    old, new = load(GPL_HISTORY[1]), load(GPL_HISTORY[2])
    matches = match_provisions(existing(old), new)
    result = by_label(old, new, matches)
    assert result["article 13"] == ("removed", None)  # Geographical Limitations
    assert result["article 15"] == ("removed", None)  # Requesting Exceptions
    # "16. Disclaimer of Warranty" and "17. Limitation of Liability" merged into section 15:
    # the first keeps the identity, renumbered.
    assert result["article 16"] == ("renumbered", "15")
    assert result["article 17"] == ("removed", None)
    added = [new[m.parsed_index] for m in matches if m.status == "new"]
    assert ("13", "Use with the Affero General Public License") in [
        (p.number, p.heading) for p in added
    ]


def test_gpl_draft3_to_last_call_split():
    old, new = load(GPL_HISTORY[2]), load(GPL_HISTORY[3])
    matches = match_provisions(existing(old), new)
    result = by_label(old, new, matches)
    assert result["article 15"] == ("changed", "15")
    added = {new[m.parsed_index].number for m in matches if m.status == "new"}
    assert added == {"16", "17"}  # Limitation of Liability; Interpretation of Sections 15 and 16


def test_gpl_last_call_to_final():
    old, new = load(GPL_HISTORY[3]), load(GPL_HISTORY[4])
    matches = match_provisions(existing(old), new)
    result = by_label(old, new, matches)
    for number in range(18):
        assert result[f"article {number}"][1] == str(number)
    assert result["annex 0"] == ("renumbered", "")  # "0. HOW TO APPLY ..." lost its number
    unchanged = [new[m.parsed_index] for m in matches if m.status == "unchanged"]
    assert [p.number for p in unchanged if p.kind == "article"] == [
        "1",
        "4",
        "9",
        "10",
        "15",
        "16",
        "17",
    ]
    assert not [m for m in matches if m.status in ("new", "removed")]


def test_gpl2_to_gpl3_draft1_renumbers_sections():
    old, new = load("GPL-2.0_1991-06.txt"), load(GPL_HISTORY[0])
    result = by_label(old, new, match_provisions(existing(old), new))
    assert result["article 1"] == ("renumbered", "4")  # verbatim copying
    assert result["article 8"] == ("renumbered", "13")  # geographical limitations
    assert result["article 10"] == ("renumbered", "15")  # requesting exceptions
    assert result["article 12"] == ("renumbered", "17")  # limitation of liability


def test_identity_survives_the_whole_gplv3_drafting_history():
    instrument = Instrument()
    for name in GPL_HISTORY:
        instrument.import_draft(load(name))
    draft1, final = instrument.history[0], instrument.history[-1]
    assert final["article 0 Definitions"] == draft1["article 0 Definitions"]
    assert final["article 1 Source Code"] == draft1["article 1 Source Code"]
    assert final["article 7 Additional Terms"] == draft1["article 7 License Compatibility"]
    assert final["article 15 Disclaimer of Warranty"] == draft1["article 16 NO WARRANTY"]
    assert final["preamble  Preamble"] == draft1["preamble  Preamble"]


def test_budapest_drafts_and_variant():
    draft19 = load("budapest_convention_2000-04-25_draft19_preamble_fragment.txt")
    draft21 = load("budapest_convention_2000-06-28_draft21_preamble_fragment.txt")
    matches = match_provisions(existing(draft19), draft21)
    assert [m.status for m in matches] == ["changed", "changed"]  # cover page and preamble
    assert matches[1].similarity > 0.9

    final = load("budapest_convention_2001_final.txt")
    variant = load(
        "budapest_convention_undated_variant_wording_art18_art30-32_secondary_sources_fragment.txt"
    )
    matches = match_provisions(existing(final), variant)
    result = by_label(final, variant, matches)
    assert result["article Article 18"] == ("changed", "Article 18")
    title3 = next(m for m in matches if m.parsed_index == 0)  # "TITLE 3 – Production order"
    assert final[title3.provision_id - 1].heading == "PRODUCTION ORDER"
    # The headless excerpt of Article 30, paragraph 2 is recognised by its wording.
    assert result["article Article 30"] == ("renumbered", "")
    assert result["article Article 19"] == ("removed", None)


def test_matching_is_fast_on_a_full_treaty():
    final = load("budapest_convention_2001_final.txt")
    redraft = [
        art(f"Article {int(p.number.split()[1]) + 1}", p.heading, p.text.replace("Party", "State"))
        if p.kind == "article"
        else p
        for i, p in enumerate(final)
        if i % 9 != 4
    ]
    start = time.perf_counter()
    matches = match_provisions(existing(final), redraft)
    assert time.perf_counter() - start < 1.0
    assert Counter(m.status for m in matches)["renumbered"] > 40


# Synthetic cases: five short articles of a protocol.
BASE = [
    art(1, "Purpose", "The purpose of this Protocol is to supplement the Convention."),
    art(2, "Scope", "This Protocol applies to specific criminal investigations or proceedings."),
    art(
        3,
        "Definitions",
        "For the purposes of this Protocol, the definitions of the Convention "
        "apply and central authority means the authority designated under a treaty.",
    ),
    art(
        4,
        "Language",
        "Requests shall be submitted in a language acceptable to the requested "
        "Party or accompanied by a translation into such a language.",
    ),
    art(
        5,
        "Video conferencing",
        "A requesting Party may request, and the requested Party may "
        "permit, testimony and statements to be taken from a witness or expert by video.",
    ),
]


def statuses(matches: Sequence[Match]) -> list[tuple[int | None, int | None, str]]:
    return [(m.parsed_index, m.provision_id, m.status) for m in matches]


def test_identical_draft_is_unchanged():
    assert statuses(match_provisions(existing(BASE), BASE)) == [
        (i, i + 1, "unchanged") for i in range(5)
    ]


def test_inserted_article_renumbers_the_rest():
    new = [
        BASE[0],
        art(
            2,
            "Emergency procedures",
            "In an emergency each Party shall respond "
            "within hours to requests for expedited disclosure.",
        ),
        *[art(i + 1, p.heading, p.text) for i, p in enumerate(BASE[1:], start=2)],
    ]
    matches = match_provisions(existing(BASE), new)
    assert statuses(matches) == [
        (0, 1, "unchanged"),
        (1, None, "new"),
        (2, 2, "renumbered"),
        (3, 3, "renumbered"),
        (4, 4, "renumbered"),
        (5, 5, "renumbered"),
    ]
    assert all(not m.text_changed and m.similarity == 1.0 for m in matches[2:])


def test_reordered_and_removed_and_reworded():
    new = [
        art(1, "Purpose", BASE[0].text),
        art(2, "Video conferencing", BASE[4].text.replace("by video", "by video conference")),
        art(3, "Scope", BASE[1].text),
        art(4, "Definitions", BASE[2].text),
    ]
    result = statuses(match_provisions(existing(BASE), new))
    assert result == [
        (0, 1, "unchanged"),
        (1, 5, "renumbered"),
        (2, 2, "renumbered"),
        (3, 3, "renumbered"),
        (None, 4, "removed"),
    ]


def test_identical_text_under_new_number_and_heading_is_the_same_provision():
    new = [art(9, "Use of video", BASE[4].text)]
    (match, *removed) = match_provisions(existing(BASE), new)
    assert (match.provision_id, match.status, match.text_changed) == (5, "renumbered", False)
    assert [m.status for m in removed] == ["removed"] * 4


def test_changed_text_same_number():
    new = [art(1, "Purpose", BASE[0].text.replace("supplement", "complement")), *BASE[1:]]
    first = match_provisions(existing(BASE), new)[0]
    assert (first.provision_id, first.status, first.text_changed) == (1, "changed", True)
    assert 0.8 < first.similarity < 1.0


def test_unrelated_replacement_is_new_not_changed():
    new = [
        *BASE[:4],
        art(
            5,
            "Joint investigation teams",
            "Competent authorities of two or "
            "more Parties may establish a joint investigation team by agreement.",
        ),
    ]
    assert statuses(match_provisions(existing(BASE), new))[4:] == [
        (4, None, "new"),
        (None, 5, "removed"),
    ]


def test_divisions_only_match_divisions():
    old = [art("CHAPTER I", "Definitions", "", kind="division"), *BASE[2:3]]
    new = [
        art("Article 3", "Definitions", ""),
        art("CHAPTER I", "Definitions and scope", "", kind="division"),
    ]
    matches = match_provisions(existing(old), new)
    assert statuses(matches)[0] == (0, None, "new")
    assert (matches[1].provision_id, matches[1].status) == (1, "changed")


def test_repeated_texts_are_told_apart_by_number():
    old = [art(i, "", "[Deleted]") for i in (1, 2, 3)]
    new = [art(i, "", "[Deleted]") for i in (3, 1)]
    assert statuses(match_provisions(existing(old), new)) == [
        (0, 3, "unchanged"),
        (1, 1, "unchanged"),
        (None, 2, "removed"),
    ]


def test_empty_sides():
    assert statuses(match_provisions([], BASE)) == [(i, None, "new") for i in range(5)]
    assert statuses(match_provisions(existing(BASE), [])) == [
        (None, i, "removed") for i in range(1, 6)
    ]


@settings(max_examples=40, deadline=None)
@given(st.permutations(range(5)), st.sets(st.integers(0, 4), max_size=3))
def test_moved_and_dropped_articles_keep_their_identity(order: list[int], dropped: set[int]):
    kept = [i for i in order if i not in dropped]
    new = [art(position + 1, BASE[i].heading, BASE[i].text) for position, i in enumerate(kept)]
    matches = match_provisions(existing(BASE), new)
    assert [m.provision_id for m in matches if m.parsed_index is not None] == [i + 1 for i in kept]
    assert sorted(m.provision_id for m in matches) == [1, 2, 3, 4, 5]  # each exactly once
    assert {m.provision_id for m in matches if m.status == "removed"} == {i + 1 for i in dropped}


@pytest.mark.parametrize("name", ["CC-BY-2.0_2004.txt", "budapest_convention_2001_final.txt"])
def test_one_to_one(name: str):
    old = load(name)
    matches = match_provisions(existing(old), old[::-1])
    ids = [m.provision_id for m in matches]
    assert len(ids) == len(set(ids)) == len(old)


def test_matching_a_thousand_provisions_does_not_compare_every_pair():
    """Issue 12, fault 6: 1,000 x 1,000 took 70 s when every pair was compared. A hang guard
    (signal.alarm), never a timing assertion; bench/matching_bench.py gives the figures."""
    import random
    import signal

    source = [p for name in GPL_HISTORY for p in load(name) if p.text and p.kind == "article"]
    rng = random.Random(6)
    first = [
        art(i + 1, f"{p.heading} ({i // len(source) + 1})", p.text)
        for i, p in enumerate(source[i % len(source)] for i in range(1_000))
    ]
    second = []
    for p in first:
        words = p.text.split(" ")
        if rng.random() < 0.3:
            words[rng.randrange(len(words))] = "Contracting"
        second.append(art(len(second) + 1, p.heading, " ".join(words)))
    del second[500:510]  # a removed block: everything after it is renumbered

    def hung(signum, frame):
        raise TimeoutError("matching compared every pair")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    try:
        matches = match_provisions(existing(first), second)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    by_parsed = {m.parsed_index: m.provision_id for m in matches if m.parsed_index is not None}
    # Every provision kept its identity, renumbered ones included.
    assert by_parsed == {i: (i + 1 if i < 500 else i + 11) for i in range(990)}
