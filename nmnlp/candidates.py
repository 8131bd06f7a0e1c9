"""Which sentences of a note can hold a finding: a cheap, conservative prefilter.

Why. spaCy's ``Matcher`` tries every token pattern at every token, so matching
costs (tokens x patterns); nmnlp has about 2,600 patterns (targets, ConText,
section headers) and most sentences of a note hold no finding at all. This
module finds, with string operations on the lower-cased text, the sentences
that *can* hold a match; the pipeline then tokenises and matches only those
(``nmnlp.pipeline.candidate_doc``). Everything here is derived from the rules
themselves, so a new lexicon entry needs no change here.

The filter is conservative: it may keep a sentence that holds nothing, but it
never drops one that the full pipeline would use. It rests on four facts:

1. **Rules need their tokens.** A match of a rule holds one token for each
   mandatory token of its pattern (``OP`` absent or ``"+"``), and where that
   token is constrained by ``LOWER`` / ``ORTH`` / ``TEXT`` (a string or an
   ``IN`` list, or a regex that starts with ``^`` and literal text) its
   lower-cased text is, or starts with, one of known strings
   (:func:`required_anchors`). A rule with no such token cannot be reduced:
   then every sentence is kept.
2. **Where a token can be.** The tokenizer cuts text at white space and
   between punctuation, digits and letters, but it cuts *between two letters*
   only inside its special cases ("can't" -> "ca" + "n't"). So a string made
   of letters is a token only where it is not glued to another letter, unless
   it is one of those special-case pieces (:class:`TokenModel`). Matching uses
   this to test "could this string be a token here" without tokenising.
3. **Matches stay in blocks.** A match can run over a sentence boundary only
   if the last token before it and the first token after it can be matched by
   two tokens that follow each other in some pattern (with only optional or
   white-space tokens between them). :func:`boundary_pairs` lists those pairs
   for every rule (targets, ConText modifiers, section headers), and a
   boundary that one of them may cross joins its two sentences into one
   *block*. A boundary that falls inside a token (a very long run cut by the
   sentence splitter) always joins. Matches, and so everything built on them,
   never leave a block.
4. **Section headers start a line.** Header rules are only tested on blocks
   that contain or follow a line break (or open the note).

A block is kept when some target rule has all its required strings in it, or
when it may hold a section header. Everything else about a finding (lab
values, MRC grades, ConText scopes) is read within the finding's sentence.

All functions are pure; the spaCy side lives in ``nmnlp.pipeline``.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import product
from typing import NamedTuple

from spacy.lang.en.stop_words import STOP_WORDS

__all__ = [
    "Anchor",
    "CandidateFilter",
    "SparseText",
    "TokenModel",
    "TokenSpec",
    "boundary_pairs",
    "can_start_on_space",
    "phrase_specs",
    "pattern_specs",
    "adjacent_runs",
    "required_anchors",
    "sparse_text",
    "token_spec",
]

# Token attributes whose value is the token's text, exactly or lower-cased.
_TEXT_ATTRS = ("LOWER", "ORTH", "TEXT")
# Flags that, when set so, rule out a white-space token.
_NOT_SPACE_FLAGS = {"IS_SPACE": False, "IS_ALPHA": True, "IS_DIGIT": True, "IS_PUNCT": True}
_QUANTIFIERS = {None: (1, 1), "+": (1, math.inf), "*": (0, math.inf), "?": (0, 1), "!": (0, 0)}
_RANGE_OP = re.compile(r"\{(\d*)(,?)(\d*)\}")
# ``TokenSpec.word_class`` of a token that may be any alphabetic token.
ALPHA = "<alphabetic>"
# A maximal run of letters as ``_is_letter`` defines them ([^\W\d_]: isalnum() less digits, "_").
_LETTERS = re.compile(r"[^\W\d_]+")


def _is_letter(char: str) -> bool:
    return char.isalnum() and not char.isdecimal()


# ---------------------------------------------------------------- token specs
class Anchor(NamedTuple):
    """Lower-cased text that a token must be (``whole``) or start with."""

    text: str
    whole: bool = True


@dataclass(frozen=True)
class TokenSpec:
    """What one token of a pattern can match, reduced to what the filter needs.

    Attributes:
        strings: The lower-cased texts the token may have; ``None`` when its
            text is not constrained (a wildcard, a regex, a flag).
        min_count, max_count: How many tokens it matches (from ``OP``).
        matches_space: Whether it may match a white-space token.
        only_space: Whether it matches nothing but white-space tokens.
        only_alpha: Whether it matches nothing but alphabetic tokens (``IS_ALPHA``).
        prefix: Lower-cased text the token starts with, when only that is known
            (from a regex such as ``^lgmd``).
    """

    strings: frozenset[str] | None
    min_count: int = 1
    max_count: float = 1
    matches_space: bool = False
    only_space: bool = False
    only_alpha: bool = False
    prefix: str | None = None

    @property
    def optional(self) -> bool:
        return self.min_count == 0

    @cached_property
    def word_strings(self) -> frozenset[str] | None:
        """``strings`` without white space (``None``: any text)."""
        if self.only_space:
            return frozenset()
        if self.strings is None:
            return None
        return frozenset(s for s in self.strings if s and not s.isspace())

    @cached_property
    def word_class(self) -> frozenset[str] | str | None:
        """The non-space texts it matches: ``word_strings``, or ``ALPHA`` for any
        alphabetic token, or ``None`` for any text."""
        if self.word_strings is None and self.only_alpha:
            return ALPHA
        return self.word_strings

    @cached_property
    def anchors(self) -> frozenset[Anchor]:
        """What a token matched by this spec must be or start with (empty: unknown)."""
        if self.word_strings:
            return frozenset(Anchor(s) for s in self.word_strings)
        if self.strings is None and self.prefix:
            return frozenset({Anchor(self.prefix, whole=False)})
        return frozenset()


def _quantifier(op: str | None) -> tuple[int, float]:
    if op in _QUANTIFIERS:
        return _QUANTIFIERS[op]
    found = _RANGE_OP.fullmatch(str(op))
    if found is None:
        return 0, math.inf  # unknown: assume anything
    low, comma, high = found.groups()
    minimum = int(low or 0)
    maximum = int(high) if high else (math.inf if comma else minimum)
    return minimum, maximum


def _text_values(value: object) -> frozenset[str] | None:
    """Lower-cased texts allowed by one ``LOWER``/``ORTH``/``TEXT`` value; ``None``: any."""
    if isinstance(value, str):
        return frozenset({value.lower()})
    if isinstance(value, Mapping) and set(value) == {"IN"}:
        return frozenset(str(v).lower() for v in value["IN"])
    return None  # REGEX, NOT_IN, FUZZY, comparisons...


def _regex_prefix(value: object) -> str | None:
    """The literal text that every match of a ``{"REGEX": "^..."}`` value starts with."""
    if not isinstance(value, Mapping) or set(value) != {"REGEX"}:
        return None
    pattern = str(value["REGEX"])
    literal = re.match(r"\^([A-Za-z0-9]+)", pattern)
    if literal is None or "|" in pattern:
        return None
    text = literal.group(1)
    if pattern[literal.end() : literal.end() + 1] in ("?", "*", "+", "{"):
        text = text[:-1]  # the last character is quantified
    return text.lower() or None


def token_spec(token: Mapping[str, object]) -> TokenSpec:
    """Reduce one spaCy ``Matcher`` token pattern to a :class:`TokenSpec`."""
    strings: frozenset[str] | None = None
    prefix: str | None = None
    for attr in _TEXT_ATTRS:
        if attr in token:
            allowed = _text_values(token[attr])
            if allowed is not None:
                strings = allowed if strings is None else strings & allowed
            prefix = max(prefix or "", _regex_prefix(token[attr]) or "", key=len) or None
    minimum, maximum = _quantifier(token.get("OP"))  # type: ignore[arg-type]
    if strings is not None:
        matches_space = any(s.isspace() for s in strings)
    else:
        matches_space = prefix is None and not any(
            token.get(flag) is value for flag, value in _NOT_SPACE_FLAGS.items()
        )
    only_space = token.get("IS_SPACE") is True
    only_alpha = token.get("IS_ALPHA") is True
    return TokenSpec(strings, minimum, maximum, matches_space, only_space, only_alpha, prefix)


def pattern_specs(pattern: Sequence[Mapping[str, object]]) -> tuple[TokenSpec, ...]:
    """The specs of a spaCy token pattern."""
    return tuple(token_spec(token) for token in pattern)


def phrase_specs(words: Sequence[str]) -> tuple[TokenSpec, ...]:
    """The specs of a phrase rule, given the lower-cased texts of its tokens."""
    return tuple(TokenSpec(frozenset({w}), matches_space=w.isspace()) for w in words)


def required_anchors(specs: Sequence[TokenSpec]) -> tuple[frozenset[Anchor], ...] | None:
    """For each mandatory token with known text: the anchors one of which a match must hold.

    Returns ``None`` when there is no such token: the rule cannot be reduced.
    """
    required = tuple(spec.anchors for spec in specs if spec.min_count > 0 and spec.anchors)
    return required or None


Run = tuple[tuple[frozenset[str], bool], ...]  # (texts, repeats) for each token of a run


def adjacent_runs(specs: Sequence[TokenSpec]) -> tuple[Run, ...]:
    """Runs of mandatory tokens with known texts that a match holds side by side.

    Tokens in a run have only white space between them in the text (they are
    consecutive in the pattern, or separated by white-space tokens only), so
    a text can hold a match only where it holds each run as
    ``text1 \\s* text2 ...`` (a token with ``OP: "+"`` may repeat there).
    Runs of one token are left out.
    """
    runs: list[Run] = []
    run: list[tuple[frozenset[str], bool]] = []
    for spec in [*specs, TokenSpec(None)]:  # a wildcard ends the last run
        if spec.word_class == frozenset():
            continue  # white space only: stays inside the run
        if spec.min_count > 0 and spec.word_strings:
            run.append((spec.word_strings, spec.max_count > 1))
            continue
        if len(run) > 1:
            runs.append(tuple(run))
        run = []
    return tuple(runs)


def _run_pattern(run: Run) -> re.Pattern[str]:
    """The regex a text matches where it may hold ``run`` (see :func:`adjacent_runs`)."""
    pieces = []
    for texts, repeats in run:
        one = "(?:" + "|".join(map(re.escape, sorted(texts))) + ")"
        pieces.append(f"{one}(?:\\s*{one})*" if repeats else one)
    return re.compile(r"\s*".join(pieces))


WordClass = frozenset[str] | str | None  # see TokenSpec.word_class


def boundary_pairs(specs: Sequence[TokenSpec]) -> Iterable[tuple[WordClass, WordClass]]:
    """Pairs of token texts a match of ``specs`` can hold side by side, across white space.

    ``(A, B)``: some match may hold a token of class ``A`` directly followed
    (after nothing but white space) by a token of class ``B`` (see
    ``TokenSpec.word_class``). These are the only ways a match can run over a
    sentence boundary.
    """
    for i, first in enumerate(specs):
        if first.max_count == 0 or first.word_class == frozenset():
            continue
        if first.max_count > 1:
            yield first.word_class, first.word_class
        for j in range(i + 1, len(specs)):
            second = specs[j]
            if second.max_count > 0 and second.word_class != frozenset():
                yield first.word_class, second.word_class
            if not (second.optional or second.matches_space):
                break


def can_start_on_space(specs: Sequence[TokenSpec]) -> bool:
    """True when a match may begin with a white-space token (then any boundary may be crossed)."""
    for spec in specs:
        if spec.matches_space and spec.max_count > 0:
            return True
        if not spec.optional:
            return False
    return False


# ---------------------------------------------------------------- where tokens can be
@dataclass(frozen=True)
class TokenModel:
    """Where the tokenizer can cut a run of non-space characters.

    It may cut anywhere except between two letters, where it cuts only
    between the pieces of a special case. ``glued_left`` maps each piece that
    can follow a letter to the texts of its special cases before it ("n't" ->
    "ca" in "can't", "ta" -> "got" in "gotta"), ``glued_right`` each piece that
    can precede a letter to the texts after it ("ca" -> "n't").
    """

    glued_left: Mapping[str, frozenset[str]] = field(default_factory=dict)
    glued_right: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def from_special_cases(cls, special_cases: Mapping[str, Sequence[str]]) -> TokenModel:
        """Build from the tokenizer's special cases: ``{"can't": ["ca", "n't"], ...}``."""
        left: dict[str, set[str]] = defaultdict(set)
        right: dict[str, set[str]] = defaultdict(set)
        for pieces in special_cases.values():
            pieces = [piece.lower() for piece in pieces]
            for i in range(1, len(pieces)):
                before, after = pieces[i - 1], pieces[i]
                if before and after and _is_letter(before[-1]) and _is_letter(after[0]):
                    right[before].add("".join(pieces[i:]))
                    left[after].add("".join(pieces[:i]))
        return cls(
            {k: frozenset(v) for k, v in left.items()}, {k: frozenset(v) for k, v in right.items()}
        )

    def can_start(self, text: str, start: int, token: str) -> bool:
        """Could a token ``token`` start at ``text[start]``?"""
        if start == 0 or not (_is_letter(token[0]) and _is_letter(text[start - 1])):
            return True
        return any(
            text[max(start - len(before), 0) : start] == before
            for before in self.glued_left.get(token, ())
        )

    def can_end(self, text: str, end: int, token: str) -> bool:
        """Could a token ``token`` end just before ``text[end]``?"""
        if end >= len(text) or not (_is_letter(token[-1]) and _is_letter(text[end])):
            return True
        return any(
            text[end : end + len(after)] == after for after in self.glued_right.get(token, ())
        )

    def is_word(self, anchor: Anchor) -> bool:
        """True when ``anchor`` occurs exactly where it is a maximal run of letters."""
        return (
            anchor.whole
            and bool(_LETTERS.fullmatch(anchor.text))
            and anchor.text not in self.glued_left
            and anchor.text not in self.glued_right
        )

    def occurs(self, anchor: Anchor, text: str) -> bool:
        """Could a token of ``text`` be (or start with) ``anchor``? Both are lower-cased."""
        token = anchor.text
        start = text.find(token)
        while start >= 0:
            end = start + len(token)
            if self.can_start(text, start, token) and (
                not anchor.whole or self.can_end(text, end, token)
            ):
                return True
            start = text.find(token, start + 1)
        return False

    def last_tokens(self, chunk: str, longest: int) -> set[str]:
        """Texts of up to ``longest`` characters the last token of ``chunk`` may have.

        ``chunk`` is a run of non-space characters.
        """
        starts = range(max(len(chunk) - longest, 0), len(chunk))
        return {chunk[i:] for i in starts if self.can_start(chunk, i, chunk[i:])}

    def first_tokens(self, chunk: str, longest: int) -> set[str]:
        """Texts of up to ``longest`` characters the first token of ``chunk`` may have."""
        ends = range(1, min(len(chunk), longest) + 1)
        return {chunk[:j] for j in ends if self.can_end(chunk, j, chunk[:j])}


# ---------------------------------------------------------------- rule tests
class _RequiredIndex:
    """Is there a rule whose required anchors all occur in a text? (Indexed by one trigger each.)"""

    def __init__(
        self,
        rules: Sequence[tuple[tuple[frozenset[Anchor], ...], tuple[Run, ...]]],
        model: TokenModel,
    ):
        self.model = model
        # Each distinct rule, from its required anchors and adjacent runs, as (groups of whole
        # words, other groups, run patterns): a text holds the rule when it holds a word of
        # each word group, an anchor of each other group, and a match of each run pattern.
        self.rules: list[
            tuple[tuple[frozenset[str], ...], tuple[frozenset[Anchor], ...], list[re.Pattern[str]]]
        ] = []
        self.by_word: dict[str, list[int]] = defaultdict(list)
        self.by_anchor: dict[Anchor, list[int]] = defaultdict(list)
        for index, (required, runs) in enumerate(dict.fromkeys(rules)):
            words = tuple(
                frozenset(a.text for a in group)
                for group in required
                if all(map(model.is_word, group))
            )
            others = tuple(group for group in required if not all(map(model.is_word, group)))
            self.rules.append((words, others, [_run_pattern(run) for run in runs]))
            for anchor in max(required, key=self._trigger_rank):
                if model.is_word(anchor):
                    self.by_word[anchor.text].append(index)
                else:
                    self.by_anchor[anchor].append(index)

    def _trigger_rank(self, anchors: frozenset[Anchor]) -> tuple[bool, bool, int, int]:
        """Prefer triggers that are rare in prose: whole words, not stop words, long, few."""
        return (
            all(self.model.is_word(a) for a in anchors),
            not any(a.text in STOP_WORDS for a in anchors),
            min(len(a.text) for a in anchors),
            -len(anchors),
        )

    def triggers(self, text: str) -> list[str]:
        """Trigger texts found in ``text`` (a whole note): a part of it without one holds no rule.

        Pass them to :meth:`any_rule` for each part.
        """
        found = set(_LETTERS.findall(text)) & self.by_word.keys()
        return [*found, *(a.text for a in self.by_anchor if a.text in text)]

    def any_rule(self, text: str, triggers: Sequence[str] | None = None) -> bool:
        """True when all required anchors of some rule may be tokens of ``text``.

        Args:
            text: Lower-cased text.
            triggers: :meth:`triggers` of a text that holds ``text``, to skip
                ``text`` quickly when it holds none of them.
        """
        if triggers is not None and not any(t in text for t in triggers):
            return False
        words = set(_LETTERS.findall(text))

        def occurs(anchor: Anchor) -> bool:
            if self.model.is_word(anchor):
                return anchor.text in words
            return anchor.text in text and self.model.occurs(anchor, text)

        candidates = {i for word in words & self.by_word.keys() for i in self.by_word[word]}
        for anchor, indices in self.by_anchor.items():
            if anchor.text in text and self.model.occurs(anchor, text):
                candidates.update(indices)
        for index in sorted(candidates):
            word_groups, other_groups, run_patterns = self.rules[index]
            if (
                all(not group.isdisjoint(words) for group in word_groups)
                and all(any(map(occurs, group)) for group in other_groups)
                and all(pattern.search(text) for pattern in run_patterns)
            ):
                return True
        return False


class _Crossings:
    """Which sentence boundaries a match may run over (see :func:`boundary_pairs`)."""

    def __init__(self, rule_specs: Iterable[Sequence[TokenSpec]], model: TokenModel):
        self.model = model
        # Pairs of classes where neither side is a set of texts, e.g. (None, ALPHA).
        self.open_pairs: set[tuple[str | None, str | None]] = set()
        # (class, texts): texts that may follow a token of the class, or precede one.
        self.after_class: dict[str | None, set[str]] = defaultdict(set)
        self.before_class: dict[str | None, set[str]] = defaultdict(set)
        self.before: dict[str, set[str]] = defaultdict(set)  # second text -> first texts
        for specs in rule_specs:
            if can_start_on_space(specs):
                self.open_pairs.add((None, None))
            for first, second in boundary_pairs(specs):
                if isinstance(first, frozenset) and isinstance(second, frozenset):
                    for text in second:
                        self.before[text].update(first)
                elif isinstance(second, frozenset):
                    self.after_class[first].update(second)
                elif isinstance(first, frozenset):
                    self.before_class[second].update(first)
                else:
                    self.open_pairs.add((first, second))
        texts = [t for group in self.after_class.values() for t in group]
        texts += [t for group in self.before_class.values() for t in group]
        texts += [*self.before, *(t for firsts in self.before.values() for t in firsts)]
        self.longest = max(map(len, texts), default=0)

    def crossable(self, left_chunk: str, right_chunk: str) -> bool:
        """May a match hold the end of ``left_chunk`` and the start of ``right_chunk``?"""
        # The classes each side's boundary token may belong to (None: any token).
        left_classes = {None, ALPHA} if _is_letter(left_chunk[-1]) else {None}
        right_classes = {None, ALPHA} if _is_letter(right_chunk[0]) else {None}
        if any(pair in self.open_pairs for pair in product(left_classes, right_classes)):
            return True
        lasts = self.model.last_tokens(left_chunk, self.longest)
        firsts = self.model.first_tokens(right_chunk, self.longest)
        if any(not firsts.isdisjoint(self.after_class[c]) for c in left_classes):
            return True
        if any(not lasts.isdisjoint(self.before_class[c]) for c in right_classes):
            return True
        return any(not lasts.isdisjoint(self.before[text]) for text in firsts & self.before.keys())


# ---------------------------------------------------------------- the filter
class CandidateFilter:
    """Decide which parts of a note to keep, from the rules of the pipeline.

    Args:
        targets: Specs of each target rule; ``None`` for a rule the filter
            cannot read (a regular-expression rule): then everything is kept.
        headers: Specs of each section-header rule (``None`` likewise).
        others: Specs of any other rules matched on the text (ConText
            modifiers); they only decide which boundaries a match may cross.
        model: Where the tokenizer can cut (:class:`TokenModel`).
        keep_everything: Keep the whole note (for a pipeline the filter cannot serve).
    """

    def __init__(
        self,
        targets: Sequence[Sequence[TokenSpec] | None],
        headers: Sequence[Sequence[TokenSpec] | None],
        others: Sequence[Sequence[TokenSpec] | None],
        model: TokenModel,
        keep_everything: bool = False,
    ):
        rules = [*targets, *headers, *others]
        target_required = [required_anchors(s) if s is not None else None for s in targets]
        header_required = [required_anchors(s) if s is not None else None for s in headers]
        target_runs = [adjacent_runs(s) if s is not None else () for s in targets]
        header_runs = [adjacent_runs(s) if s is not None else () for s in headers]
        self.keeps_everything = (
            keep_everything
            or any(s is None for s in rules)
            or any(r is None for r in [*target_required, *header_required])
        )
        self.model = model
        self._targets = _RequiredIndex(
            [(r, runs) for r, runs in zip(target_required, target_runs, strict=True) if r], model
        )
        self._headers = _RequiredIndex(
            [(r, runs) for r, runs in zip(header_required, header_runs, strict=True) if r], model
        )
        reaches = [_reach(s) for s in headers if s is not None]
        self._header_reach = None if None in reaches else max(reaches, default=0)
        self._crossings = _Crossings([s for s in rules if s is not None], model)
        self._crossable = lru_cache(maxsize=1 << 16)(self._crossings.crossable)

    def kept_ranges(self, text: str, sentences: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
        """The parts of ``text`` that may hold a finding or a section header.

        Args:
            text: The note.
            sentences: Its sentences, ``(start, end)`` offsets in order.

        Returns:
            Sorted, disjoint ``(start, end)`` offsets: whole blocks of sentences
            that may hold a finding, and around each line start of other blocks
            that may hold a section header, the stretch a header (or a longer
            header overlapping it) can take.
        """
        if not sentences:
            return []
        lower = text.lower()
        # Lower-casing that changes lengths (or depends on context, like a final sigma)
        # would break the offsets: keep everything then.
        if self.keeps_everything or len(lower) != len(text) or "\u03a3" in text:
            return [(sentences[0][0], sentences[-1][1])]
        kept = []
        triggers = self._targets.triggers(lower)
        for first, last in self.blocks(text, lower, sentences):
            start, end = sentences[first][0], sentences[last - 1][1]
            block = lower[start:end]
            if self._targets.any_rule(block, triggers):
                kept.append((start, end))
            elif self._headers.rules and _line_starts(text, start, end):
                kept.extend(self._header_windows(text, lower, start, end))
        return kept

    def blocks(
        self, text: str, lower: str, sentences: Sequence[tuple[int, int]]
    ) -> list[tuple[int, int]]:
        """Runs of sentences ``[first, last)`` that no match can leave (fact 3)."""
        blocks = []
        first = 0
        for index in range(1, len(sentences)):
            (_, left_end), (right_start, right_end) = sentences[index - 1], sentences[index]
            glued = not text[right_start - 1].isspace()
            if not glued and not self._crossable(
                _last_chunk(lower, left_end), _first_chunk(lower, right_start, right_end)
            ):
                blocks.append((first, index))
                first = index
        blocks.append((first, len(sentences)))
        return blocks

    def _header_windows(self, text: str, lower: str, start: int, end: int) -> list[tuple[int, int]]:
        """Stretches of ``text[start:end]`` around a line start that may hold a header (fact 4)."""
        windows: list[tuple[int, int]] = []
        if not self._headers.any_rule(lower[start:end]):
            return windows
        for line_start in _line_starts(text, start, end):
            if self._header_reach is None:
                window = (start, end)
            else:
                window = (
                    _chunks_back(text, line_start, self._header_reach, start),
                    _chunks_forward(text, line_start, self._header_reach, end),
                )
            if self._headers.any_rule(lower[window[0] : window[1]]):
                if windows and window[0] <= windows[-1][1]:
                    window = (windows.pop()[0], window[1])
                windows.append(window)
        return windows


def _reach(specs: Sequence[TokenSpec]) -> int | None:
    """Most non-space tokens a match can hold (``None``: no limit)."""
    reach = sum(spec.max_count for spec in specs if spec.word_class != frozenset())
    return None if math.isinf(reach) else int(reach)


def _last_chunk(text: str, end: int) -> str:
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end]


def _first_chunk(text: str, start: int, limit: int) -> str:
    end = start
    while end < limit and not text[end].isspace():
        end += 1
    return text[start:end]


def _line_starts(text: str, start: int, end: int) -> list[int]:
    """Offsets in ``text[start:end]`` where a token may begin a line."""
    starts = []
    index = start
    while index > 0 and text[index - 1].isspace() and text[index - 1] not in "\n\r":
        index -= 1
    if index == 0 or text[index - 1] in "\n\r":
        starts.append(start)
    for found in _LINE_BREAK.finditer(text, start, end):
        if found.end() < end:
            starts.append(found.end())
    return starts


_LINE_BREAK = re.compile(r"[\n\r]\s*")
_CHUNK = re.compile(r"\S+")


def _chunks_forward(text: str, start: int, count: int, limit: int) -> int:
    """End of the ``count``-th run of non-space characters from ``start`` (at most ``limit``)."""
    end = start
    for number, chunk in enumerate(_CHUNK.finditer(text, start, limit), 1):
        end = chunk.end()
        if number == count:
            break
    return end


def _chunks_back(text: str, start: int, count: int, limit: int) -> int:
    """Start of the ``count``-th run of non-space characters before ``start`` (>= ``limit``)."""
    index = start
    for _ in range(count):
        while index > limit and text[index - 1].isspace():
            index -= 1
        if index == limit:
            break
        while index > limit and not text[index - 1].isspace():
            index -= 1
    while index < start and text[index].isspace():
        index += 1
    return index


# ---------------------------------------------------------------- the kept text
@dataclass(frozen=True)
class SparseText:
    """The kept parts of a note, as one text the tokenizer splits exactly as the note.

    Each kept part becomes a *region*: the note's text from the white-space
    token before it (the single space that the previous word owns stays out)
    to the next non-space character after it, so its tokens are exactly the
    note's tokens there. Regions that do not open the note are preceded by
    ``separator`` and a space: one token that no rule matches, so no match
    joins two regions, and a header after it does not start a line, as after
    the word it stands for.

    Attributes:
        text: The regions and separators.
        sentence_starts: Start offsets in ``text`` of the kept sentences (and
            kept parts) and of each separator, which starts a sentence of its own.
        region_starts: Start offset of each region in ``text``.
        source_starts: Start offset of each region in the note.
        source: The note itself.
    """

    text: str
    sentence_starts: tuple[int, ...]
    region_starts: tuple[int, ...]
    source_starts: tuple[int, ...]
    source: str = field(default="", repr=False)

    def to_source(self, offset: int) -> int:
        """The note offset of ``offset`` in ``text`` (a separator maps to its region's start)."""
        if not self.region_starts:
            return offset
        index = max(bisect_right(self.region_starts, offset) - 1, 0)
        return self.source_starts[index] + max(offset - self.region_starts[index], 0)

    def source_text(self, start: int, end: int) -> str:
        """The note's text between two offsets in ``text`` (skipped sentences included)."""
        return self.source[self.to_source(start) : self.to_source(end)]


def sparse_text(
    text: str,
    sentences: Sequence[tuple[int, int]],
    kept: Sequence[tuple[int, int]],
    separator: str,
) -> SparseText:
    """Lay out the ``kept`` parts of ``text`` (see :class:`SparseText`).

    Args:
        text: The note.
        sentences: Its sentences, ``(start, end)`` offsets in order.
        kept: Sorted, disjoint ``(start, end)`` offsets to keep, each starting
            and ending at a run of non-space characters.
        separator: A character the tokenizer keeps as one token.
    """
    sentence_starts = [start for start, _ in sentences]
    pieces: list[str] = []
    starts: list[int] = []
    region_starts: list[int] = []
    source_starts: list[int] = []
    length = 0
    for start, end in _regions(text, kept):
        if start > 0:
            starts.append(length)
            pieces.append(separator + " ")
            length += len(separator) + 1
        region_starts.append(length)
        source_starts.append(start)
        inside = sentence_starts[
            bisect_left(sentence_starts, start) : bisect_left(sentence_starts, end)
        ]
        first_text = len(text[start:end]) - len(text[start:end].lstrip())
        starts.extend(length + s - start for s in sorted({start + first_text, *inside}))
        pieces.append(text[start:end])
        length += end - start
    return SparseText(
        "".join(pieces), tuple(starts), tuple(region_starts), tuple(source_starts), text
    )


def _regions(text: str, kept: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Kept parts widened to whole tokens and the white space around them, merged if they meet."""
    regions: list[tuple[int, int]] = []
    for start, end in kept:
        region = (_region_start(text, start), _next_text(text, end))
        if regions and region[0] < regions[-1][1]:
            region = (regions.pop()[0], region[1])
        regions.append(region)
    return regions


def _region_start(text: str, start: int) -> int:
    """Where the white-space token before ``start`` starts (``start`` if there is none)."""
    index = start
    while index > 0 and text[index - 1].isspace():
        index -= 1
    if index == 0:
        return 0  # the note opens with white space: its token opens the region
    if index < start and text[index] == " ":
        index += 1  # spaCy attaches one plain space to the word before it
    return index


def _next_text(text: str, end: int) -> int:
    """The offset of the first non-space character at or after ``end`` (or the text's end)."""
    found = _NON_SPACE.search(text, end)
    return found.start() if found else len(text)


_NON_SPACE = re.compile(r"\S")
