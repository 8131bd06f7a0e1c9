"""``review.html``: one self-contained page for chart reviewers.

:func:`render_review` is a pure function from review records to an HTML5
document. The page works offline and fetches nothing: its stylesheet
(``review.css``) and script (``review.js``) are shipped next to this module and
inlined, and the charts are inline SVG.

Note text is untrusted (so are note ids, which come from file names and CSV
cells). The page keeps it out of markup altogether:

* the per-note data travels in one ``<script type="application/json">`` block,
  with ``<``, ``>``, ``&``, U+2028 and U+2029 written as ``\\uXXXX`` escapes
  (and every other non-ASCII character too), so no note can close the block;
* the text is cut into segments in Python at the mentions' character offsets
  (Python ``str`` indices), so the browser never converts offsets between
  code points and UTF-16 code units; the script inserts every segment with
  ``textContent`` and never parses note-derived strings as HTML;
* the little that is rendered in Python (counts, versions, concept labels) is
  escaped with :func:`html.escape`;
* a Content-Security-Policy allows only this page's own inline script and
  stylesheet (by SHA-256 hash) and no network access at all.

With thousands of notes the page stays quick: the script renders one page of
notes at a time (:data:`PAGE_SIZE`) from the embedded data.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, TextIO

from ..concepts import CONCEPT_KEYS, MENTION_STATUSES, get_concept
from ..records import Mention, NoteResult

__all__ = [
    "PAGE_SIZE",
    "ReviewNote",
    "ReviewSummary",
    "ReviewTally",
    "render_review",
    "sort_review_notes",
    "write_review",
]

PAGE_SIZE = 50
HISTOGRAM_BINS = 10
N_COLOURS = 20  # concept highlight colours k0..k19 in review.css

# Which status styles a highlight when mentions with different statuses overlap.
_STATUS_PRECEDENCE: tuple[str, ...] = (
    "present",
    "possible",
    "hypothetical",
    "historical",
    "family",
    "absent",
)
# Stacking order of the findings chart (affirmed first, negated last).
_CHART_STATUSES: tuple[str, ...] = (
    "present",
    "possible",
    "historical",
    "family",
    "hypothetical",
    "absent",
)
_JSON_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


@dataclass(frozen=True)
class ReviewNote:
    """One processed note as the review page shows it.

    Attributes:
        note_id: The note's id (untrusted: file name or CSV cell).
        score: Classifier or criteria score, 0-1.
        flag: Whether the note is worth a chart review.
        statuses: Note-level status for every concept key.
        ck_max_u_per_l: Largest CK value that is the patient's own.
        ck_max_fold_uln: Largest fold of the upper limit of normal.
        evidence: Short reasons for the score, already formatted.
        mentions: The note's mentions; ``start``/``end`` index ``text``.
        text: The note text, or ``None`` to show evidence snippets only.
        patient_id: The patient's id where known (enables grouping by patient).
    """

    note_id: str
    score: float
    flag: bool
    statuses: Mapping[str, str]
    ck_max_u_per_l: float | None
    ck_max_fold_uln: float | None
    evidence: str
    mentions: Sequence[Mention]
    text: str | None
    patient_id: str | None = None

    @classmethod
    def from_result(
        cls, result: NoteResult, text: str | None, *, patient_id: str | None = None
    ) -> ReviewNote:
        """Build the review record of ``result``; ``text`` is the note text it came from."""
        return cls(
            note_id=result.note_id,
            score=result.score,
            flag=result.flag,
            statuses=result.statuses,
            ck_max_u_per_l=result.ck_max_u_per_l,
            ck_max_fold_uln=result.ck_max_fold_uln,
            evidence=result.evidence,
            mentions=result.mentions,
            text=text,
            patient_id=patient_id,
        )


@dataclass(frozen=True)
class ReviewSummary:
    """Run-level facts for the top of the page.

    Attributes:
        notes: Notes processed.
        flagged: Notes flagged.
        errors: Inputs that could not be processed (``errors.csv`` rows).
        nmnlp_version: ``nmnlp.__version__``.
        lexicons_sha256: SHA-256 of the shipped lexicons.
        scorer: What produced the scores, e.g. ``"criteria (ENMC 2016-style)"``.
        generated_at: ISO timestamp of the run.
        flag_threshold: Score at and above which notes are flagged, marked on
            the histogram (``None``: not marked).
    """

    notes: int
    flagged: int
    errors: int
    nmnlp_version: str
    lexicons_sha256: str
    scorer: str
    generated_at: str
    flag_threshold: float | None = None


@dataclass
class ReviewTally:
    """What the page's charts and filters need, added up one note at a time.

    The page is written in one pass over the notes (:func:`write_review`), and
    its summary comes before them: the tally is made first, from the same
    notes, without keeping any of them.
    """

    flagged: list[int] = field(default_factory=lambda: [0] * HISTOGRAM_BINS)
    not_flagged: list[int] = field(default_factory=lambda: [0] * HISTOGRAM_BINS)
    statuses: dict[str, dict[str, int]] = field(default_factory=dict)
    notes: int = 0
    extra_concepts: set[str] = field(default_factory=set)
    has_patients: bool = False

    def add(self, note: ReviewNote) -> None:
        """Count ``note`` (its score, flag, statuses, mentions' concepts and patient)."""
        score = min(1.0, max(0.0, _finite(note.score, 0.0)))
        index = min(HISTOGRAM_BINS - 1, math.floor(round(score * HISTOGRAM_BINS, 9)))
        (self.flagged if note.flag else self.not_flagged)[index] += 1
        for key, status in note.statuses.items():
            by_status = self.statuses.setdefault(key, {})
            by_status[status] = by_status.get(status, 0) + 1
        self.notes += 1
        self.extra_concepts.update(m.concept for m in note.mentions)
        self.extra_concepts.update(note.statuses)
        self.has_patients = self.has_patients or bool(note.patient_id)

    def concepts(self) -> list[str]:
        """Catalogue keys first, then any other key the notes use, alphabetically."""
        known = set(CONCEPT_KEYS)
        return [*CONCEPT_KEYS, *sorted(self.extra_concepts - known)]


def sort_review_notes(notes: Iterable[ReviewNote]) -> list[ReviewNote]:
    """Flagged notes first, then by score (highest first), then by note id."""
    return sorted(notes, key=lambda n: (not n.flag, -_finite(n.score, 0.0), n.note_id))


def render_review(
    notes: Sequence[ReviewNote], summary: ReviewSummary, *, include_text: bool = True
) -> str:
    """Render the review page.

    Args:
        notes: The processed notes, in any order (the page sorts them).
        summary: Counts and versions of the run.
        include_text: Embed each note's full text with highlighted mentions.
            ``False`` embeds only the mentions' own text (``--no-text``).

    Returns:
        One self-contained HTML5 document (no external assets, no network access).
    """
    ordered = sort_review_notes(notes)
    tally = ReviewTally()
    for note in ordered:
        tally.add(note)
    page = io.StringIO()
    write_review(page, ordered, tally, summary, include_text=include_text)
    return page.getvalue()


def write_review(
    handle: TextIO,
    ordered: Iterable[ReviewNote],
    tally: ReviewTally,
    summary: ReviewSummary,
    *,
    include_text: bool = True,
) -> None:
    """Write the review page to ``handle``, one note at a time.

    Args:
        handle: Where the page goes.
        ordered: The notes in page order (:func:`sort_review_notes`); read once,
            lazily, so they can be loaded one by one.
        tally: The same notes' :class:`ReviewTally`.
        summary: Counts and versions of the run.
        include_text: As for :func:`render_review`.
    """
    concepts = tally.concepts()
    colour = {key: i % N_COLOURS for i, key in enumerate(concepts)}
    css = _asset("review.css")
    js = _asset("review.js")
    csp = "; ".join(
        (
            "default-src 'none'",
            f"script-src '{_sha256(js)}'",
            f"style-src '{_sha256(css)}'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
            "require-trusted-types-for 'script'",
            "trusted-types 'none'",
        )
    )
    e = html.escape
    title = f"nmnlp review: {summary.notes:,} notes, {summary.flagged:,} flagged"
    handle.writelines(
        (
            "<!DOCTYPE html>\n",
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{e(csp)}">\n',
            '<meta name="referrer" content="no-referrer">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f'<meta name="generator" content="nmnlp {e(summary.nmnlp_version)}">\n',
            f"<title>{e(title)}</title>\n",
            f"<style>{css}</style>\n</head>\n<body>\n",
            '<a class="skip" href="#notes-heading">Skip to the notes</a>\n',
            '<header class="page">\n<h1>Necrotizing myopathy: notes for chart review</h1>\n',
            f'<p class="lead">Generated {e(summary.generated_at)} by nmnlp '
            f"{e(summary.nmnlp_version)}. Flagged notes come first, then by score.</p>\n",
            "</header>\n<main>\n",
            _summary_section(tally, summary, concepts, colour),
            _notes_section(concepts, tally.has_patients, include_text),
            "</main>\n",
            '<script type="application/json" id="nmnlp-data">',
        )
    )
    _write_data(handle, ordered, concepts, colour, include_text)
    handle.write(f"</script>\n<script>{js}</script>\n</body>\n</html>\n")


def _write_data(
    handle: TextIO,
    ordered: Iterable[ReviewNote],
    concepts: Sequence[str],
    colour: Mapping[str, int],
    include_text: bool,
) -> None:
    """The page's JSON data block, written note by note (the same bytes as one dump)."""
    head = {
        "version": 1,
        "includeText": include_text,
        "pageSize": PAGE_SIZE,
        "concepts": [[key, _label(key), colour[key]] for key in concepts],
    }
    handle.write(_json_for_script(head)[:-1] + ',"notes":[')
    for index, note in enumerate(ordered):
        if index:
            handle.write(",")
        handle.write(_json_for_script(_note_data(note, colour, include_text)))
    handle.write("]}")


# ---- data -------------------------------------------------------------------


def _finite(value: float | None, default: float | None = None) -> float | None:
    if value is None:
        return default
    value = float(value)
    return value if math.isfinite(value) else default


def _label(key: str) -> str:
    try:
        return get_concept(key).label
    except KeyError:
        return key.replace("_", " ")


def _unique_mentions(mentions: Sequence[Mention], colour: Mapping[str, int]) -> list[Mention]:
    """Mentions in text order, one per (concept, status, span)."""
    seen: set[tuple[str, str, int, int]] = set()
    unique = []
    for m in sorted(mentions, key=lambda m: (m.start, m.end, colour.get(m.concept, 0))):
        key = (m.concept, m.status, m.start, m.end)
        if key not in seen:
            seen.add(key)
            unique.append(m)
    return unique


def _note_data(note: ReviewNote, colour: Mapping[str, int], include_text: bool) -> dict[str, Any]:
    mentions = _unique_mentions(note.mentions, colour)
    data: dict[str, Any] = {
        "id": str(note.note_id),
        "pid": None if note.patient_id is None else str(note.patient_id),
        "score": _finite(note.score, 0.0),
        "flag": bool(note.flag),
        # not_mentioned is the default; leaving it out keeps 5,000 notes small
        "st": {k: v for k, v in note.statuses.items() if v != "not_mentioned"},
        "ck": _finite(note.ck_max_u_per_l),
        "fold": _finite(note.ck_max_fold_uln),
        "ev": note.evidence or "",
    }
    if include_text and note.text is not None:
        data["m"] = [[m.concept, m.status, m.section or ""] for m in mentions]
        data["seg"] = _segments(note.text, mentions, colour)
    else:
        data["m"] = [[m.concept, m.status, m.section or "", m.text] for m in mentions]
    return data


def _highlight_class(covering: Sequence[Mention], colour: Mapping[str, int]) -> str:
    """CSS classes of a highlight (built from indices and known names only)."""
    statuses = {m.status for m in covering}
    status = next((s for s in _STATUS_PRECEDENCE if s in statuses), "present")
    ranked = sorted(covering, key=lambda m: (m.status != status, colour.get(m.concept, 0)))
    concepts = list(dict.fromkeys(m.concept for m in ranked))
    classes = f"hl k{colour.get(concepts[0], 0)} m-{status}"
    if len(concepts) > 1:
        classes += f" multi s{colour.get(concepts[1], 0)}"
    return classes


def _segments(
    text: str, mentions: Sequence[Mention], colour: Mapping[str, int]
) -> list[str | list[Any]]:
    """Cut ``text`` at every mention boundary.

    Returns plain strings for unmarked stretches and ``[text, classes,
    [mention indices]]`` for marked ones; the texts concatenate to ``text``.
    Offsets are clamped to the text; empty spans are not marked.
    """
    size = len(text)
    spans = []
    for index, m in enumerate(mentions):
        start, end = max(0, min(m.start, size)), max(0, min(m.end, size))
        if start < end:
            spans.append((start, end, index))
    bounds = sorted({0, size, *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    starting: dict[int, list[tuple[int, int]]] = {}
    for start, end, index in spans:
        starting.setdefault(start, []).append((end, index))
    active: dict[int, int] = {}  # mention index -> end
    segments: list[str | list[Any]] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        active = {i: end for i, end in active.items() if end > a}
        active.update((i, end) for end, i in starting.get(a, ()))
        piece = text[a:b]
        if active:
            covering = sorted(active)
            classes = _highlight_class([mentions[i] for i in covering], colour)
            segments.append([piece, classes, covering])
        else:
            segments.append(piece)
    return segments


def _json_for_script(payload: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``.

    ASCII only (lone surrogates survive, U+2028/U+2029 are escaped) and with
    ``<``, ``>`` and ``&`` escaped, so ``</script>`` or ``<!--`` in a note can
    never end the block.
    """
    text = json.dumps(payload, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    # str.replace runs in C; str.translate with a dict looks up every character in Python
    # (seconds on a 16 MB page). ensure_ascii has already escaped U+2028 and U+2029.
    for char, escaped in _JSON_ESCAPES.items():
        text = text.replace(chr(char), escaped)
    return text


def _asset(name: str) -> str:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    if "</" in text.lower() or "<!--" in text:
        raise ValueError(f"{name} must not contain '</' or '<!--': it is inlined into the page.")
    return text


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


# ---- static parts -----------------------------------------------------------


def _summary_section(
    tally: ReviewTally,
    summary: ReviewSummary,
    concepts: Sequence[str],
    colour: Mapping[str, int],
) -> str:
    e = html.escape
    short_hash = summary.lexicons_sha256[:12]
    threshold = _finite(summary.flag_threshold)
    rows = [
        ("Notes", f"{summary.notes:,}", "big"),
        ("Flagged", f"{summary.flagged:,}", "big flagged"),
        ("Not processed", f"{summary.errors:,}", ""),
        ("Scorer", e(summary.scorer), ""),
    ]
    if threshold is not None:
        rows.append(("Flag at", f"score &ge; {threshold:.2f}", ""))
    rows += [
        ("nmnlp", e(summary.nmnlp_version), ""),
        (
            "Lexicons",
            f'<code title="SHA-256 {e(summary.lexicons_sha256)}">{e(short_hash)}</code>',
            "",
        ),
        ("Generated", e(summary.generated_at), ""),
    ]
    counts = "".join(
        f'<dt>{label}</dt><dd class="{cls}">{value}</dd>' for label, value, cls in rows
    )
    legend = "".join(
        f'<li><mark class="hl k{colour[key]} m-present">{e(_label(key))}</mark></li>'
        for key in concepts
    )
    status_legend = (
        '<li><mark class="hl k19 m-present">present</mark></li>'
        '<li><mark class="hl k19 m-absent">absent (negated)</mark></li>'
        '<li><mark class="hl k19 m-possible">possible</mark></li>'
        '<li><mark class="hl k19 m-historical">historical</mark></li>'
        '<li><mark class="hl k19 m-family">family</mark></li>'
        '<li><mark class="hl k19 m-hypothetical">hypothetical</mark></li>'
    )
    return (
        '<section aria-labelledby="summary-heading">\n'
        '<h2 id="summary-heading" class="visually-hidden">Summary of the run</h2>\n'
        '<div class="summary-grid">\n'
        f'<div class="panel"><h2>Run</h2><dl class="counts">{counts}</dl></div>\n'
        '<div class="panel"><h2>Scores</h2>'
        f"{_histogram_svg(tally, threshold)}"
        '<ul class="chart-key"><li class="sw-flag">flagged</li>'
        '<li class="sw-noflag">not flagged</li>'
        + ("<li>dashed line: flag threshold</li>" if threshold is not None else "")
        + "</ul></div>\n"
        '<div class="panel"><h2>Findings: notes by status</h2>'
        f"{_prevalence_svg(tally, concepts)}"
        '<ul class="chart-key">'
        + "".join(f'<li class="sw-{s}">{s}</li>' for s in _CHART_STATUSES)
        + "</ul></div>\n</div>\n"
        '<div class="panel legend"><h2>Highlights in the note text</h2>'
        f'<p>One colour per finding:</p><ul aria-label="Colours of the findings">{legend}</ul>'
        "<p>Status of each mention (hover a highlight for finding, status and section):</p>"
        f'<ul aria-label="How statuses are shown">{status_legend}</ul></div>\n'
        "</section>\n"
    )


def _histogram_svg(tally: ReviewTally, threshold: float | None) -> str:
    """Score histogram: 10 bins over 0-1, flagged and not flagged stacked."""
    flagged, other = tally.flagged, tally.not_flagged
    width, height = 320, 170
    left, right, top, bottom = 30, 10, 16, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([f + o for f, o in zip(flagged, other, strict=True)] + [1])
    bar_w = plot_w / HISTOGRAM_BINS
    parts = []
    descriptions = []
    for i in range(HISTOGRAM_BINS):
        lo, hi = i / HISTOGRAM_BINS, (i + 1) / HISTOGRAM_BINS
        x = left + i * bar_w + 1
        h_other = plot_h * other[i] / peak
        h_flag = plot_h * flagged[i] / peak
        y_other = top + plot_h - h_other
        y_flag = y_other - h_flag
        tip = f"score {lo:.1f}-{hi:.1f}: {other[i] + flagged[i]} notes, {flagged[i]} flagged"
        descriptions.append(tip)
        if other[i]:
            parts.append(
                f'<rect class="bar-noflag" x="{x:.1f}" y="{y_other:.1f}" width="{bar_w - 2:.1f}"'
                f' height="{h_other:.1f}"><title>{tip}</title></rect>'
            )
        if flagged[i]:
            parts.append(
                f'<rect class="bar-flag" x="{x:.1f}" y="{y_flag:.1f}" width="{bar_w - 2:.1f}"'
                f' height="{h_flag:.1f}"><title>{tip}</title></rect>'
            )
        if other[i] + flagged[i]:
            parts.append(
                f'<text x="{x + (bar_w - 2) / 2:.1f}" y="{y_flag - 3:.1f}" text-anchor="middle">'
                f"{other[i] + flagged[i]}</text>"
            )
    base_y = top + plot_h
    parts.append(
        f'<line class="baseline" x1="{left}" y1="{base_y}" x2="{width - right}" y2="{base_y}"/>'
    )
    for tick in (0.0, 0.5, 1.0):
        x = left + plot_w * tick
        parts.append(
            f'<text class="axis" x="{x:.1f}" y="{base_y + 13}" text-anchor="middle">{tick:g}</text>'
        )
    parts.append(
        f'<text class="axis" x="{left + plot_w / 2:.1f}" y="{height - 4}" '
        'text-anchor="middle">score</text>'
        f'<text class="axis" x="{left - 4}" y="{top + 4}" text-anchor="end">{peak}</text>'
        f'<text class="axis" x="{left - 4}" y="{base_y}" text-anchor="end">0</text>'
    )
    if threshold is not None and 0.0 <= threshold <= 1.0:
        x = left + plot_w * threshold
        parts.append(
            f'<line class="threshold" x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{base_y}"/>'
            f'<text x="{x + 3:.1f}" y="{top - 6}" dominant-baseline="hanging">'
            f"flag &ge; {threshold:.2f}</text>"
        )
    label = "Histogram of note scores. " + "; ".join(descriptions) + "."
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{html.escape(label)}">{"".join(parts)}</svg>'
    )


def _prevalence_svg(tally: ReviewTally, concepts: Sequence[str]) -> str:
    """One bar per concept: notes by note-level status, stacked, scaled to all notes."""
    counts = {
        key: {s: tally.statuses.get(key, {}).get(s, 0) for s in _CHART_STATUSES} for key in concepts
    }
    total = max(tally.notes, 1)
    row_h, label_w, bar_w, count_w = 17, 150, 220, 80
    width = label_w + bar_w + count_w
    height = row_h * len(concepts) + 4
    e = html.escape
    parts = []
    descriptions = []
    for row, key in enumerate(concepts):
        y = 2 + row * row_h
        name = e(key.replace("_", " "))
        parts.append(
            f'<text x="{label_w - 6}" y="{y + row_h / 2:.1f}" text-anchor="end" '
            f'dominant-baseline="central">{name}</text>'
            f'<rect class="track" x="{label_w}" y="{y + 2}" width="{bar_w}" height="{row_h - 4}"/>'
        )
        x = float(label_w)
        for status in _CHART_STATUSES:
            n = counts[key][status]
            if not n:
                continue
            w = bar_w * n / total
            parts.append(
                f'<rect class="seg-{status}" x="{x:.1f}" y="{y + 2}" width="{w:.2f}" '
                f'height="{row_h - 4}"><title>{name}: {status} in {n:,} notes</title></rect>'
            )
            x += w
        present = counts[key]["present"]
        percent = 100 * present / total
        parts.append(
            f'<text x="{label_w + bar_w + 6}" y="{y + row_h / 2:.1f}" '
            f'dominant-baseline="central">{present:,} ({percent:.0f}%)</text>'
        )
        mentioned = ", ".join(f"{s} {n}" for s, n in counts[key].items() if n) or "none"
        descriptions.append(f"{key.replace('_', ' ')}: {mentioned}")
    label = "Notes per finding and status (present count and percent on the right). " + (
        "; ".join(descriptions)
    )
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{e(label)}">{"".join(parts)}</svg>'
    )


def _notes_section(concepts: Sequence[str], has_patients: bool, include_text: bool) -> str:
    e = html.escape
    concept_options = "".join(
        f'<option value="{e(key)}">{e(_label(key))}</option>' for key in concepts
    )
    status_options = "".join(
        f'<option value="{s}">{s}</option>' for s in (*MENTION_STATUSES, "not_mentioned")
    )
    group = (
        '<label class="check"><input type="checkbox" id="f-group"> Group by patient</label>'
        if has_patients
        else ""
    )
    mode = (
        "Each note's text is shown with its findings highlighted."
        if include_text
        else "Note texts were left out of this report (--no-text); only the text of each "
        "finding is shown."
    )
    return (
        '<section aria-labelledby="notes-heading">\n'
        '<h2 id="notes-heading">Notes</h2>\n'
        f"<p>{mode}</p>\n"
        '<noscript><p class="noscript">The list of notes needs JavaScript. The same results '
        "are in notes.csv and mentions.csv next to this file.</p></noscript>\n"
        '<form class="filters" id="filters" role="search" aria-label="Filter the notes">'
        '<label for="f-flag">Flag<select id="f-flag">'
        '<option value="all">all notes</option><option value="flagged">flagged</option>'
        '<option value="unflagged">not flagged</option></select></label>'
        '<label for="f-concept">Finding<select id="f-concept">'
        f'<option value="">any finding</option>{concept_options}</select></label>'
        '<label for="f-status">Status<select id="f-status">'
        '<option value="">any status</option>'
        f"{status_options}</select></label>"
        '<label for="f-search">Note or patient id<input type="search" id="f-search" '
        'autocomplete="off" spellcheck="false" placeholder="contains..."></label>'
        f"{group}"
        '<label class="check"><input type="checkbox" id="f-nm"> Show findings not mentioned'
        "</label>"
        '<button type="reset" id="f-reset">Clear filters</button>'
        "</form>\n"
        '<p id="result-count" role="status" aria-live="polite"></p>\n'
        '<nav class="pager" id="pager-top" aria-label="Pages of notes (top)"></nav>\n'
        '<div id="note-list"></div>\n'
        '<nav class="pager" id="pager-bottom" aria-label="Pages of notes (bottom)"></nav>\n'
        "</section>\n"
    )
