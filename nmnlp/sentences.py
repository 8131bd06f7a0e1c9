"""Sentence boundaries for clinical notes: a pure function and a thin spaCy component.

Clinical notes break most sentence splitters: headers without punctuation
("HPI:"), list lines ("- CK 8500"), templated review-of-systems lines, tables,
and text hard-wrapped at 70-80 columns. The rules here:

* A blank line always ends a sentence.
* A line break ends a sentence unless the line before looks hard-wrapped
  (long, and not ending in punctuation or a header colon) and the next line
  carries on in lower case.
* A line that starts with a bullet, a number ("1.", "2)") or a header
  ("Labs:", "ROS -") starts a new sentence.
* An inline enumeration ("Diagnoses: 1) esophagitis 2) hernia") starts a new
  sentence at each item number.
* ``.``, ``!``, ``?`` followed by white space and an upper-case letter,
  digit or "?" end a sentence, except after common abbreviations ("Dr.",
  "e.g.", "b.i.d.") and inside numbers. A "?" standing free before a word
  ("CK 11300. ? NAM.") is a hedge on that word, not the end of a question.

* No sentence is longer than ``MAX_SENTENCE_CHARS``: a longer run (a note
  exported as one line, a pasted table) is cut at the last ";", "," or space
  before the limit. This keeps every later step linear in the note length.

It is fast (one regex pass per note) and never looks beyond the text it is given.
"""

from __future__ import annotations

import re
from itertools import pairwise

__all__ = ["MAX_SENTENCE_CHARS", "split_sentences"]

MAX_SENTENCE_CHARS = 1000

# A line shorter than this that does not end in punctuation is not hard-wrapped text.
_WRAP_MIN_CHARS = 45

_BULLET_OR_NUMBER = re.compile(r"[ \t]*(?:[-*\u2022\u25cf>]|\d{1,2}[.)](?!\d)|\(?[a-z]\))[ \t]")
_HEADER_START = re.compile(r"[ \t]*[A-Za-z][A-Za-z /&()'-]{0,40}(?::|\s-\s)")
# "DIAGNOSIS: 1) Esophagitis 2) Hiatal hernia": an inline enumeration starts a new item.
_INLINE_ITEM = re.compile(r"(?<=\s)\d{1,2}\)\s+(?=[A-Za-z])")
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s+[A-Z0-9(\"'\[?])")
_ABBREVIATIONS = frozenset(
    "dr mr mrs ms pt pts st no vs approx e.g i.e etc b.i.d t.i.d q.i.d q.d p.o p.r.n a.m p.m "
    "fig hx dx rx sx tx mg ml inc co jr sr u.s".split()
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


def _line_ends_open(line: str) -> bool:
    """True when ``line`` looks like hard-wrapped prose that continues on the next line."""
    stripped = line.rstrip()
    if len(stripped) < _WRAP_MIN_CHARS:
        return False
    return stripped[-1] not in ".:;!?|"


def _continues(next_line: str) -> bool:
    """True when ``next_line`` carries on the sentence of the line before it."""
    stripped = next_line.lstrip()
    if not stripped:
        return False
    if _BULLET_OR_NUMBER.match(next_line) or _HEADER_START.match(next_line):
        return False
    return stripped[0].islower() or stripped[0] in "(,&"


def _line_breaks(text: str) -> list[int]:
    """Offsets just after each newline at which a new sentence starts."""
    breaks = []
    lines = text.split("\n")
    offset = 0
    for line, next_line in pairwise(lines):
        offset += len(line) + 1
        if not (_line_ends_open(line) and _continues(next_line)):
            breaks.append(offset)
    return breaks


def _is_initial(text: str, dot: int) -> bool:
    """True for the "J." of "Dr. J. Smith": one capital letter after a space or line start."""
    return dot > 0 and text[dot - 1].isupper() and (dot == 1 or text[dot - 2].isspace())


def _is_list_number(text: str, dot: int) -> bool:
    """True for the "1." that opens a numbered list line."""
    line_start = text.rfind("\n", 0, dot) + 1
    return text[line_start:dot].strip().isdigit()


def _punctuation_breaks(text: str) -> list[int]:
    """Offsets after sentence-final punctuation followed by a capital or digit."""
    breaks = []
    for match in _SENTENCE_END.finditer(text):
        if match.group() == "?" and (match.start() == 0 or text[match.start() - 1].isspace()):
            continue  # "CK 11300. ? NAM.": a free-standing "?" hedges what follows
        if match.group().startswith("."):
            word = _WORD_BEFORE.search(text, max(0, match.start() - 12), match.start() + 1)
            if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
                continue
            if _is_initial(text, match.start()) or _is_list_number(text, match.start()):
                continue
        breaks.append(match.end())
    return breaks


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentences.

    Args:
        text: A whole note (newlines normalised to ``"\\n"``).

    Returns:
        ``(start, end)`` character offsets of each sentence, in order. Leading and
        trailing white space is left out of each sentence; white-space-only
        stretches belong to no sentence. The spans never overlap.
    """
    items = {match.start() for match in _INLINE_ITEM.finditer(text)}
    cuts = sorted(set(_line_breaks(text)) | set(_punctuation_breaks(text)) | items)
    spans = []
    start = 0
    for cut in cuts + [len(text)]:
        segment = text[start:cut]
        stripped_start = start + (len(segment) - len(segment.lstrip()))
        stripped_end = start + len(segment.rstrip())
        if stripped_end > stripped_start:
            spans.extend(_bounded(text, stripped_start, stripped_end))
        start = cut
    return spans


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``text[start:end]`` as pieces of at most ``MAX_SENTENCE_CHARS`` characters.

    Each cut falls after the last ";", "," or space before the limit (a hard cut
    only for a run with none of those), and pieces are stripped of white space.
    """
    pieces = []
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = max(text.rfind("; ", start, limit), text.rfind(", ", start, limit))
        if cut <= start:
            cut = text.rfind(" ", start, limit)
        cut = cut + 1 if cut > start else limit
        piece_end = start + len(text[start:cut].rstrip())
        if piece_end > start:
            pieces.append((start, piece_end))
        start = cut + (len(text[cut:end]) - len(text[cut:end].lstrip()))
    if end > start:
        pieces.append((start, end))
    return pieces
