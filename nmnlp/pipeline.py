"""Build nmnlp's spaCy ``Language`` and define its components.

The pipeline, in order (one direction, each step reads what the previous wrote):

=================  =========================================================
``nmnlp_sentences``  clinical sentence boundaries (``nmnlp.sentences``)
``nmnlp_sections``   medSpaCy Sectionizer fed by ``lexicons/sections.json``
``nmnlp_targets``    medSpaCy TargetMatcher fed by ``lexicons/targets_*.json``
``nmnlp_labs``       values and results next to lab / antibody anchors (``nmnlp.labs``)
``nmnlp_findings``   weakness site, side, MRC grade (``nmnlp.findings``)
``nmnlp_context``    medSpaCy ConText fed by ``lexicons/context.json``
``nmnlp_assertion``  one status per mention (``nmnlp.assertion``)
=================  =========================================================

Component configs carry rule-file *names* (a shipped lexicon name or a path),
never rule data. Every component is a thin wrapper around pure functions.

``nlp(text)`` runs every step on the whole note. :func:`candidate_doc` gives
the same findings much faster: it tokenises and runs the steps only on the
sentences that can hold a finding or a section header (``nmnlp.candidates``),
and the Doc it returns maps its offsets back to the note (``doc._.nmnlp_source``).
``nmnlp.api`` uses it for every note.
"""

import json
import logging
import re
import weakref
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy
import spacy
from medspacy.custom_tokenizer import create_medspacy_tokenizer
from medspacy.section_detection import Sectionizer
from medspacy.target_matcher import TargetMatcher, TargetRule
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from . import assertion, findings, labs
from .assertion import rule_metadata
from .candidates import (
    CandidateFilter,
    TokenModel,
    TokenSpec,
    pattern_specs,
    phrase_specs,
    sparse_text,
)
from .context import TargetAwareConText
from .rules import (
    load_context_rules,
    load_muscle_sites,
    load_section_rules,
    load_target_rules,
    matching_variants,
)
from .sentences import split_sentences

__all__ = [
    "PIPE_NAMES",
    "build",
    "candidate_doc",
    "candidate_filter",
    "make_assertion",
    "make_findings",
    "make_labs",
    "make_sentences",
    "note_processor",
    "set_sentence_starts",
]

logger = logging.getLogger(__name__)

PIPE_NAMES: tuple[str, ...] = (
    "nmnlp_sentences",
    "nmnlp_sections",
    "nmnlp_targets",
    "nmnlp_labs",
    "nmnlp_findings",
    "nmnlp_context",
    "nmnlp_assertion",
)

LAB_ANALYTES: dict[str, str] = {"ck_elevated": "ck", "aldolase_elevated": "aldolase"}
ANTIBODY_CONCEPTS = frozenset({"hmgcr_antibody", "srp_antibody", "other_myositis_antibody"})
WEAKNESS_CONCEPTS = frozenset(
    {"proximal_weakness", "distal_weakness", "generalized_weakness", "muscle_atrophy"}
)

# ConText categories -> span attributes. The ConText flags follow the NegEx
# conventions: RESOLVED ("rash resolved") is negated (not there now); nmnlp's
# own ``nmnlp_resolved`` flag lets the assertion step report it as historical.
CONTEXT_ATTRIBUTES: dict[str, dict[str, bool]] = {
    "NEGATED_EXISTENCE": {"is_negated": True},
    "POSSIBLE_EXISTENCE": {"is_uncertain": True},
    "HISTORICAL": {"is_historical": True},
    "HYPOTHETICAL": {"is_hypothetical": True},
    "FAMILY": {"is_family": True},
    "RESOLVED": {"is_negated": True, "nmnlp_resolved": True},
    # "no history of", "never had": not now and not before.
    "NEVER": {"is_negated": True, "is_historical": True},
}

# Which modifier categories end another's scope (besides TERMINATE rules): a new
# negation, uncertainty or hypothetical cue, or a return to the present ("now",
# "recent"), ends a "history of ..." scope.
CONTEXT_TERMINATING_TYPES: dict[str, list[str]] = {
    "HISTORICAL": ["NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "HYPOTHETICAL", "CURRENT"],
}

# "CK-MB" and "CK MB" are the cardiac isoenzyme, not total CK.
_CK_ISOENZYME = re.compile(r"\s*-?\s*MB\b", re.IGNORECASE)
# Anchors joined by a conjunction share the result that follows them ("HMGCR and SRP negative").
_CONJUNCTION_ONLY = re.compile(
    r"\s*(?:,|/|&|\band\b|\bor\b|\bnor\b)?\s*(?:antibod(?:y|ies)|abs?)?\s*"
)


def _register_extensions() -> None:
    """Register nmnlp's span extensions once (namespaced ``nmnlp_*``)."""
    for name in ("nmnlp_lab", "nmnlp_antibody", "nmnlp_weakness", "nmnlp_status"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    for name in ("nmnlp_normal_strength", "nmnlp_resolved"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=False)
    if not Doc.has_extension("nmnlp_source"):
        Doc.set_extension("nmnlp_source", default=None)  # a SparseText, for candidate docs


_register_extensions()


def _set_ents(doc: Doc, spans: Iterable[Span]) -> None:
    doc.ents = sorted(spans, key=lambda s: (s.start, s.end))


# ---------------------------------------------------------------- sentences
class SentenceSplitter:
    """Set sentence starts from :func:`nmnlp.sentences.split_sentences`."""

    def __call__(self, doc: Doc) -> Doc:
        return set_sentence_starts(doc, [start for start, _ in split_sentences(doc.text)])


def set_sentence_starts(doc: Doc, char_starts: Sequence[int]) -> Doc:
    """Start a sentence at the first token at or after each of ``char_starts`` (and at token 0).

    Boundaries are written with one ``Doc.from_array`` call and a ``span.sent``
    hook finds a span's sentence by binary search: spaCy's ``token.is_sent_start``
    setter and its ``Span.sent`` each scan the whole document on every call,
    which made long notes quadratic.
    """
    token_starts = []
    next_index = 0
    for token in doc:
        is_start = token.i == 0
        while next_index < len(char_starts) and token.idx >= char_starts[next_index]:
            is_start = True
            next_index += 1
        if is_start:
            token_starts.append(token.i)
    if len(doc):
        values = numpy.full((len(doc), 1), -1, dtype="int64")
        values[token_starts, 0] = 1
        doc.from_array([SENT_START], values.astype("uint64"))
    doc.user_span_hooks["sent"] = _SentenceLookup(token_starts)
    return doc


class _SentenceLookup:
    """``span.sent`` by binary search over the sentence-start token indices."""

    def __init__(self, token_starts: list[int]):
        self.token_starts = token_starts

    def __call__(self, span: Span) -> Span:
        index = bisect_right(self.token_starts, span.start) - 1
        start = self.token_starts[index] if index >= 0 else 0
        end = self.token_starts[index + 1] if index + 1 < len(self.token_starts) else len(span.doc)
        return span.doc[start:end]


@Language.factory("nmnlp_sentences")
def make_sentences(nlp: Language, name: str) -> SentenceSplitter:
    """Clinical sentence splitter (fast, rule-based; see ``nmnlp.sentences``)."""
    return SentenceSplitter()


# ---------------------------------------------------------------- medSpaCy components
@Language.factory("nmnlp_sections", default_config={"rules": "sections.json"})
def make_sections(nlp: Language, name: str, rules: str) -> Sectionizer:
    """medSpaCy Sectionizer with nmnlp's section rules; headers must start a line."""
    sectionizer = Sectionizer(
        nlp, name=name, rules=None, require_start_line=True, span_attrs=None, input_span_type=None
    )
    _skip_revalidation(sectionizer._Sectionizer__matcher)
    sectionizer.add(load_section_rules(rules))
    return sectionizer


class TargetFinder(TargetMatcher):
    """medSpaCy TargetMatcher that sets ``doc.ents`` once.

    medSpaCy adds each match with ``doc.ents += (span,)``, which re-checks every
    entity each time: quadratic in the number of findings (minutes on a long
    note). Its matcher already keeps only the longest of overlapping matches.
    """

    def __call__(self, doc: Doc) -> Doc:
        found = super().__call__(doc)  # result_type=None: the list of matched spans
        _set_ents(doc, [*doc.ents, *found])
        return doc


@Language.factory("nmnlp_targets", default_config={"rules": []})
def make_targets(nlp: Language, name: str, rules: list[str]) -> TargetFinder:
    """medSpaCy TargetMatcher with nmnlp's target rules (default: every ``targets_*.json``)."""
    matcher = TargetFinder(nlp, name=name, result_type=None)
    _skip_revalidation(matcher._TargetMatcher__matcher)
    matcher.add(fast_rules(load_target_rules(rules or None)))
    return matcher


def _skip_revalidation(matcher: Any) -> None:
    """Let a medSpaCy matcher trust its token patterns instead of validating them again.

    ``nmnlp.rules`` validates every pattern when it reads a rule file (and
    :func:`fast_rules` only splits valid ones); spaCy's validation of each
    pattern again was most of the start-up time. medSpaCy keeps its spaCy
    ``Matcher`` private; its version is pinned in pyproject.toml.
    """
    matcher._MedspacyMatcher__matcher.validate = False


def fast_rules(rules: Sequence[TargetRule]) -> list[TargetRule]:
    """The same rules, with token patterns split into variants spaCy matches fast.

    See :func:`nmnlp.rules.matching_variants`; each variant keeps its rule's
    literal, category, attributes and metadata, so mentions are unchanged.
    """
    expanded = []
    for rule in rules:
        if not isinstance(rule.pattern, list):
            expanded.append(rule)
            continue
        for pattern in matching_variants(rule.pattern):
            expanded.append(
                TargetRule(
                    rule.literal,
                    rule.category,
                    pattern=pattern,
                    attributes=rule.attributes,
                    metadata=rule.metadata,
                )
            )
    return expanded


@Language.factory("nmnlp_context", default_config={"rules": "context.json"})
def make_context(nlp: Language, name: str, rules: str) -> TargetAwareConText:
    """medSpaCy ConText (modifiers inside a target ignored) with nmnlp's modifier rules."""
    context = TargetAwareConText(
        nlp,
        name=name,
        rules=None,
        span_attrs=CONTEXT_ATTRIBUTES,
        terminating_types=CONTEXT_TERMINATING_TYPES,
        prune_on_modifier_overlap=False,  # TargetAwareConText prunes after dropping in-target ones
    )
    _skip_revalidation(context._ConText__matcher)
    context.add(load_context_rules(rules))
    return context


# ---------------------------------------------------------------- labs
def _next_starts(spans: Sequence[Span]) -> list[int]:
    """For each span, the start char of the next span in the same sentence (or the sentence end)."""
    limits = []
    for i, span in enumerate(spans):
        limit = span.sent.end_char
        if i + 1 < len(spans) and spans[i + 1].sent.start == span.sent.start:
            limit = min(limit, spans[i + 1].start_char)
        limits.append(limit)
    return limits


class LabReader:
    """Attach lab values / antibody results to anchors whose rule ``requires`` a result,
    and the values after a worded CK / aldolase mention ("CK rising 3,850 -> 4,970")."""

    def __call__(self, doc: Doc) -> Doc:
        spans = list(doc.ents)
        text = doc.text  # spaCy rebuilds doc.text on every access: read it once
        limits = _next_starts(spans)
        results: list[object | None] = [None] * len(spans)
        kept: list[Span] = []
        # Right to left, so that "HMGCR and SRP negative" can hand SRP's result to HMGCR.
        for i in range(len(spans) - 1, -1, -1):
            span = spans[i]
            # A worded CK mention ("CK rising 3,850 -> 4,970") also takes the values after it.
            worded = span.label_ in LAB_ANALYTES and not rule_metadata(span).get("requires")
            if rule_metadata(span).get("requires") != "result" and not worded:
                kept.append(span)
                continue
            after = text[span.end_char : limits[i]]
            previous_end = spans[i - 1].end_char if i and spans[i - 1].sent == span.sent else None
            before = text[
                previous_end if previous_end is not None else span.sent.start_char : span.start_char
            ]
            analyte = LAB_ANALYTES.get(span.label_)
            if analyte == "ck" and _CK_ISOENZYME.match(after):
                continue
            if analyte is not None:
                result = labs.parse_lab_result(after, before, analyte=analyte)
            else:  # the whole sentence before: "panel negative (EJ, NXP2, OJ, PL-7)"
                result = labs.parse_antibody_result(
                    after, text[span.sent.start_char : span.start_char]
                )
            if worded and (result is None or not result.values):
                kept.append(span)  # its own words decide ("CK rising", "normal CK")
                continue
            if result is None and i + 1 < len(spans) and _CONJUNCTION_ONLY.fullmatch(after):
                result = _shared_result(span, spans[i + 1], results[i + 1])
            results[i] = result
            if result is not None and result.end:
                span = _widen_to(
                    span,
                    span.start_char,
                    span.end_char + result.end,
                    lower=spans[i - 1].end if i else 0,
                    upper=kept[-1].start if kept else len(doc),
                )
            if analyte is not None:
                span._.nmnlp_lab = result
            else:
                span._.nmnlp_antibody = result
            kept.append(span)
        _set_ents(doc, kept)
        return doc


def _shared_result(span: Span, following: Span, result: object | None) -> object | None:
    """The result ``following`` hands back over a conjunction ("HMGCR and SRP negative").

    Only between anchors of the same kind: two antibodies, or the same lab.
    """
    same_lab = span.label_ in LAB_ANALYTES and following.label_ == span.label_
    both_antibodies = span.label_ in ANTIBODY_CONCEPTS and following.label_ in ANTIBODY_CONCEPTS
    return result if same_lab or both_antibodies else None


@Language.factory("nmnlp_labs")
def make_labs(nlp: Language, name: str) -> LabReader:
    """CK / aldolase values and myositis antibody results (see ``nmnlp.labs``)."""
    return LabReader()


# ---------------------------------------------------------------- findings
class FindingReader:
    """Weakness attributes for weakness mentions; grades for bare muscle-site anchors."""

    def __init__(self, sites: Sequence[findings.MuscleSite]):
        self.sites = tuple(sites)

    def __call__(self, doc: Doc) -> Doc:
        kept: list[Span] = []
        strength_by_sentence: dict[int, list[findings.SiteGrade]] = {}
        ents = list(doc.ents)
        for index, span in enumerate(ents):
            if span.label_ not in WEAKNESS_CONCEPTS:
                kept.append(span)
                continue
            sent = span.sent
            start, end = span.start_char - sent.start_char, span.end_char - sent.start_char
            if rule_metadata(span).get("requires") == "grade":
                if sent.start not in strength_by_sentence:
                    strength_by_sentence[sent.start] = findings.parse_strength(
                        sent.text, self.sites
                    )
                site_grade = _site_grade_at(strength_by_sentence[sent.start], start, end)
                if site_grade is None or site_grade.grade is None:
                    continue  # "deltoid injection", "HF" without a grade: not a finding
                span._.nmnlp_normal_strength = site_grade.grade.is_normal
                span = _widen_to(
                    span,
                    sent.start_char + min(start, site_grade.grade.start),
                    sent.start_char + max(end, site_grade.grade.end),
                    lower=kept[-1].end if kept else 0,
                    upper=ents[index + 1].start if index + 1 < len(ents) else len(doc),
                )
            attributes = findings.weakness_attributes(sent.text, start, end, self.sites)
            span._.nmnlp_weakness = attributes
            if span.label_ == "generalized_weakness" and attributes.region:
                span = _relabel(
                    span,
                    "distal_weakness" if attributes.region == "distal" else "proximal_weakness",
                )
            kept.append(span)
        _set_ents(doc, kept)
        return doc


def _site_grade_at(site_grades: Sequence[findings.SiteGrade], start: int, end: int):
    """The site at ``start:end`` with its worst grade ("SA 5/5 R, 4-/5 L" is weak)."""
    here = [g for g in site_grades if g.start < end and start < g.end]
    graded = [g for g in here if g.grade is not None]
    return min(graded, key=lambda g: g.grade.value) if graded else (here[0] if here else None)


def _widen_to(span: Span, start_char: int, end_char: int, lower: int, upper: int) -> Span:
    """``span`` widened to cover ``start_char:end_char``, staying within tokens ``lower:upper``.

    The bounds are the neighbouring mentions, so a widened span never overlaps one.
    """
    wider = span.doc.char_span(start_char, end_char, alignment_mode="expand")
    if wider is None:
        return span
    start, end = max(wider.start, lower, 0), min(wider.end, upper)
    if start > span.start or end < span.end:
        start, end = min(start, span.start), max(end, span.end)
    result = Span(span.doc, start, end, label=span.label_)
    _copy_extensions(span, result)
    return result


def _relabel(span: Span, label: str) -> Span:
    relabelled = Span(span.doc, span.start, span.end, label=label)
    _copy_extensions(span, relabelled)
    return relabelled


def _copy_extensions(source: Span, target: Span) -> None:
    for name in (
        "target_rule",
        "is_negated",
        "nmnlp_lab",
        "nmnlp_antibody",
        "nmnlp_weakness",
        "nmnlp_normal_strength",
    ):
        setattr(target._, name, getattr(source._, name))


@Language.factory("nmnlp_findings", default_config={"sites": "muscle_sites.json"})
def make_findings(nlp: Language, name: str, sites: str) -> FindingReader:
    """Weakness site / region / side / MRC grade (see ``nmnlp.findings``)."""
    return FindingReader(load_muscle_sites(sites))


# ---------------------------------------------------------------- assertion
class AssertionSetter:
    """Set ``span._.nmnlp_status``; drop anchors whose required result never came."""

    def __call__(self, doc: Doc) -> Doc:
        kept = []
        for span in doc.ents:
            status = assertion.mention_status(assertion.evidence_of(span))
            if status is None:
                continue
            span._.nmnlp_status = status
            kept.append(span)
        _set_ents(doc, kept)
        return doc


@Language.factory("nmnlp_assertion")
def make_assertion(nlp: Language, name: str) -> AssertionSetter:
    """One status per mention from ConText, section and result (see ``nmnlp.assertion``)."""
    return AssertionSetter()


# ---------------------------------------------------------------- build
def build(disable: Sequence[str] = ()) -> Language:
    """Return a new ``Language`` with nmnlp's tokenizer and components.

    Args:
        disable: Component names (from ``PIPE_NAMES``) to leave out.
    """
    unknown = set(disable) - set(PIPE_NAMES)
    if unknown:
        raise ValueError(f"Unknown component(s) {sorted(unknown)}; choose from {list(PIPE_NAMES)}.")
    nlp = spacy.blank("en")
    nlp.tokenizer = create_medspacy_tokenizer(nlp)
    # "-rash, -dysphagia": a leading minus before a word is its own token, as "+" is.
    prefixes = nlp.tokenizer.prefix_search.__self__.pattern
    nlp.tokenizer.prefix_search = re.compile(r"^-(?=[A-Za-z])|" + prefixes).search
    for name in PIPE_NAMES:
        if name not in disable:
            nlp.add_pipe(name)
    return nlp


# ---------------------------------------------------------------- candidate docs
# Stands between two regions of a candidate doc: one token that no rule matches.
SEPARATOR = "\u2063"  # INVISIBLE SEPARATOR


def candidate_doc(nlp: Language, text: str, candidates: CandidateFilter) -> Doc:
    """Run ``nlp`` on the sentences of ``text`` that may hold a finding or a section header.

    The findings (``doc.ents`` with every attribute, their sentences and
    sections) are those of ``nlp(text)``; ``doc.text`` holds only the kept
    sentences, and ``doc._.nmnlp_source.to_source(offset)`` maps an offset in
    it to the note. See ``nmnlp.candidates`` for why nothing is lost.

    Args:
        nlp: A pipeline from :func:`build` (``nmnlp_sentences`` first).
        text: The note.
        candidates: :func:`candidate_filter` of ``nlp``.
    """
    sentences = split_sentences(text)
    sparse = sparse_text(text, sentences, candidates.kept_ranges(text, sentences), SEPARATOR)
    doc = nlp.make_doc(sparse.text)
    doc._.nmnlp_source = sparse
    set_sentence_starts(doc, sparse.sentence_starts)
    for name, component in nlp.pipeline:
        if name != "nmnlp_sentences":
            doc = component(doc)
    return doc


def candidate_filter(nlp: Language) -> CandidateFilter:
    """The sentence prefilter for ``nlp``, derived from the rules of its components."""
    rules = {
        name: list(nlp.get_pipe(name).rules) if name in nlp.pipe_names else []
        for name in ("nmnlp_targets", "nmnlp_sections", "nmnlp_context")
    }
    specs = {name: [_rule_specs(rule, nlp) for rule in found] for name, found in rules.items()}
    special_cases = {
        text: [piece[65] for piece in pieces]  # 65: spacy.attrs.ORTH
        for text, pieces in nlp.tokenizer.rules.items()
    }
    return CandidateFilter(
        specs["nmnlp_targets"],
        specs["nmnlp_sections"],
        specs["nmnlp_context"],
        TokenModel.from_special_cases(special_cases),
        keep_everything=not _separator_is_inert(
            nlp, [r for found in rules.values() for r in found]
        ),
    )


def _rule_specs(rule: Any, nlp: Language) -> tuple[TokenSpec, ...] | None:
    """Token specs of a medspaCy rule; ``None`` for a regular-expression rule."""
    if isinstance(rule.pattern, str):
        return None
    if rule.pattern is None:  # a phrase, matched on LOWER by medspaCy's PhraseMatcher
        return phrase_specs([token.lower_ for token in nlp.make_doc(rule.literal.lower())])
    return pattern_specs(rule.pattern)


def _separator_is_inert(nlp: Language, rules: Sequence[Any]) -> bool:
    """True when ``SEPARATOR`` is one token and no token of any rule can match it."""
    doc = nlp.make_doc(f"{SEPARATOR} x")
    if [token.text for token in doc] != [SEPARATOR, "x"]:
        return False
    tokens = {}
    for rule in rules:
        if isinstance(rule.pattern, list):
            for token in rule.pattern:
                token = {k: v for k, v in token.items() if k != "OP"}
                tokens[json.dumps(token, sort_keys=True)] = token
        elif rule.pattern is None and SEPARATOR.lower() in rule.literal.lower():
            return False
    matcher = Matcher(nlp.vocab, validate=False)  # the rule readers validated them
    matcher.add("token", [[token] for token in tokens.values()])
    return not matcher(doc[:1])


_PROCESSORS: weakref.WeakKeyDictionary[Language, Callable[[str], Doc]] = weakref.WeakKeyDictionary()


def note_processor(nlp: Language) -> Callable[[str], Doc]:
    """The fastest way to get ``nlp``'s findings for one note text.

    :func:`candidate_doc` when ``nlp`` holds only nmnlp components with
    ``nmnlp_sentences`` first (its filter is built once per pipeline), else ``nlp``.
    """
    if nlp not in _PROCESSORS:
        names = list(nlp.pipe_names)
        if names[:1] == ["nmnlp_sentences"] and set(names) <= set(PIPE_NAMES):
            candidates = candidate_filter(nlp)
            _PROCESSORS[nlp] = lambda text: candidate_doc(nlp, text, candidates)
        else:
            _PROCESSORS[nlp] = nlp
    return _PROCESSORS[nlp]
