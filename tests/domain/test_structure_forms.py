"""Heading forms beyond the English ones, numbered headings by their sequence, Word outline
levels, and what provisions carry from their paragraphs."""

from __future__ import annotations

import pytest

from redline.domain.drafts.headings import read_heading
from redline.domain.drafts.paragraphs import HEADING, RTL, DraftParagraph, Note
from redline.domain.drafts.reading import parse_draft, source_paragraphs
from redline.domain.drafts.structure import build_from_paragraphs


@pytest.mark.parametrize(
    ("paragraph", "kind", "number", "heading", "word", "value"),
    [
        ("Article premier – Objet", "article", "Article premier", "Objet", "article", 1),
        ("Article premier", "article", "Article premier", "", "article", 1),
        ("Article 1er – Définitions", "article", "Article 1er", "Définitions", "article", 1),
        ("ARTICLE PREMIER", "article", "ARTICLE PREMIER", "", "article", 1),
        (
            "Article 2 : Champ d'application",
            "article",
            "Article 2",
            "Champ d'application",
            "article",
            2,
        ),
        ("Article 4 bis – Mesures", "article", "Article 4 bis", "Mesures", "article", None),
        ("Chapitre I – Terminologie", "division", "Chapitre I", "Terminologie", "chapter", None),
        (
            "Chapitre Ier – Dispositions générales",
            "division",
            "Chapitre Ier",
            "Dispositions générales",
            "chapter",
            1,
        ),
        ("CHAPITRE II", "division", "CHAPITRE II", "", "chapter", None),
        ("Titre II – Droits", "division", "Titre II", "Droits", "title", None),
        ("TITRE III", "division", "TITRE III", "", "title", None),
        ("Section 2 – Procédure", "division", "Section 2", "Procédure", "section", 2),
        (
            "Sous-section 1 – Conservation",
            "division",
            "Sous-section 1",
            "Conservation",
            "subsection",
            1,
        ),
        ("Partie A", "division", "Partie A", "", "part", None),
        ("Livre Ier", "division", "Livre Ier", "", "book", 1),
        ("Annexe", "annex", "Annexe", "", "annex", None),
        (
            "Annexe I – Liste des infractions",
            "annex",
            "Annexe I",
            "Liste des infractions",
            "annex",
            None,
        ),
        ("Protocole n° 1", "annex", "Protocole 1", "", "protocol", 1),
        ("Protocol No. 2 – Settlement", "annex", "Protocol 2", "Settlement", "protocol", 2),
        ("Protocol", "annex", "Protocol", "", "protocol", None),
        (
            "Artikel 3 – Begriffsbestimmungen",
            "article",
            "Artikel 3",
            "Begriffsbestimmungen",
            "article",
            3,
        ),
        ("Artículo 5", "article", "Artículo 5", "", "article", 5),
    ],
)
def test_french_and_other_heading_forms(paragraph, kind, number, heading, word, value):
    found = read_heading(paragraph)
    assert found is not None
    assert (found.kind, found.heading, found.word, found.value) == (kind, heading, word, value)
    assert found.number.replace(" n°", "").replace(" No.", "") == number


@pytest.mark.parametrize(
    "paragraph",
    [
        "Article premier de la Convention s'applique.",  # a sentence citing an article
        "Articles 2 to 5 apply.",
        "Chapitre Ier de la présente Convention",
        "Protocoles additionnels",
        "Annexes to this Convention shall form an integral part of it.",
    ],
)
def test_sentences_that_name_a_heading_word_are_not_headings(paragraph):
    found = read_heading(paragraph)
    assert found is None or found.kind not in ("article", "division", "annex")


def test_a_french_convention_is_split_into_its_articles_and_chapters():
    text = "\n\n".join(
        [
            "Convention sur la cybercriminalité",
            "Préambule",
            "Les États membres du Conseil de l'Europe,",
            "Chapitre Ier – Terminologie",
            "Article premier – Définitions",
            "Aux fins de la présente Convention :",
            "1. « système informatique » désigne tout dispositif isolé ;",
            "Chapitre II – Mesures à prendre au niveau national",
            "Article 2 – Accès illégal",
            "Chaque Partie adopte les mesures législatives.",
            "Article 2 bis – Interception",
            "Chaque Partie adopte également.",
            "Annexe",
            "Liste des déclarations.",
        ]
    )
    parsed = parse_draft(text)
    outline = [(p.kind, p.number, p.heading) for p in parsed.provisions]
    assert outline == [
        ("preamble", "", ""),  # the cover title (French titles are not title case)
        ("preamble", "", "Préambule"),
        ("division", "Chapitre Ier", "Terminologie"),
        ("article", "Article premier", "Définitions"),
        ("division", "Chapitre II", "Mesures à prendre au niveau national"),
        ("article", "Article 2", "Accès illégal"),
        ("article", "Article 2 bis", "Interception"),
        ("annex", "Annexe", ""),
    ]
    assert "\n\n".join(source_paragraphs(parsed)) == text


def test_numbered_sections_open_provisions_by_their_sequence_not_their_capitals():
    # A real licence numbers its sections this way: sentence case, no closing period.
    text = "\n\n".join(
        [
            "Licence",
            "1. Definitions",
            "In this Licence the following terms have the following meaning.",
            "2. Scope of the rights granted by the Licence",
            "The Licensor hereby grants You a worldwide licence.",
            "1. the right to reproduce;",
            "3. Communication of the Source Code",
            "The Licensor may provide the Work in Source Code.",
        ]
    )
    parsed = parse_draft(text)
    assert [(p.number, p.heading) for p in parsed.provisions] == [
        ("", "Licence"),
        ("1", "Definitions"),
        ("2", "Scope of the rights granted by the Licence"),
        ("3", "Communication of the Source Code"),
    ]
    assert "1. the right to reproduce;" in parsed.provisions[2].paragraphs


def test_a_hard_wrapped_numbered_sentence_is_not_a_heading():
    found = read_heading("1. Each Party shall adopt such legislative and\nother measures as may")
    assert found is not None and found.form == "body"


def _p(text, level=None, **kw):
    hint = HEADING if level is not None else kw.pop("hint", "")
    return DraftParagraph(text, hint=hint, outline_level=level, **kw)


def test_word_headings_without_numbers_follow_their_outline_level():
    paragraphs = [
        _p("General provisions", 0),
        _p("Purpose", 1),
        _p("This Convention aims to protect."),
        _p("Scope", 1),
        _p("It applies to all Parties."),
        _p("Final provisions", 0),
        _p("Signature", 1),
        _p("It is open for signature."),
    ]
    provisions = build_from_paragraphs(paragraphs)
    assert [(p.kind, p.heading, p.level) for p in provisions] == [
        ("division", "General provisions", 1),
        ("article", "Purpose", 0),
        ("article", "Scope", 0),
        ("division", "Final provisions", 1),
        ("article", "Signature", 0),
    ]


def test_a_single_outline_level_still_opens_a_provision_per_heading():
    paragraphs = [_p("Purpose", 0), _p("Text one."), _p("Scope", 0), _p("Text two.")]
    provisions = build_from_paragraphs(paragraphs)
    assert [p.heading for p in provisions] == ["Purpose", "Scope"]


def test_outline_levels_do_not_override_numbered_articles():
    paragraphs = [
        _p("General provisions", 0),
        _p("Article 1 – Purpose", 1),
        _p("Text."),
        _p("Commentary", 2),
        _p("More text."),
    ]
    provisions = build_from_paragraphs(paragraphs)
    assert [(p.kind, p.number) for p in provisions][:2] == [
        ("division", ""),
        ("article", "Article 1"),
    ]


def test_unnumbered_word_headings_above_numbered_articles_are_divisions():
    paragraphs = [
        _p("General provisions", 0),
        _p("Article 1 – Purpose", 1),
        _p("Text."),
        _p("Final provisions", 0),
        _p("Article 2 – Signature", 1),
        _p("More text."),
    ]
    provisions = build_from_paragraphs(paragraphs)
    assert [(p.kind, p.number or p.heading, p.level) for p in provisions] == [
        ("division", "General provisions", 1),
        ("article", "Article 1", 0),
        ("division", "Final provisions", 1),
        ("article", "Article 2", 0),
    ]


def test_provisions_carry_the_notes_and_direction_of_their_paragraphs():
    n1, n2 = Note("1", "See the explanatory report."), Note("2", "As amended.", "endnote")
    paragraphs = [
        _p("Article 1 – Purpose"),
        _p("Text with a note.[^1]", notes=(n1,)),
        _p("Article 2 – Scope"),
        _p("نص عربي[^2]", notes=(n2,), direction=RTL),
        _p("Article 3 – Other"),
        _p("Plain."),
    ]
    provisions = build_from_paragraphs(paragraphs)
    assert [p.notes for p in provisions] == [(n1,), (n2,), ()]
    assert [p.direction for p in provisions] == ["ltr", "rtl", "ltr"]


# Word's automatic numbering draws "Article 1" and a tab, then the typed heading: read as one
# space, the heading must still be found; a sentence that starts with an article number is not.
@pytest.mark.parametrize(
    ("line", "forced", "expected"),
    [
        ("Article 1 Purpose", False, ("Article 1", "Purpose")),
        ("Article 2 Scope of application", True, ("Article 2", "Scope of application")),
        ("Article 3 Definitions", False, ("Article 3", "Definitions")),
        ("Article 5 shall apply to all Parties.", False, None),
        ("Article 5 of the Convention applies.", False, None),
        (
            "Article 6 The Parties shall co-operate with each other to the widest extent",
            False,
            None,
        ),
    ],
)
def test_article_number_then_heading_after_a_numbering_tab(line, forced, expected):
    head = read_heading(line, forced=forced)
    if expected is None:
        assert head is None or head.kind != "article"
    else:
        assert head is not None and head.kind == "article"
        assert (head.number, head.heading) == expected
