"""Plain text out of notes exported as RTF or HTML.

EHR exports sometimes hold notes as RTF (``{\\rtf1 ...``) or as HTML pages.
Matching rules against the markup would find nothing (or nonsense), so such a
note is converted to plain text when it is read; ``Note.meta["converted_from"]``
records it, and mention offsets refer to the converted text. Anything else is
left exactly as it is.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from striprtf.striprtf import rtf_to_text

__all__ = ["to_plain_text"]

_RTF_START = re.compile(r"\s*\{\\rtf", re.IGNORECASE)
_HTML_START = re.compile(r"\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.IGNORECASE)
# Tags after which the text continues on a new line.
_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody td tfoot th thead "
    "tr ul".split()
)
_SKIPPED_TAGS = frozenset({"script", "style", "head", "title", "noscript", "template"})
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIPPED_TAGS:
            self._skip_depth += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(data)


def _html_to_text(html: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    text = unescape("".join(extractor.parts))
    return _BLANK_LINES.sub("\n\n", text).strip()


def to_plain_text(text: str) -> tuple[str, str | None]:
    """Convert an RTF or HTML export to plain text.

    Args:
        text: A decoded note.

    Returns:
        ``(text, kind)``: the plain text and ``"rtf"`` or ``"html"`` when the note
        was converted, else the note unchanged and ``None``.
    """
    if _RTF_START.match(text):
        return rtf_to_text(text, errors="ignore").strip(), "rtf"
    if _HTML_START.match(text):
        return _html_to_text(text), "html"
    return text, None
