"""Strict readers for the rule files in ``lexicons/``.

Rule files use medspaCy's JSON formats (a top-level ``target_rules``,
``context_rules`` or ``section_rules`` list). medspaCy's own readers accept
almost anything; these readers fail early with a message that names the file,
the rule and the fix, so that a typo in a lexicon never silently drops a rule.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
from medspacy.context import ConTextRule
from medspacy.custom_tokenizer import create_medspacy_tokenizer
from medspacy.section_detection import SectionRule
from medspacy.target_matcher import TargetRule
from spacy.matcher import Matcher
from spacy.vocab import Vocab

from .concepts import CONCEPT_KEYS
from .findings import MuscleSite, muscle_sites_from_json
from .resources import lexicon_file, lexicon_files

__all__ = [
    "CONTEXT_CATEGORIES",
    "SECTION_CATEGORIES",
    "RuleError",
    "load_context_rules",
    "load_muscle_sites",
    "load_section_rules",
    "load_target_rules",
    "parse_context_rules",
    "parse_section_rules",
    "parse_target_rules",
    "read_rule_file",
    "matching_variants",
    "spacing_tolerant_pattern",
]

CONTEXT_CATEGORIES: tuple[str, ...] = (
    "NEGATED_EXISTENCE",
    "POSSIBLE_EXISTENCE",
    "HISTORICAL",
    "HYPOTHETICAL",
    "FAMILY",
    "RESOLVED",
    "NEVER",
    "STOPPED",
    "TAKING",
    "CURRENT",
    "TERMINATE",
    "PSEUDO",
)
SECTION_CATEGORIES: tuple[str, ...] = (
    "chief_complaint",
    "history_of_present_illness",
    "review_of_systems",
    "past_medical_history",
    "past_surgical_history",
    "medications",
    "allergies",
    "family_history",
    "social_history",
    "physical_exam",
    "labs",
    "imaging",
    "pathology",
    "electrodiagnostics",
    "procedures",
    "assessment_and_plan",
    "assessment",
    "plan",
    "impression",
    "hospital_course",
    "discharge_instructions",
    "other",
)
TARGET_METADATA_KEYS = frozenset(
    {"hpo", "umls", "example", "requires", "site", "implies", "sections", "pseudo", "note"}
)
TARGET_REQUIRES = frozenset({"result", "grade", "plan", "diagnosis"})
TARGET_ATTRIBUTES = frozenset({"is_negated"})
CONTEXT_METADATA_KEYS = frozenset({"example", "note"})
SECTION_METADATA_KEYS = frozenset({"example", "note"})

_TARGET_KEYS = frozenset({"literal", "category", "pattern", "attributes", "metadata"})
_CONTEXT_KEYS = frozenset(
    {
        "literal",
        "category",
        "pattern",
        "direction",
        "metadata",
        "allowed_types",
        "excluded_types",
        "max_targets",
        "max_scope",
    }
)
_SECTION_KEYS = frozenset(
    {"literal", "category", "pattern", "metadata", "parents", "parent_required"}
)
_DIRECTIONS = frozenset({"FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"})


class RuleError(ValueError):
    """A rule file is malformed. The message names the file, the rule and the fix."""


@dataclass(frozen=True)
class _Where:
    source: str
    index: int
    literal: str

    def error(self, problem: str) -> RuleError:
        return RuleError(f"{self.source}: rule #{self.index} ({self.literal!r}): {problem}")


def _rule_list(data: Any, key: str, source: str) -> list[dict[str, Any]]:
    if not isinstance(data, Mapping) or set(data) != {key}:
        found = sorted(data) if isinstance(data, Mapping) else type(data).__name__
        raise RuleError(f"{source}: expected an object with the single key {key!r}, found {found}.")
    rules = data[key]
    if not isinstance(rules, list) or not all(isinstance(r, Mapping) for r in rules):
        raise RuleError(f"{source}: {key!r} must be a list of rule objects.")
    return rules


def _check_common(
    rule: Mapping[str, Any],
    where: _Where,
    allowed_keys: frozenset[str],
    categories: Sequence[str],
    metadata_keys: frozenset[str],
    vocab: Vocab,
) -> None:
    unknown = set(rule) - allowed_keys
    if unknown:
        raise where.error(
            f"unknown key(s) {sorted(unknown)}; allowed keys are {sorted(allowed_keys)}."
        )
    literal = rule.get("literal")
    if not isinstance(literal, str) or not literal.strip():
        raise where.error("'literal' must be a non-empty string.")
    if rule.get("category") not in categories:
        raise where.error(
            f"category {rule.get('category')!r} is not allowed; "
            f"use one of: {', '.join(categories)}."
        )
    metadata = rule.get("metadata") or {}
    if not isinstance(metadata, Mapping):
        raise where.error("'metadata' must be an object.")
    unknown_meta = set(metadata) - metadata_keys
    if unknown_meta:
        raise where.error(
            f"unknown metadata key(s) {sorted(unknown_meta)}; allowed are {sorted(metadata_keys)}."
        )
    pattern = rule.get("pattern")
    if pattern is not None:
        _check_pattern(pattern, where, vocab)


def _validated(
    data: Any,
    key: str,
    source: str,
    allowed_keys: frozenset[str],
    categories: Sequence[str],
    metadata_keys: frozenset[str],
) -> Iterator[tuple[Mapping[str, Any], _Where]]:
    """Yield each rule of a rule file with its location, after the checks all rule kinds share."""
    vocab = Vocab()
    for index, rule in enumerate(_rule_list(data, key, source)):
        where = _Where(source, index, str(rule.get("literal")))
        _check_common(rule, where, allowed_keys, categories, metadata_keys, vocab)
        yield rule, where


def _check_pattern(pattern: Any, where: _Where, vocab: Vocab) -> None:
    if isinstance(pattern, str):
        return  # a regular expression; medspaCy compiles it
    if (
        not isinstance(pattern, list)
        or not pattern
        or not all(isinstance(t, dict) for t in pattern)
    ):
        raise where.error("'pattern' must be a non-empty list of token objects or a regex string.")
    try:
        Matcher(vocab, validate=True).add("check", [pattern])
    except Exception as err:  # spaCy raises several error types for bad patterns
        first_line = str(err).strip().splitlines()[0]
        raise where.error(f"invalid spaCy token pattern: {first_line}") from None


@functools.lru_cache(maxsize=1)
def _tokenizer():
    return create_medspacy_tokenizer(spacy.blank("en"))


def spacing_tolerant_pattern(literal: str) -> list[dict[str, Any]] | None:
    """A token pattern for ``literal`` that also matches across extra spaces and line breaks.

    spaCy makes a token of every run of extra white space, so the phrase
    "family history of" would miss "family  history of" or a line wrapped after
    "family". Literal rules of more than one token are therefore matched with a
    pattern that allows white-space tokens between the words (case-insensitive,
    like medSpaCy's phrase matching). Returns ``None`` for one-token literals.
    """
    words = [token.lower_ for token in _tokenizer()(literal) if not token.is_space]
    if len(words) < 2:
        return None
    pattern: list[dict[str, Any]] = []
    for i, word in enumerate(words):
        if i:
            pattern.append({"IS_SPACE": True, "OP": "*"})
        pattern.append({"LOWER": word})
    return pattern


_MAX_VARIANTS = 64


def matching_variants(pattern: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Equivalent token patterns whose first token is cheap for spaCy's Matcher.

    spaCy checks an exact ``{"LOWER": "word"}`` in C, but evaluates a set such
    as ``{"LOWER": {"IN": [...]}}`` in Python at every token where a match could
    start, which made pattern rules most of the pipeline's time. Here a leading
    set becomes one variant per word, and a leading optional token (``"OP":
    "?"``) becomes a variant with and one without it. The variants match
    exactly the same token sequences as ``pattern``. Patterns that would need
    more than 64 variants, or that start with ``*`` / ``+`` tokens, are kept as
    they are.
    """
    variants = _variants(pattern)
    return variants if variants is not None and len(variants) <= _MAX_VARIANTS else [pattern]


def _variants(pattern: list[dict[str, Any]]) -> list[list[dict[str, Any]]] | None:
    if not pattern:
        return None
    first, rest = pattern[0], pattern[1:]
    op = first.get("OP")
    if op == "?":
        required = {k: v for k, v in first.items() if k != "OP"}
        with_first = _variants([required, *rest]) or [[required, *rest]]
        without_first = (_variants(rest) or [rest]) if rest else []
        return [*with_first, *without_first] if rest else with_first
    if op is not None:
        return None
    lower = first.get("LOWER")
    if set(first) == {"LOWER"} and isinstance(lower, dict) and set(lower) == {"IN"}:
        return [[{"LOWER": word}, *rest] for word in dict.fromkeys(w.lower() for w in lower["IN"])]
    return [pattern]


def _with_spacing_patterns(rules: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    built = []
    for rule in rules:
        rule = dict(rule)
        if rule.get("pattern") is None:
            pattern = spacing_tolerant_pattern(rule["literal"])
            if pattern is not None:
                rule["pattern"] = pattern
        built.append(rule)
    return built


def _check_unique(rules: Iterable[Mapping[str, Any]], source: str) -> None:
    seen: dict[str, int] = {}
    for index, rule in enumerate(rules):
        key = json.dumps(
            [
                rule.get("category"),
                rule["literal"].lower(),
                rule.get("pattern"),
                rule.get("direction"),
            ],
            sort_keys=True,
        )
        if key in seen:
            raise RuleError(
                f"{source}: rule #{index} ({rule['literal']!r}) repeats rule #{seen[key]}; "
                "remove one of them."
            )
        seen[key] = index


def parse_target_rules(data: Any, source: str = "<target rules>") -> list[TargetRule]:
    """Validate a ``{"target_rules": [...]}`` object and build medspaCy ``TargetRule``s.

    Besides medspaCy's keys, each rule must name a concept key as ``category``,
    and ``metadata`` may only hold the keys in ``TARGET_METADATA_KEYS``.

    Raises:
        RuleError: naming ``source``, the rule index and literal, and the fix.
    """
    rules = []
    for rule, where in _validated(
        data, "target_rules", source, _TARGET_KEYS, CONCEPT_KEYS, TARGET_METADATA_KEYS
    ):
        rules.append(rule)
        metadata = rule.get("metadata") or {}
        if not isinstance(metadata.get("example"), str):
            raise where.error("metadata.example is required: a note sentence this rule must match.")
        requires = metadata.get("requires")
        if requires is not None and requires not in TARGET_REQUIRES:
            raise where.error(f"metadata.requires must be one of {sorted(TARGET_REQUIRES)}.")
        implies = metadata.get("implies", [])
        if not isinstance(implies, list) or any(k not in CONCEPT_KEYS for k in implies):
            raise where.error(
                f"metadata.implies must list concept keys from: {', '.join(CONCEPT_KEYS)}."
            )
        if metadata.get("pseudo", False) is not True and "pseudo" in metadata:
            raise where.error("metadata.pseudo must be true (or left out).")
        sections = metadata.get("sections")
        if sections is not None and (
            not isinstance(sections, list)
            or not sections
            or any(k not in SECTION_CATEGORIES for k in sections)
        ):
            raise where.error(
                "metadata.sections must list section categories from: "
                f"{', '.join(SECTION_CATEGORIES)}."
            )
        attributes = rule.get("attributes") or {}
        if set(attributes) - TARGET_ATTRIBUTES:
            raise where.error(f"attributes may only set {sorted(TARGET_ATTRIBUTES)}.")
    _check_unique(rules, source)
    return [TargetRule.from_dict(rule) for rule in _with_spacing_patterns(rules)]


def parse_context_rules(data: Any, source: str = "<context rules>") -> list[ConTextRule]:
    """Validate a ``{"context_rules": [...]}`` object and build medspaCy ``ConTextRule``s.

    Raises:
        RuleError: naming ``source``, the rule index and literal, and the fix.
    """
    rules = []
    for rule, where in _validated(
        data, "context_rules", source, _CONTEXT_KEYS, CONTEXT_CATEGORIES, CONTEXT_METADATA_KEYS
    ):
        rules.append(rule)
        direction = rule.get("direction", "BIDIRECTIONAL")
        if direction not in _DIRECTIONS:
            raise where.error(f"direction {direction!r} is not one of {sorted(_DIRECTIONS)}.")
        for key in ("allowed_types", "excluded_types"):
            types = rule.get(key)
            if types is not None and (
                not isinstance(types, list) or any(t not in CONCEPT_KEYS for t in types)
            ):
                raise where.error(f"{key} must list concept keys from: {', '.join(CONCEPT_KEYS)}.")
    _check_unique(rules, source)
    built = []
    for rule in _with_spacing_patterns(rules):
        for key in ("allowed_types", "excluded_types"):
            if key in rule:
                rule[key] = set(rule[key])
        built.append(ConTextRule.from_dict(rule))
    return built


def parse_section_rules(data: Any, source: str = "<section rules>") -> list[SectionRule]:
    """Validate a ``{"section_rules": [...]}`` object and build medspaCy ``SectionRule``s.

    Raises:
        RuleError: naming ``source``, the rule index and literal, and the fix.
    """
    rules = [
        rule
        for rule, _ in _validated(
            data, "section_rules", source, _SECTION_KEYS, SECTION_CATEGORIES, SECTION_METADATA_KEYS
        )
    ]
    _check_unique(rules, source)
    return [SectionRule.from_dict(rule) for rule in _with_spacing_patterns(rules)]


def read_rule_file(name: str) -> tuple[Any, str]:
    """Parse a rule file given as a shipped lexicon name or a filesystem path.

    Returns:
        ``(data, source)`` where ``source`` names the file in error messages.
    """
    path = Path(name)
    if path.suffix == ".json" and path.is_file():
        text, source = path.read_text(encoding="utf-8"), str(path)
    else:
        text, source = lexicon_file(name).read_text(encoding="utf-8"), name
    try:
        return json.loads(text), source
    except json.JSONDecodeError as err:
        raise RuleError(f"{source}: not valid JSON: {err}.") from None


def load_target_rules(names: Sequence[str] | None = None) -> list[TargetRule]:
    """Read target rules from ``names`` (default: every shipped ``targets_*.json``)."""
    names = list(names) if names else [p.name for p in lexicon_files("targets_")]
    rules: list[TargetRule] = []
    for name in names:
        data, source = read_rule_file(name)
        rules.extend(parse_target_rules(data, source=source))
    return rules


def load_context_rules(name: str = "context.json") -> list[ConTextRule]:
    """Read ConText modifier rules (default: the shipped ``context.json``)."""
    data, source = read_rule_file(name)
    return parse_context_rules(data, source=source)


def load_section_rules(name: str = "sections.json") -> list[SectionRule]:
    """Read section rules (default: the shipped ``sections.json``)."""
    data, source = read_rule_file(name)
    return parse_section_rules(data, source=source)


def load_muscle_sites(name: str = "muscle_sites.json") -> tuple[MuscleSite, ...]:
    """Read the muscle-site table (default: the shipped ``muscle_sites.json``)."""
    data, source = read_rule_file(name)
    try:
        return muscle_sites_from_json(data)
    except ValueError as err:
        raise RuleError(f"{source}: {err}") from None
