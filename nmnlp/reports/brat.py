"""brat standoff export: a ``.txt`` and ``.ann`` per note, plus ``annotation.conf``.

brat offsets are Unicode code point offsets into the ``.txt``, the same as
Python ``str`` indices, so mention offsets are written as they are; the text is
written with ``newline=""`` so ``\\r\\n`` line ends keep their two characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from ..assertion import NOTE_PRECEDENCE
from ..concepts import CONCEPT_KEYS, MENTION_STATUSES
from ..records import Mention

__all__ = ["CONFIG_NAME", "brat_annotations", "brat_config", "safe_relative_path", "write_brat"]

CONFIG_NAME = "annotation.conf"
_RANK = {status: rank for rank, status in enumerate(NOTE_PRECEDENCE)}
_WHITESPACE = str.maketrans({"\n": " ", "\r": " ", "\t": " "})


def brat_annotations(mentions: Sequence[Mention]) -> str:
    """The ``.ann`` content for one note.

    One text-bound annotation ``T{n}\\t{concept} {start} {end}\\t{text}`` per
    distinct (concept, start, end), in text order, each followed by its
    ``A{n}\\tStatus T{n} {status}`` attribute. Duplicates of a span and concept
    are written once, with the strongest status by ``NOTE_PRECEDENCE``.
    Newlines and tabs in the text are written as spaces.
    """
    spans: dict[tuple[int, int, str], Mention] = {}
    for mention in mentions:
        key = (mention.start, mention.end, mention.concept)
        kept = spans.get(key)
        if kept is None or _RANK[mention.status] < _RANK[kept.status]:
            spans[key] = mention
    lines = []
    for n, key in enumerate(sorted(spans), start=1):
        mention = spans[key]
        text = mention.text.translate(_WHITESPACE)
        lines.append(f"T{n}\t{mention.concept} {mention.start} {mention.end}\t{text}")
        lines.append(f"A{n}\tStatus T{n} {mention.status}")
    return "".join(line + "\n" for line in lines)


def brat_config() -> str:
    """``annotation.conf`` content: every concept key, and the ``Status`` attribute."""
    return "\n".join(
        [
            "[entities]",
            *CONCEPT_KEYS,
            "",
            "[relations]",
            "# nmnlp exports no relations",
            "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
            "",
            "[events]",
            "",
            "[attributes]",
            f"Status\tArg:<ENTITY>, Value:{'|'.join(MENTION_STATUSES)}",
            "",
        ]
    )


def safe_relative_path(note_id: str) -> PurePosixPath:
    """A relative path for ``note_id`` that cannot leave the export folder.

    ``/`` (and ``\\``) separate subfolders; empty parts are dropped, ``.`` and
    ``..`` parts become ``_``, so absolute ids and ``..`` stay inside.
    """
    parts = [p for p in note_id.replace("\\", "/").split("/") if p]
    parts = ["_" if p in {".", ".."} else p.replace("\x00", "_") for p in parts]
    return PurePosixPath(*parts) if parts else PurePosixPath("_")


def write_brat(folder: Path, note_id: str, text: str, mentions: Sequence[Mention]) -> None:
    """Write ``<note>.txt`` (the exact text, UTF-8) and ``<note>.ann`` under ``folder``.

    Nested note ids ("site/123") become subfolders. ``annotation.conf`` is written
    to ``folder`` if it is not there yet.
    """
    folder = Path(folder)
    relative = safe_relative_path(note_id)
    base = folder.joinpath(*relative.parts)
    base.parent.mkdir(parents=True, exist_ok=True)
    txt = base.with_name(base.name + ".txt")
    ann = base.with_name(base.name + ".ann")
    with open(txt, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    with open(ann, "w", encoding="utf-8", newline="") as handle:
        handle.write(brat_annotations(mentions))
    config = folder / CONFIG_NAME
    if not config.exists():
        with open(config, "w", encoding="utf-8", newline="") as handle:
            handle.write(brat_config())
