"""Merging concurrent edits: tables of cases, the case patch_apply gets wrong, and properties."""

from __future__ import annotations

import pytest
from diff_match_patch import diff_match_patch
from hypothesis import event, given, settings
from hypothesis import strategies as st

from redline.domain.text.merge import (
    MergeOutcome,
    Region,
    change_regions,
    merge_edit,
    splice,
)
from redline.domain.text.redline import new_text, old_text, redline

RECITALS = (
    "Recognising the value of fostering co-operation with the other States signatories to this "
    "Convention;\n\n"
    "Convinced of the need to pursue, as a matter of priority, a common criminal policy aimed at "
    "the protection of society against cyber-crime, inter alia by adopting appropriate "
    "legislation and fostering international co-operation;"
)
PHRASE = (
    "Each Party shall adopt such legislative and other measures as may be necessary to establish"
)
ARTICLES = f"1. {PHRASE} offences.\n\n2. {PHRASE} powers.\n\n3. {PHRASE} jurisdiction."
SENTENCE = "The Party shall adopt measures, as appropriate, to preserve data."


@pytest.mark.parametrize(
    ("base", "mine", "head", "status", "text"),
    [
        pytest.param(SENTENCE, "x", SENTENCE, "clean", "x", id="head-not-moved"),
        pytest.param(
            SENTENCE,
            SENTENCE.replace("adopt", "take"),
            SENTENCE.replace("adopt", "take"),
            "clean",
            SENTENCE.replace("adopt", "take"),
            id="same-edit-both-sides",
        ),
        pytest.param(
            SENTENCE,
            SENTENCE,
            SENTENCE.replace("adopt", "take"),
            "merged",
            SENTENCE.replace("adopt", "take"),
            id="mine-unchanged-takes-head",
        ),
        pytest.param(
            SENTENCE,
            SENTENCE.replace("adopt", "take"),
            SENTENCE.replace("preserve", "secure"),
            "merged",
            "The Party shall take measures, as appropriate, to secure data.",
            id="different-words",
        ),
        pytest.param(
            SENTENCE,
            SENTENCE.replace("shall adopt", "shall take"),
            SENTENCE.replace("The Party", "Each Party"),
            "merged",
            "Each Party shall take measures, as appropriate, to preserve data.",
            id="words-one-space-apart",
        ),
        pytest.param(
            SENTENCE,
            SENTENCE.replace("adopt", "take"),
            SENTENCE.replace("adopt", "enact"),
            "conflict",
            None,
            id="same-word-differently",
        ),
        pytest.param(
            "colour",
            "color",
            "colours",
            "conflict",
            None,
            id="same-word-different-letters",
        ),
        pytest.param(
            SENTENCE,
            SENTENCE.replace("measures,", "measures, where necessary,"),
            SENTENCE.replace("measures,", "measures, promptly,"),
            "conflict",
            None,
            id="both-insert-at-one-point",
        ),
        pytest.param(
            SENTENCE,
            SENTENCE.replace("measures", "steps"),
            SENTENCE.replace("measures,", "measures;"),
            "conflict",
            None,
            id="touching-word-and-comma",
        ),
        pytest.param(
            SENTENCE,
            SENTENCE.replace(", as appropriate,", ""),
            SENTENCE.replace("as appropriate", "where appropriate"),
            "conflict",
            None,
            id="delete-what-other-edited",
        ),
        pytest.param(
            SENTENCE,
            SENTENCE.replace("adopt", "take").replace("data", "computer data"),
            SENTENCE.replace("adopt", "take"),
            "clean",
            SENTENCE.replace("adopt", "take").replace("data", "computer data"),
            id="their-edit-already-in-mine",
        ),
        pytest.param(
            SENTENCE,
            SENTENCE.replace("adopt", "take").replace("data", "computer data"),
            SENTENCE.replace("adopt", "take").replace("The", "Each"),
            "merged",
            "Each Party shall take measures, as appropriate, to preserve computer data.",
            id="shared-edit-taken-once",
        ),
        pytest.param(
            RECITALS,
            RECITALS.replace("signatories", "parties"),
            RECITALS.replace("cyber-crime", "cybercrime").replace("alia by", "alia, by"),
            "merged",
            RECITALS.replace("signatories", "parties")
            .replace("cyber-crime", "cybercrime")
            .replace("alia by", "alia, by"),
            id="budapest-two-recitals",
        ),
        pytest.param("", "a", "", "clean", "a", id="empty-base-head-not-moved"),
        pytest.param("", "a", "b", "conflict", None, id="empty-base-both-insert"),
        pytest.param("gone", "", "gone too", "conflict", None, id="delete-all-vs-edit"),
    ],
)
def test_merge_cases(base, mine, head, status, text):
    outcome = merge_edit(base, mine, head)
    assert (outcome.status, outcome.text) == (status, text)
    assert outcome.mine_ops == tuple(redline(base, mine))
    assert outcome.theirs_ops == tuple(redline(base, head))
    assert new_text(outcome.mine_ops) == mine  # what the user typed is never lost


def test_repeated_phrase_lands_where_it_was_made():
    """The case that rules out patch_apply: the head inserted an article in front, so the
    user's hunk context ("...as may be necessary to establish...") now sits, at the expected
    offset, in the wrong article. patch_apply reports success and edits Article 2 (default
    threshold) or fails (strict threshold); the three-way merge edits Article 3."""
    mine = ARTICLES.replace(
        "necessary to establish jurisdiction", "required to establish jurisdiction"
    )
    head = f"0. {PHRASE} procedures.\n\n" + ARTICLES
    dmp = diff_match_patch()
    wrong, applied = dmp.patch_apply(dmp.patch_make(ARTICLES, mine), head)
    assert applied == [True] and "required to establish powers" in wrong  # the hazard is real

    outcome = merge_edit(ARTICLES, mine, head)
    assert outcome.status == "merged"
    assert outcome.text == f"0. {PHRASE} procedures.\n\n" + mine
    assert outcome.text.count("required") == 1


def test_regions_and_splice():
    ops = redline("a b c d", "a x c d e")
    assert change_regions(ops) == [Region(2, 3, "x"), Region(7, 7, " e")]
    assert splice("a b c d", change_regions(ops)) == "a x c d e"


def test_outcome_is_frozen():
    outcome = merge_edit("a", "b", "a")
    assert isinstance(outcome, MergeOutcome) and not outcome.conflicted
    with pytest.raises(AttributeError):
        outcome.status = "conflict"  # type: ignore[misc]


# --- properties ------------------------------------------------------------------------------

WORDS = ["Party", "shall", "may", "data", "the", "of", "measures", "co-operation", "État", "18"]
SEPS = [" ", " ", " ", ", ", "; "]
paragraph = st.lists(st.sampled_from(WORDS), min_size=3, max_size=8)
documents = st.lists(paragraph, min_size=2, max_size=6)
NEW_WORDS = ["Parties", "computer", "promptly", "where", "lawful", "données"]


def _join(paras: list[list[str]], seps: list[str]) -> str:
    return "\n\n".join(
        "".join(w + (seps[(i + j) % len(seps)] if j < len(p) - 1 else ".") for j, w in enumerate(p))
        for i, p in enumerate(paras)
    )


@st.composite
def edit_of(draw, words: list[str]) -> list[str]:
    """One word-level edit of a paragraph: replace, insert or delete a word."""
    words = list(words)
    i = draw(st.integers(0, len(words) - 1))
    new = draw(st.sampled_from(NEW_WORDS))
    kind = draw(st.sampled_from(["replace", "insert", "delete"]))
    if kind == "replace":
        words[i] = new
    elif kind == "insert":
        words.insert(i, new)
    else:
        del words[i]
    return words


@st.composite
def disjoint_edits(draw):
    paras = draw(documents)
    n = len(paras)
    owner = draw(st.lists(st.sampled_from(["mine", "theirs", None]), min_size=n, max_size=n))
    order = draw(st.permutations(range(n)))
    owner[order[0]], owner[order[1]] = "mine", "theirs"  # each side edits at least once
    mine, theirs, both = list(paras), list(paras), list(paras)
    for i, who in enumerate(owner):
        if who is not None:
            edited = draw(edit_of(paras[i]))
            (mine if who == "mine" else theirs)[i] = edited
            both[i] = edited
    return paras, mine, theirs, both


@settings(deadline=None, max_examples=150)
@given(disjoint_edits())
def test_property_disjoint_paragraph_edits_always_merge(case):
    paras, mine, theirs, both = case
    base, mine_t, head, expected = (_join(p, SEPS) for p in (paras, mine, theirs, both))
    outcome = merge_edit(base, mine_t, head)
    assert outcome.status in ("merged", "clean"), outcome
    assert outcome.text == expected  # every edit of both sides, each in its own paragraph


@st.composite
def overlapping_edits(draw):
    paras = draw(documents)
    p = draw(st.integers(0, len(paras) - 1))
    i = draw(st.integers(0, len(paras[p]) - 1))
    w1, w2 = draw(st.lists(st.sampled_from(NEW_WORDS), min_size=2, max_size=2, unique=True))
    how = draw(st.sampled_from(["replace", "insert"]))
    mine, theirs = [list(x) for x in paras], [list(x) for x in paras]
    if how == "replace":
        mine[p][i], theirs[p][i] = w1, w2
    else:
        mine[p].insert(i, w1)
        theirs[p].insert(i, w2)
    return paras, mine, theirs


@settings(deadline=None, max_examples=150)
@given(overlapping_edits())
def test_property_same_place_edits_conflict(case):
    base, mine, head = (_join(p, SEPS) for p in case)
    outcome = merge_edit(base, mine, head)
    assert outcome.status == "conflict" and outcome.text is None
    # Nothing typed is lost: the conflict view rebuilds both texts from the base.
    assert old_text(outcome.mine_ops) == base and new_text(outcome.mine_ops) == mine
    assert old_text(outcome.theirs_ops) == base and new_text(outcome.theirs_ops) == head


@st.composite
def any_three(draw):
    """Arbitrary base/mine/head, often related (edits of one base), sometimes not."""
    base = _join(draw(documents), SEPS)

    def variant():
        return draw(
            st.sampled_from([base, base + " promptly", base.replace("Party", "Parties", 1)])
            | st.builds(lambda d: _join(d, SEPS), documents)
            | st.builds(
                lambda p, d: base[:p] + d, st.integers(0, len(base)), st.sampled_from(WORDS)
            )
        )

    return base, variant(), variant()


@settings(deadline=None, max_examples=150)
@given(any_three())
def test_property_nothing_is_lost(case):
    base, mine, head = case
    outcome = merge_edit(base, mine, head)
    event(outcome.status)
    assert new_text(outcome.mine_ops) == mine and old_text(outcome.mine_ops) == base
    assert new_text(outcome.theirs_ops) == head and old_text(outcome.theirs_ops) == base
    if outcome.status == "conflict":
        assert outcome.text is None
        return
    assert outcome.text is not None
    if outcome.status == "clean":
        assert outcome.text == mine
    # Every insertion of both sides is in the result, and the result, diffed against each
    # side, only shows the other side's changes.
    for ops in (outcome.mine_ops, outcome.theirs_ops):
        for kind, text in ops:
            if kind == "insert":
                assert text in outcome.text
    other = set(change_regions(outcome.theirs_ops)) - set(change_regions(outcome.mine_ops))
    assert len(outcome.text) - len(mine) == sum(len(r.text) - (r.end - r.start) for r in other)
