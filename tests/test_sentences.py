"""Clinical sentence boundaries."""

from itertools import pairwise

import pytest

from nmnlp.sentences import MAX_SENTENCE_CHARS, split_sentences


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She denies rash. CK is 12,450 U/L.", ["She denies rash.", "CK is 12,450 U/L."]),
        ("CC: weakness\nHPI: 3 months of falls.", ["CC: weakness", "HPI: 3 months of falls."]),
        (
            "ROS: negative for fever, rash, dysphagia\nRash: no",
            ["ROS: negative for fever, rash, dysphagia", "Rash: no"],
        ),
        ("Seen by Dr. Smith today. Stable.", ["Seen by Dr. Smith today.", "Stable."]),
        ("Signed J. Doe MD. Follow up.", ["Signed J. Doe MD.", "Follow up."]),
        ("CK was 1.5 times ULN. Stable.", ["CK was 1.5 times ULN.", "Stable."]),
        ("1. Anti-HMGCR myopathy. Start IVIG.", ["1. Anti-HMGCR myopathy.", "Start IVIG."]),
        ("- CK | 8500 | H\n- aldolase | 12 | H", ["- CK | 8500 | H", "- aldolase | 12 | H"]),
        ("Labs:\n\nCK 8500", ["Labs:", "CK 8500"]),
        ("atorvastatin 40 mg b.i.d. Then stop.", ["atorvastatin 40 mg b.i.d. Then stop."]),
        (
            "Diagnosis: 1) Esophagitis s/p biopsy 2) Hiatal hernia",
            ["Diagnosis:", "1) Esophagitis s/p biopsy", "2) Hiatal hernia"],
        ),
        ("Grade (1) and (2) lesions", ["Grade (1) and (2) lesions"]),
        # a free-standing "?" hedges the next words; a "?" after a word ends a question
        ("Peak CK 11300. ? NAM. Possible IBM.", ["Peak CK 11300.", "? NAM.", "Possible IBM."]),
        ("Is she weak? She says yes.", ["Is she weak?", "She says yes."]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_hard_wrapped_prose_stays_one_sentence() -> None:
    text = (
        "62 yo woman on atorvastatin for ten years with three months of progressive\n"
        "difficulty climbing stairs and rising from a low chair."
    )
    assert len(split_sentences(text)) == 1


def test_wrapped_line_before_a_header_is_split() -> None:
    text = "62 yo woman on atorvastatin for ten years with three months of progressive\nExam: weak"
    assert sentences(text)[-1] == "Exam: weak"


@pytest.mark.parametrize(
    "text",
    [
        "weakness, rash, " * 400,  # commas
        "word " * 900,  # spaces only
        "x" * 4321,  # no break at all
        "CK 8500; " * 300 + "end",
    ],
)
def test_no_sentence_is_longer_than_the_limit(text: str) -> None:
    spans = split_sentences(text)
    assert all(0 < e - s <= MAX_SENTENCE_CHARS for s, e in spans)
    # nothing but white space is lost between pieces
    covered = "".join(text[s:e] for s, e in spans)
    assert covered.replace(" ", "") == text.strip().replace(" ", "")


@pytest.mark.parametrize("text", ["", "   \n\n  ", "\n"])
def test_blank_text_has_no_sentences(text: str) -> None:
    assert split_sentences(text) == []


def test_spans_are_ordered_stripped_and_disjoint() -> None:
    text = "  HPI: weak.  \n\n Exam: 4/5 hip flexors.\tPlan: IVIG. "
    spans = split_sentences(text)
    for (_, e1), (s2, _) in pairwise(spans):
        assert e1 <= s2
    for s, e in spans:
        assert text[s:e] == text[s:e].strip() and e > s
