"""Assemble pieces into note text while tracking gold spans exactly.

Every finding is a :class:`~nmnlp.synth.model.Piece` carrying its tags, so the
gold offsets come from concatenation, never from searching the text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .model import GoldMention, Piece, Tag

__all__ = [
    "Pieces",
    "capitalize_first",
    "find",
    "join_list",
    "plain",
    "render",
    "split_frame",
]

Pieces = list[Piece]


def plain(text: str) -> Piece:
    """A run of text that is not a finding."""
    return Piece(text)


def find(text: str, concept: str, status: str, *also: Tag, ck: float | None = None) -> Piece:
    """A finding span: ``concept`` with ``status`` (plus any implied tags)."""
    return Piece(text, (Tag(concept, status, ck), *also))


def split_frame(frame: str) -> tuple[str, str]:
    """Split a sentence frame ``"No {X}."`` around its one ``{X}`` slot."""
    before, sep, after = frame.partition("{X}")
    if not sep:
        raise ValueError(f"frame {frame!r} has no {{X}} slot")
    return before, after


def capitalize_first(pieces: Sequence[Piece]) -> Pieces:
    """Capitalise the first letter of the first non-blank piece (a sentence start)."""
    out = list(pieces)
    for i, piece in enumerate(out):
        stripped = piece.text.lstrip()
        if not stripped:
            continue
        lead = len(piece.text) - len(stripped)
        if stripped[0].islower():
            text = piece.text[:lead] + stripped[0].upper() + stripped[1:]
            out[i] = Piece(text, piece.tags)
        break
    return out


def join_list(items: Sequence[Piece], conj: str = "and", *, oxford: bool = False) -> Pieces:
    """``a, b and c`` with every item keeping its tags."""
    out: Pieces = []
    for i, item in enumerate(items):
        if i:
            last = i == len(items) - 1
            if last and conj:
                sep = ("," if oxford and len(items) > 2 else "") + f" {conj} "
            else:
                sep = ", "
            out.append(plain(sep))
        out.append(item)
    return out


def render(pieces: Iterable[Piece]) -> tuple[str, tuple[GoldMention, ...]]:
    """Concatenate pieces; return the text and its gold mentions in text order.

    Raises:
        AssertionError: if a gold span's text differs from ``text[start:end]``
            (cannot happen unless this function is broken; checked anyway).
    """
    parts: list[str] = []
    mentions: list[GoldMention] = []
    offset = 0
    for piece in pieces:
        if piece.tags:
            # Trim surrounding blanks so a span never starts or ends with a space.
            lead = len(piece.text) - len(piece.text.lstrip())
            core = piece.text.strip()
            start = offset + lead
            for tag in piece.tags:
                mentions.append(
                    GoldMention(
                        start, start + len(core), tag.concept, tag.status, core, tag.ck_u_per_l
                    )
                )
        parts.append(piece.text)
        offset += len(piece.text)
    text = "".join(parts)
    for m in mentions:
        assert text[m.start : m.end] == m.text, f"gold span mismatch at {m.start}-{m.end}"
    mentions.sort(key=lambda m: (m.start, m.end, m.concept))
    return text, tuple(mentions)


_MARK = "[["


def parse_markup(text: str) -> Pieces:
    """Turn ``"... [[concept|status|span text]] ..."`` into pieces with tagged spans.

    Family-specific sentences use this markup so a finding inside free text is
    still a gold span; a ``concept`` may be several keys joined by ``+``.
    """
    out: Pieces = []
    rest = text
    while _MARK in rest:
        before, _, tail = rest.partition(_MARK)
        inner, sep, rest = tail.partition("]]")
        if not sep:
            raise ValueError(f"unclosed markup in {text!r}")
        concepts, status, span = inner.split("|", 2)
        if before:
            out.append(plain(before))
        out.append(Piece(span, tuple(Tag(c, status) for c in concepts.split("+"))))
    if rest:
        out.append(plain(rest))
    return out
