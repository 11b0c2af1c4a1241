"""Reading a draft is linear in its size: pathological inputs that a quadratic regular
expression would take hours over are read in seconds. `signal.alarm` guards against a hang;
no timing is asserted, so a slow machine does not fail the test."""

from __future__ import annotations

import signal

import pytest

from redline.domain.drafts.reading import parse_draft, read_draft, source_paragraphs

MB = 1_000_000


@pytest.fixture
def hang_guard():
    def hung(_signum, _frame):
        raise TimeoutError("reading the draft did not finish: quadratic work somewhere")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)  # a quadratic read of these inputs takes hours; linear takes seconds
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


PATHOLOGICAL = {
    "spaces between two words": "a" + " " * (2 * MB) + "b",
    "tabs before a bracket": "a" + "\t" * MB + "[note without keyword]",
    "spaces then an unclosed note": "Text" + " " * MB + "[excerpt",
    "many opening brackets": "x " + "[" * MB + "]",
    "bracketed without keyword": "x [" + "a " * (MB // 2) + "]",
    "header-like line": "#" + " " * MB + "x",
    "long opening formula": "The " + "member States " * (MB // 14),
    "number then spaces": "1." + " " * MB + "x",
    "article then spaces": "Article 1" + " " * MB + "x",
    "many short lines": "\n".join(["a  b"] * (MB // 5)),
}


@pytest.mark.usefixtures("hang_guard")
@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_paragraphs_are_read_in_linear_time(text: str):
    parsed = parse_draft(text)
    rebuilt = source_paragraphs(parsed)
    assert "\n\n".join(rebuilt).replace("\n", "") == text.rstrip().replace("\n", "")


@pytest.mark.usefixtures("hang_guard")
def test_a_long_markdown_paragraph_keeps_its_trailing_note_linear():
    text = "a" + " " * MB + "b [excerpt ends here]"
    parsed = read_draft("draft.md", text.encode())
    assert parsed.notes == ("[excerpt ends here]",)
    assert source_paragraphs(parsed) == [text]


@pytest.mark.usefixtures("hang_guard")
def test_many_paragraphs_are_read_in_linear_time():
    body = "\n\n".join([f"Text {'a  ' * 200}."] * 5)
    text = "\n\n".join(f"{i}. Heading number {i}\n\n{body}" for i in range(1, 1000))
    parsed = parse_draft(text)
    assert [p.number for p in parsed.provisions] == [str(i) for i in range(1, 1000)]
