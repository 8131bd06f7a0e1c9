"""The sentence prefilter (nmnlp.candidates) and candidate docs (nmnlp.pipeline.candidate_doc)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import spacy
from medspacy.target_matcher import TargetRule

from nmnlp import pipeline
from nmnlp.candidates import (
    ALPHA,
    Anchor,
    CandidateFilter,
    TokenModel,
    TokenSpec,
    boundary_pairs,
    can_start_on_space,
    pattern_specs,
    phrase_specs,
    required_anchors,
    sparse_text,
    token_spec,
)
from nmnlp.records import mentions_from_doc
from nmnlp.sentences import split_sentences

CORPORA = Path(__file__).resolve().parents[1] / "corpora"
SPACE = {"IS_SPACE": True, "OP": "*"}
MODEL = TokenModel.from_special_cases({"can't": ["ca", "n't"], "cannot": ["can", "not"]})


def corpus_notes(step: int) -> list[str]:
    """The demo notes and every ``step``-th synthetic note."""
    demo = [path.read_text(encoding="utf-8") for path in sorted((CORPORA / "demo").glob("*.txt"))]
    lines = (CORPORA / "synthetic" / "notes.jsonl").read_text(encoding="utf-8").splitlines()
    return demo + [json.loads(line)["text"] for line in lines[::step]]


# ---------------------------------------------------------------- token specs
@pytest.mark.parametrize(
    ("token", "strings", "counts", "space"),
    [
        ({"LOWER": "weak"}, {"weak"}, (1, 1), False),
        ({"LOWER": {"IN": ["Grip", "grips"]}, "OP": "+"}, {"grip", "grips"}, (1, math.inf), False),
        ({"ORTH": "HF", "OP": "?"}, {"hf"}, (0, 1), False),
        ({"IS_SPACE": True, "OP": "*"}, None, (0, math.inf), True),
        ({"IS_ALPHA": True, "OP": "{1,3}"}, None, (1, 3), False),
        ({"TEXT": {"REGEX": "^(19|20)\\d\\d$"}}, None, (1, 1), True),
        ({"LOWER": {"NOT_IN": ["no"]}, "OP": "!"}, None, (0, 0), True),
    ],
)
def test_token_spec(token, strings, counts, space) -> None:
    spec = token_spec(token)
    assert spec.strings == (frozenset(strings) if strings is not None else None)
    assert (spec.min_count, spec.max_count) == counts
    assert spec.matches_space is space


@pytest.mark.parametrize(
    ("regex", "prefix"),
    [("^lgmd", "lgmd"), ("^LGMD2?", "lgmd"), ("^ab|cd", None), ("lgmd$", None), ("^[a-z]+", None)],
)
def test_regex_prefix_is_an_anchor_only_when_certain(regex: str, prefix: str | None) -> None:
    spec = token_spec({"LOWER": {"REGEX": regex}})
    expected = frozenset({Anchor(prefix, whole=False)}) if prefix else frozenset()
    assert spec.anchors == expected


def test_required_anchors_skip_optional_and_space_tokens() -> None:
    specs = pattern_specs(
        [{"LOWER": {"IN": ["weak", "weakness"]}}, SPACE, {"LOWER": "of", "OP": "?"}, {"ORTH": "HF"}]
    )
    assert required_anchors(specs) == (
        frozenset({Anchor("weak"), Anchor("weakness")}),
        frozenset({Anchor("hf")}),
    )


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("There was atrophy in both hands.", True),  # "+" repeats inside the run
        ("Atrophy of hands.", True),
        ("Atrophy. Both hands were in casts.", False),  # the words are there, not side by side
    ],
)
def test_tokens_side_by_side_in_a_pattern_must_be_side_by_side_in_the_text(text, kept) -> None:
    pattern = [
        {"LOWER": "atrophy"},
        {"LOWER": {"IN": ["of", "in", "both"]}, "OP": "+"},
        SPACE,
        {"LOWER": "hands"},
    ]
    candidates = _filter([pattern])
    assert bool(candidates.kept_ranges(text, split_sentences(text))) is kept


@pytest.mark.parametrize(
    "pattern",
    [[{"IS_ALPHA": True}], [{"LOWER": "x", "OP": "?"}], [{"TEXT": {"REGEX": "\\d+"}}]],
)
def test_a_rule_without_known_text_cannot_be_reduced(pattern) -> None:
    assert required_anchors(pattern_specs(pattern)) is None


# ---------------------------------------------------------------- token model
@pytest.mark.parametrize(
    ("anchor", "text", "found"),
    [
        (Anchor("ck"), "back pain", False),
        (Anchor("ck"), "ck 12,000", True),
        (Anchor("ck"), "(ck-mb)", True),
        (Anchor("ck"), "ck2000", True),  # digits may be cut off: kept, to be safe
        (Anchor("ca"), "he can't stand", True),  # a special-case piece glued to a letter
        (Anchor("not"), "cannot", True),
        (Anchor("lgmd", whole=False), "lgmdr2 suspected", True),
        (Anchor("lgmd", whole=False), "xlgmd", False),
    ],
)
def test_token_model_occurs(anchor: Anchor, text: str, found: bool) -> None:
    assert MODEL.occurs(anchor, text) is found


def test_token_model_agrees_with_the_tokenizer(nlp) -> None:
    """Every token of real notes is where the model allows a token to be."""
    model = pipeline.candidate_filter(nlp).model
    for text in corpus_notes(step=50):
        lower = text.lower()
        for token in nlp.make_doc(text):
            if not token.is_space:
                assert model.occurs(Anchor(token.lower_), lower[token.idx : token.idx + len(token)])
                assert model.can_start(lower, token.idx, token.lower_)
                assert model.can_end(lower, token.idx + len(token), token.lower_)


# ---------------------------------------------------------------- crossing boundaries
def test_boundary_pairs_follow_white_space_and_optional_tokens() -> None:
    specs = pattern_specs(
        [{"LOWER": "family"}, SPACE, {"LOWER": "history", "OP": "?"}, {"LOWER": "of"}]
    )
    pairs = set(boundary_pairs(specs))
    assert (frozenset({"family"}), frozenset({"history"})) in pairs
    assert (frozenset({"family"}), frozenset({"of"})) in pairs  # "history" is optional
    assert (frozenset({"history"}), frozenset({"of"})) in pairs
    assert all(None not in pair for pair in pairs)


def test_boundary_pairs_of_alphabetic_wildcards() -> None:
    specs = pattern_specs([{"LOWER": "call"}, {"IS_ALPHA": True, "OP": "?"}, {"LOWER": "if"}])
    assert (frozenset({"call"}), ALPHA) in set(boundary_pairs(specs))
    assert (ALPHA, frozenset({"if"})) in set(boundary_pairs(specs))


def test_a_match_may_start_on_white_space_only_if_a_leading_token_allows_it() -> None:
    assert not can_start_on_space(pattern_specs([{"LOWER": "a"}, SPACE, {"LOWER": "b"}]))
    assert can_start_on_space(pattern_specs([{"OP": "?"}, {"LOWER": "b"}]))


# ---------------------------------------------------------------- the filter
def _filter(targets, headers=(), others=()) -> CandidateFilter:
    def specs(pattern):
        return phrase_specs(pattern.split()) if isinstance(pattern, str) else pattern_specs(pattern)

    return CandidateFilter(
        [specs(p) for p in targets], [specs(p) for p in headers], [specs(p) for p in others], MODEL
    )


def kept_texts(candidates: CandidateFilter, text: str) -> list[str]:
    return [text[s:e] for s, e in candidates.kept_ranges(text, split_sentences(text))]


def test_keeps_only_sentences_holding_every_required_word() -> None:
    candidates = _filter([[{"LOWER": "proximal"}, SPACE, {"LOWER": "weakness"}]])
    text = "Weakness of the hands. Proximal weakness noted. Proximal tenderness."
    assert kept_texts(candidates, text) == ["Proximal weakness noted."]


def test_a_boundary_a_rule_may_cross_joins_two_sentences() -> None:
    candidates = _filter(["myalgia"], others=[[{"ORTH": "?"}, {"LOWER": "if"}]])
    text = "Any myalgia? If so, call. Unrelated."
    assert kept_texts(candidates, text) == ["Any myalgia? If so, call."]


def test_headers_are_kept_only_near_a_line_start() -> None:
    candidates = _filter(["myalgia"], headers=["family history :"])
    text = "Family History: none. Myalgia.\nFamily History: none in this long line that goes on."
    assert kept_texts(candidates, text) == [
        "Family History: none.",
        "Myalgia.",
        "Family History: none",
    ]


def test_a_rule_it_cannot_read_keeps_everything() -> None:
    candidates = CandidateFilter([None], [], [], MODEL)
    text = "One. Two."
    assert kept_texts(candidates, text) == [text]


# ---------------------------------------------------------------- the kept text
def test_sparse_text_maps_offsets_back() -> None:
    text = "Alpha one.  Beta two.\nGamma three."
    sentences = split_sentences(text)
    sparse = sparse_text(text, sentences, [sentences[0], sentences[2]], "|")
    assert sparse.text == "Alpha one.  | \nGamma three."
    gamma = sparse.text.index("Gamma")
    assert text[sparse.to_source(gamma) :].startswith("Gamma")
    assert sparse.sentence_starts == (0, 12, gamma)


def test_sparse_text_of_everything_is_the_note() -> None:
    text = "  Alpha one.\n\nBeta two.  "
    sentences = split_sentences(text)
    sparse = sparse_text(text, sentences, [(sentences[0][0], sentences[-1][1])], "|")
    assert sparse.text == text
    assert sparse.sentence_starts == tuple(start for start, _ in sentences)


# ---------------------------------------------------------------- candidate docs
def test_candidate_doc_tokens_are_the_notes_tokens(nlp) -> None:
    candidates = pipeline.candidate_filter(nlp)
    for text in corpus_notes(step=25):
        full = {(t.idx, t.text, t.whitespace_) for t in nlp.make_doc(text)}
        doc = pipeline.candidate_doc(nlp, text, candidates)
        source = doc._.nmnlp_source
        for token in doc:
            if token.text != pipeline.SEPARATOR:
                assert (source.to_source(token.idx), token.text, token.whitespace_) in full


def test_candidate_doc_keeps_every_target_match(nlp) -> None:
    """Property: every match of the target rules on the whole note lies in a kept part."""
    candidates = pipeline.candidate_filter(nlp)
    targets = nlp.get_pipe("nmnlp_targets")
    for text in corpus_notes(step=10):
        kept = candidates.kept_ranges(text, split_sentences(text))
        for span in targets(nlp.make_doc(text)).ents:
            assert any(s <= span.start_char and span.end_char <= e for s, e in kept), span.text


def test_candidate_doc_gives_the_same_mentions_as_the_whole_note(nlp) -> None:
    candidates = pipeline.candidate_filter(nlp)
    for index, text in enumerate(corpus_notes(step=10)):
        expected = mentions_from_doc(nlp(text), str(index))
        assert (
            mentions_from_doc(pipeline.candidate_doc(nlp, text, candidates), str(index)) == expected
        )


def test_an_added_regex_rule_keeps_everything() -> None:
    nlp = pipeline.build()
    nlp.get_pipe("nmnlp_targets").add([TargetRule("x", "myalgia", pattern=r"ache\w*")])
    assert pipeline.candidate_filter(nlp).keeps_everything


def test_note_processor_falls_back_to_the_pipeline_with_foreign_components() -> None:
    nlp = pipeline.build()
    nlp.add_pipe("sentencizer", first=True)
    assert pipeline.note_processor(nlp) is nlp


def test_separator_is_one_inert_token() -> None:
    nlp = spacy.blank("en")
    assert [t.text for t in nlp.make_doc(f"{pipeline.SEPARATOR} x")] == [pipeline.SEPARATOR, "x"]
    assert not TokenSpec(frozenset({"x"})).matches_space
