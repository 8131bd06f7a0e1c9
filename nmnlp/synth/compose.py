"""Compose one note: sections in the style's order, each built from the case.

Every builder returns pieces; gold spans are the tagged pieces. The builders
live in :mod:`~nmnlp.synth.history`, :mod:`~nmnlp.synth.results` and
:mod:`~nmnlp.synth.assessment`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .assessment import (
    sec_assessment,
    sec_course,
    sec_diagnoses,
    sec_instructions,
    sec_letter_close,
    sec_plan,
)
from .cases import Case
from .draw import Draw
from .history import (
    sec_admission,
    sec_allergies,
    sec_cc,
    sec_fhx,
    sec_hpi,
    sec_interval,
    sec_letter_open,
    sec_meds,
    sec_pmh,
    sec_reason,
    sec_ros,
    sec_shx,
)
from .model import Piece
from .note_context import Ctx, lower_first, note_values
from .render import Pieces, plain
from .results import sec_emg, sec_exam, sec_imaging, sec_labs, sec_pathology
from .sections import Style, header

__all__ = ["SECTION_BUILDERS", "compose"]

_TYPOS = {
    "patient": "pateint",
    "received": "recieved",
    "because": "becuase",
    "with": "wiht",
    "the": "teh",
    "history": "hisotry",
    "tomorrow": "tommorow",
    "definitely": "definately",
    "symmetric": "symetric",
    "which": "wich",
    "their": "thier",
    "until": "untill",
    "started": "startd",
    "daily": "dialy",
    "follow": "folow",
}


SECTION_BUILDERS: dict[str, Callable[[Ctx], Pieces]] = {
    "letter_open": sec_letter_open,
    "reason": sec_reason,
    "admission": sec_admission,
    "interval": sec_interval,
    "cc": sec_cc,
    "hpi": sec_hpi,
    "ros": sec_ros,
    "pmh": sec_pmh,
    "meds": sec_meds,
    "allergies": sec_allergies,
    "fhx": sec_fhx,
    "shx": sec_shx,
    "exam": sec_exam,
    "labs": sec_labs,
    "imaging": sec_imaging,
    "emg": sec_emg,
    "pathology": sec_pathology,
    "course": sec_course,
    "assessment": sec_assessment,
    "plan": sec_plan,
    "instructions": sec_instructions,
    "diagnoses": sec_diagnoses,
    "letter_close": sec_letter_close,
}
_NO_HEADER = {"letter_open", "admission", "interval", "letter_close"}
_LETTER_LEADS = {"hpi": "", "exam": "On examination, ", "assessment": "", "plan": "Plan: "}
_OPTIONAL = {
    "ros": 0.85,
    "pmh": 0.9,
    "allergies": 0.75,
    "fhx": 0.7,
    "shx": 0.7,
    "meds": 0.9,
    "cc": 0.9,
}


def _typos(d: Draw, pieces: Pieces, rate: float) -> Pieces:
    """Misspell a few words of plain (untagged) text; finding spans are left alone."""
    out: Pieces = []
    for piece in pieces:
        if not piece.tags and len(piece.text) > 20 and d.chance(rate):
            words = [w for w in _TYPOS if re.search(rf"\b{w}\b", piece.text)]
            if words:
                w = d.pick(words)
                piece = Piece(re.sub(rf"\b{w}\b", _TYPOS[w], piece.text, count=1))
        out.append(piece)
    return out


def compose(case: Case, style: Style, d: Draw) -> Pieces:
    """All pieces of one note of ``case`` written in ``style``."""
    ctx = Ctx(
        case=case,
        d=d,
        style=style,
        header_case=d.pick(("title", "title", "upper")),
        inline_headers=d.chance(0.6),
        letter_prose=style.name == "clinic_letter" and d.chance(0.4),
    )
    ctx.values = note_values(d, case)
    out: Pieces = []
    gap = "\n" if style.terse and d.chance(0.6) else "\n\n"
    for key in style.sections:
        if key in _OPTIONAL and not d.chance(_OPTIONAL[key]):
            continue
        body = SECTION_BUILDERS[key](ctx)
        if not body:
            continue
        if key in _NO_HEADER:
            out.extend(body)
        elif ctx.letter_prose and key in _LETTER_LEADS:
            lead = _LETTER_LEADS[key]
            if lead.endswith(": ") and any("\n" in p.text for p in body):
                lead = lead.rstrip() + "\n"
            out.append(plain(lead))
            out.extend(body if not _LETTER_LEADS[key] else lower_first(body))
        else:
            name = header(d, key, ctx.header_case, style.name)
            multiline = any("\n" in p.text for p in body)
            out.append(plain(f"{name}:" + ("\n" if multiline or not ctx.inline_headers else " ")))
            out.extend(body)
        out.append(plain(gap))
    while out and not out[-1].text.strip():
        out.pop()
    out.append(plain("\n"))
    return _typos(d, out, 0.02)
