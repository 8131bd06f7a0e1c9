"""Rule files: the strict readers, and every shipped rule against its own example."""

from __future__ import annotations

import json

import pytest
import spacy
from medspacy.custom_tokenizer import create_medspacy_tokenizer
from medspacy.target_matcher import TargetMatcher

from nmnlp.concepts import CONCEPT_KEYS
from nmnlp.resources import lexicon_files
from nmnlp.rules import (
    RuleError,
    load_context_rules,
    load_muscle_sites,
    load_section_rules,
    load_target_rules,
    matching_variants,
    parse_context_rules,
    parse_section_rules,
    parse_target_rules,
    read_rule_file,
)

TARGET_RULES = load_target_rules()


@pytest.fixture(scope="module")
def tokenizer_nlp():
    nlp = spacy.blank("en")
    nlp.tokenizer = create_medspacy_tokenizer(nlp)
    return nlp


def test_every_concept_has_target_rules() -> None:
    covered = {rule.category for rule in TARGET_RULES}
    assert set(CONCEPT_KEYS) <= covered, sorted(set(CONCEPT_KEYS) - covered)


@pytest.mark.parametrize("rule", TARGET_RULES, ids=lambda r: f"{r.category}:{r.literal}")
def test_target_rule_matches_its_example(tokenizer_nlp, rule) -> None:
    matcher = TargetMatcher(tokenizer_nlp, result_type=None)
    matcher.add([rule])
    example = rule.metadata["example"]
    spans = matcher(tokenizer_nlp.make_doc(example))
    assert spans, f"rule {rule.literal!r} does not match its example {example!r}"


def test_shipped_context_and_section_rules_load() -> None:
    assert len(load_context_rules()) > 200
    categories = {rule.category for rule in load_section_rules()}
    assert {
        "family_history",
        "review_of_systems",
        "past_medical_history",
        "physical_exam",
    } <= categories
    assert any(site.site == "hip flexors" for site in load_muscle_sites())


def test_every_lexicon_file_is_valid_json() -> None:
    for path in lexicon_files():
        json.loads(path.read_text(encoding="utf-8"))


def _target(**overrides) -> dict:
    rule = {
        "literal": "weak hips",
        "category": "proximal_weakness",
        "metadata": {"example": "weak hips"},
    }
    rule.update(overrides)
    return {"target_rules": [rule]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_target(categry="x"), "unknown key(s) ['categry']"),
        (_target(category="weakness"), "category 'weakness' is not allowed"),
        (_target(metadata={}), "metadata.example is required"),
        (
            _target(metadata={"example": "x", "hpo_id": "HP:1"}),
            "unknown metadata key(s) ['hpo_id']",
        ),
        (
            _target(metadata={"example": "x", "requires": "value"}),
            "metadata.requires must be one of",
        ),
        (
            _target(metadata={"example": "x", "implies": ["weakness"]}),
            "metadata.implies must list concept keys",
        ),
        (
            _target(metadata={"example": "x", "sections": ["biopsy"]}),
            "metadata.sections must list section categories",
        ),
        (_target(metadata={"example": "x", "sections": []}), "metadata.sections must list"),
        (_target(pattern=[{"LOWR": "weak"}]), "invalid spaCy token pattern"),
        (_target(pattern=[]), "'pattern' must be a non-empty list"),
        (_target(literal=""), "'literal' must be a non-empty string"),
        (_target(attributes={"is_historical": True}), "attributes may only set"),
        ({"rules": []}, "expected an object with the single key 'target_rules'"),
        ({"target_rules": {}}, "must be a list of rule objects"),
    ],
)
def test_target_rule_errors_name_file_rule_and_fix(data: dict, message: str) -> None:
    with pytest.raises(RuleError) as info:
        parse_target_rules(data, source="targets_test.json")
    assert "targets_test.json" in str(info.value)
    assert message in str(info.value)


def test_duplicate_target_rules_are_refused() -> None:
    rule = {
        "literal": "Weak hips",
        "category": "proximal_weakness",
        "metadata": {"example": "weak hips"},
    }
    with pytest.raises(RuleError, match=r"rule #1 \('weak hips'\) repeats rule #0"):
        parse_target_rules(
            {"target_rules": [rule, {**rule, "literal": "weak hips"}]}, source="t.json"
        )


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"literal": "no", "category": "NEGATION"}, "category 'NEGATION' is not allowed"),
        (
            {"literal": "no", "category": "NEGATED_EXISTENCE", "direction": "LEFT"},
            "direction 'LEFT'",
        ),
        (
            {"literal": "no", "category": "NEGATED_EXISTENCE", "allowed_types": ["fever"]},
            "allowed_types must list",
        ),
    ],
)
def test_context_rule_errors(rule: dict, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        parse_context_rules({"context_rules": [rule]}, source="context.json")


def test_section_rule_errors() -> None:
    with pytest.raises(RuleError, match="category 'hpi' is not allowed"):
        parse_section_rules({"section_rules": [{"literal": "HPI:", "category": "hpi"}]})


def test_user_rule_file_by_path(tmp_path) -> None:
    path = tmp_path / "my_targets.json"
    path.write_text(json.dumps(_target()), encoding="utf-8")
    assert [r.literal for r in load_target_rules([str(path)])] == ["weak hips"]
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(RuleError, match="my_targets.json: not valid JSON"):
        read_rule_file(str(path))


def test_unknown_shipped_file_lists_what_is_shipped() -> None:
    with pytest.raises(FileNotFoundError, match="Shipped: .*context.json"):
        read_rule_file("contxt.json")


def _spans(nlp, rules, text):
    matcher = TargetMatcher(nlp, result_type=None)
    matcher.add(rules)
    return sorted((s.start, s.end, s.label_) for s in matcher(nlp.make_doc(text)))


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ([{"LOWER": {"IN": ["weak", "Weak"]}}, {"LOWER": "hips"}], 1),  # duplicates folded
        ([{"LOWER": "no", "OP": "?"}, {"LOWER": {"IN": ["a", "b"]}}], 3),  # no+set, a, b
        ([{"LOWER": "x", "OP": "*"}, {"LOWER": "y"}], 1),  # kept as written
        ([{"LOWER": {"IN": [str(i) for i in range(100)]}}], 1),  # too many: kept
    ],
)
def test_matching_variants_counts(pattern, expected) -> None:
    assert len(matching_variants(pattern)) == expected


def test_fast_rules_match_exactly_what_the_written_rules_match(tokenizer_nlp) -> None:
    from nmnlp.pipeline import fast_rules

    for rule in TARGET_RULES:
        if not isinstance(rule.pattern, list):
            continue
        example = rule.metadata["example"]
        written = _spans(tokenizer_nlp, [rule], example)
        assert _spans(tokenizer_nlp, fast_rules([rule]), example) == written, rule.literal
