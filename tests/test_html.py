"""Tests for nmnlp/reports/html.py: the self-contained review page."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nmnlp.concepts import CONCEPT_KEYS
from nmnlp.records import Mention
from nmnlp.reports.html import PAGE_SIZE, ReviewNote, ReviewSummary, render_review

PWN = "window.__pwned=1"
HOSTILE_TEXT = (
    "HPI: 😀 weak hips. "
    f"<script>{PWN}</script> "
    f'<img src=x onerror="{PWN}"> '
    "</textarea> </script> <!-- "
    f'"><svg onload="{PWN}"> '
    "CK 9,000 µkat\u2028line\u2029para & more > less. No rash."
)
HOSTILE_ID = f'notes/"><img src=x onerror="{PWN}"></script><script>{PWN}</script>'


def mention(
    text: str, fragment: str, concept: str, status: str = "present", *, section: str = "hpi"
) -> Mention:
    """A mention of the first occurrence of ``fragment`` in ``text``."""
    start = text.index(fragment)
    return at(text, start, start + len(fragment), concept, status, section=section)


def at(
    text: str, start: int, end: int, concept: str, status: str = "present", *, section: str = ""
) -> Mention:
    return Mention(
        note_id="n",
        concept=concept,
        status=status,
        text=text[start:end],
        start=start,
        end=end,
        section=section,
        sentence="",
        is_negated=status == "absent",
        is_uncertain=status == "possible",
        is_historical=status == "historical",
        is_hypothetical=status == "hypothetical",
        is_family=status == "family",
        rule="",
    )


def note(
    note_id: str,
    text: str | None,
    mentions: tuple[Mention, ...] = (),
    *,
    score: float = 0.0,
    flag: bool = False,
    patient_id: str | None = None,
    evidence: str = "",
) -> ReviewNote:
    statuses = dict.fromkeys(CONCEPT_KEYS, "not_mentioned")
    for m in mentions:
        statuses[m.concept] = m.status
    return ReviewNote(
        note_id=note_id,
        score=score,
        flag=flag,
        statuses=statuses,
        ck_max_u_per_l=None,
        ck_max_fold_uln=None,
        evidence=evidence,
        mentions=mentions,
        text=text,
        patient_id=patient_id,
    )


def summary(notes: list[ReviewNote] | tuple[ReviewNote, ...] = (), **changes) -> ReviewSummary:
    fields = dict(
        notes=len(notes),
        flagged=sum(n.flag for n in notes),
        errors=0,
        nmnlp_version="0.1.0",
        lexicons_sha256="ab" * 32,
        scorer="criteria (ENMC 2016-style)",
        generated_at="2024-03-14T10:00:00+00:00",
        flag_threshold=0.6,
    )
    fields.update(changes)
    return ReviewSummary(**fields)


def render(notes: list[ReviewNote], **kwargs) -> str:
    return render_review(notes, summary(notes), **kwargs)


def payload(page: str) -> dict:
    found = re.findall(
        r'<script type="application/json" id="nmnlp-data">(.*?)</script>', page, re.S
    )
    assert len(found) == 1
    return json.loads(found[0])


def joined(segments: list) -> str:
    return "".join(s if isinstance(s, str) else s[0] for s in segments)


def marks(segments: list) -> list[list]:
    return [s for s in segments if not isinstance(s, str)]


class TagBalance(HTMLParser):
    """Collects a document's structure: unclosed or stray tags, scripts and styles."""

    VOID = {"meta", "link", "br", "hr", "img", "input", "source", "wbr", "col", "area"}
    SELF_CLOSING_SVG = {"line", "rect", "circle", "path"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: list[str] = []
        self.scripts: list[tuple[dict, str]] = []
        self.styles: list[str] = []
        self._open: tuple[str, dict] | None = None
        self.csp: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy":
            self.csp = attrs["content"]
        if tag not in self.VOID:
            self.stack.append(tag)
        if tag in {"script", "style"}:
            self._open = (tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"stray </{tag}> (open: {self.stack[-3:]})")
            return
        self.stack.pop()

    def handle_data(self, data):
        if self._open is not None:
            tag, attrs = self._open
            if tag == "script":
                self.scripts.append((attrs, data))
            else:
                self.styles.append(data)
            self._open = None


def parse(page: str) -> TagBalance:
    parser = TagBalance()
    parser.feed(page)
    parser.close()
    return parser


def sha(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


@pytest.fixture(scope="module")
def hostile_page() -> str:
    text = HOSTILE_TEXT
    mentions = (
        mention(text, "weak hips", "proximal_weakness"),
        mention(text, "µkat", "ck_elevated", section='<b onclick="x">labs'),
        mention(text, "rash", "rash", "absent"),
    )
    notes = [
        note(HOSTILE_ID, text, mentions, score=0.9, flag=True, patient_id=f"<script>{PWN}"),
        note("plain", "Nothing here.", evidence=f"<script>{PWN}</script>"),
    ]
    return render(notes)


# ---- one self-contained, offline document -----------------------------------


def test_page_is_one_wellformed_document(hostile_page):
    parsed = parse(hostile_page)
    assert hostile_page.startswith("<!DOCTYPE html>")
    assert parsed.tags.count("html") == 1 and parsed.tags.count("body") == 1
    assert not parsed.problems and not parsed.stack
    assert [attrs.get("type") for attrs, _ in parsed.scripts] == ["application/json", None]
    assert len(parsed.styles) == 1


def test_page_references_nothing_outside_itself(hostile_page):
    lowered = hostile_page.lower()
    for needle in ("http://", "https://", 'src="http', 'href="http', "@import", "url(", "//cdn"):
        assert needle not in lowered
    assert not re.search(r"<(link|iframe|object|embed|base)\b", lowered)
    # the only src= in the page is inside note-derived data, where '<' is escaped
    assert not re.search(r"<[a-z]+[^>]*\ssrc=", lowered)


def test_content_security_policy_allows_only_the_page_own_script_and_style(hostile_page):
    parsed = parse(hostile_page)
    directives = dict(d.strip().split(" ", 1) for d in parsed.csp.split(";"))
    inline_script = parsed.scripts[1][1]
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == f"'{sha(inline_script)}'"
    assert directives["style-src"] == f"'{sha(parsed.styles[0])}'"
    assert directives["img-src"] == "data:"
    assert "unsafe-inline" not in parsed.csp and "unsafe-eval" not in parsed.csp


def test_script_never_parses_strings_as_html():
    js = resources.files("nmnlp.reports").joinpath("review.js").read_text(encoding="utf-8")
    for sink in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "Function(",
    ):
        assert sink not in js
    assert "textContent" in js and "createTextNode" in js
    css = resources.files("nmnlp.reports").joinpath("review.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css and "@font-face" not in css


# ---- hostile notes ----------------------------------------------------------


def test_hostile_text_and_ids_appear_only_escaped(hostile_page):
    assert "<script>window.__pwned" not in hostile_page
    assert "<img src=x" not in hostile_page
    assert "<svg onload" not in hostile_page
    assert "</textarea>" not in hostile_page
    assert "<b onclick" not in hostile_page
    assert hostile_page.count("</script>") == 2  # the page's own two blocks
    assert hostile_page.count("<!--") == 0
    assert "\u2028" not in hostile_page and "\u2029" not in hostile_page


def test_hostile_text_and_ids_round_trip_through_the_data_block(hostile_page):
    data = payload(hostile_page)
    hostile = data["notes"][0]
    assert hostile["id"] == HOSTILE_ID
    assert hostile["pid"] == f"<script>{PWN}"
    assert joined(hostile["seg"]) == HOSTILE_TEXT
    assert [m[0] for m in marks(hostile["seg"])] == ["weak hips", "µkat", "rash"]
    assert hostile["m"][1][2] == '<b onclick="x">labs'
    assert data["notes"][1]["ev"] == f"<script>{PWN}</script>"


def test_hostile_summary_fields_are_escaped():
    page = render_review(
        [],
        summary(scorer=f"<script>{PWN}</script>", nmnlp_version='"><b>', generated_at="<i>"),
    )
    assert "<script>window" not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert '"><b>' not in page and "<i>" not in page


def test_unknown_concept_keys_are_escaped():
    text = "odd finding"
    weird = at(text, 0, 3, '<img src=x onerror="1">')
    page = render([note("n1", text, (weird,))])
    assert "<img src=x" not in page
    assert "&lt;img src=x" in page  # as an option of the finding filter
    assert payload(page)["concepts"][-1][0] == '<img src=x onerror="1">'


# ---- order and content ------------------------------------------------------


def test_flagged_notes_first_then_score_then_id():
    notes = [
        note("b", "x", score=0.2),
        note("z", "x", score=0.7, flag=True),
        note("a", "x", score=0.2),
        note("c", "x", score=0.9),
        note("y", "x", score=0.95, flag=True),
        note("x", "x", score=0.7, flag=True),
    ]
    ids = [n["id"] for n in payload(render(notes))["notes"]]
    assert ids == ["y", "x", "z", "c", "a", "b"]


def test_statuses_and_ck_are_embedded():
    text = "CK 12,450 U/L. No rash. Possible dysphagia."
    mentions = (
        mention(text, "CK 12,450 U/L", "ck_elevated"),
        mention(text, "rash", "rash", "absent"),
        mention(text, "dysphagia", "dysphagia", "possible"),
    )
    base = note("n1", text, mentions, score=0.7, flag=True)
    with_ck = ReviewNote(**{**base.__dict__, "ck_max_u_per_l": 12450.0, "ck_max_fold_uln": 62.25})
    data = payload(render([with_ck]))["notes"][0]
    assert data["st"] == {"ck_elevated": "present", "rash": "absent", "dysphagia": "possible"}
    assert (data["ck"], data["fold"], data["flag"], data["score"]) == (12450.0, 62.25, True, 0.7)
    classes = [m[1] for m in marks(data["seg"])]
    assert "m-present" in classes[0]
    assert "m-absent" in classes[1]
    assert "m-possible" in classes[2]


def test_without_text_only_mention_texts_are_embedded():
    sentinel = "The quick sentinel zebra jumped over the lazy clinic."
    text = f"Patient has proximal weakness. {sentinel} Denies rash."
    mentions = (
        mention(text, "proximal weakness", "proximal_weakness"),
        mention(text, "rash", "rash", "absent"),
    )
    page = render([note("n1", text, mentions)], include_text=False)
    assert "sentinel zebra" not in page
    assert "Patient has" not in page
    data = payload(page)
    assert data["includeText"] is False
    assert "seg" not in data["notes"][0]
    assert [m[3] for m in data["notes"][0]["m"]] == ["proximal weakness", "rash"]
    assert "left out of this report" in page


def test_group_by_patient_is_offered_only_with_patient_ids():
    assert 'id="f-group"' not in render([note("a", "x")])
    assert 'id="f-group"' in render([note("a", "x", patient_id="p1"), note("b", "y")])


# ---- offsets and overlaps ---------------------------------------------------


def test_overlapping_mentions_render_once_with_both_concepts():
    text = "Dx: anti-HMGCR myopathy, stable."
    same_span = (
        mention(text, "anti-HMGCR myopathy", "imnm_diagnosis"),
        mention(text, "anti-HMGCR myopathy", "hmgcr_antibody"),
    )
    data = payload(render([note("n1", text, same_span)]))["notes"][0]
    (marked,) = marks(data["seg"])
    assert marked[0] == "anti-HMGCR myopathy"
    assert sorted(data["m"][i][0] for i in marked[2]) == ["hmgcr_antibody", "imnm_diagnosis"]
    assert "multi" in marked[1]
    assert joined(data["seg"]) == text


def test_partially_overlapping_mentions_split_into_pieces():
    text = "aaa bbb ccc"
    mentions = (at(text, 0, 7, "myalgia"), at(text, 4, 11, "fatigue"))
    data = payload(render([note("n1", text, mentions)]))["notes"][0]
    pieces = [(s[0], sorted(data["m"][i][0] for i in s[2])) for s in marks(data["seg"])]
    assert pieces == [("aaa ", ["myalgia"]), ("bbb", ["fatigue", "myalgia"]), (" ccc", ["fatigue"])]


def test_mentions_at_the_edges_and_after_astral_characters():
    text = "Weak 😀😀 grip µ 12 µkat/L 👍🏽 fatigue"
    mentions = (
        at(text, 0, 4, "proximal_weakness"),  # very start
        mention(text, "grip", "distal_weakness"),  # after two emoji (UTF-16: 4 code units)
        mention(text, "12 µkat/L", "ck_elevated"),  # non-ASCII inside the mention
        at(text, len(text) - 7, len(text), "fatigue"),  # very end, after an emoji + modifier
    )
    page = render([note("n1", text, mentions)])
    data = payload(page)["notes"][0]
    assert joined(data["seg"]) == text
    assert [s[0] for s in marks(data["seg"])] == [m.text for m in mentions]
    assert [s[0] for s in marks(data["seg"])] == ["Weak", "grip", "12 µkat/L", "fatigue"]
    assert "😀" not in page and "µ" not in page.split('id="nmnlp-data">')[1]  # escaped as \\u


def test_out_of_range_and_empty_offsets_are_clamped():
    text = "short"
    mentions = (at(text, 3, 3, "myalgia"), at(text, 2, 99, "fatigue"))
    bad = Mention(**{**mentions[1].__dict__, "end": 99})
    data = payload(render([note("n1", text, (mentions[0], bad))]))["notes"][0]
    assert joined(data["seg"]) == text
    assert [s[0] for s in marks(data["seg"])] == ["ort"]


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from("ab <>&µ😀\u2028\n"), min_size=0, max_size=30),
    spans=st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=5),
)
def test_segments_rebuild_the_text_and_cover_exactly_the_mentions(text, spans):
    concepts = ("myalgia", "fatigue", "rash", "dysphagia", "dysphonia")  # one per span
    mentions = tuple(
        at(text, min(s, len(text)), min(e, len(text)), concepts[i])
        for i, (s, e) in enumerate(spans)
        if min(s, len(text)) < min(e, len(text))
    )
    data = payload(render([note("n1", text, mentions)]))["notes"][0]
    assert joined(data["seg"]) == text
    position = 0
    for segment in data["seg"]:
        piece, covering = (segment, []) if isinstance(segment, str) else (segment[0], segment[2])
        expected = {m.concept for m in mentions if m.start <= position < m.end}
        assert {data["m"][i][0] for i in covering} == expected
        assert all(
            m.start <= position and position + len(piece) <= m.end
            for m in mentions
            if m.concept in expected
        )
        position += len(piece)


# ---- summary and scale ------------------------------------------------------


def test_empty_input_renders_a_valid_page():
    page = render_review([], summary(errors=3))
    parsed = parse(page)
    assert not parsed.problems and not parsed.stack
    assert payload(page)["notes"] == []
    assert "<svg" in page
    assert re.search(r"Not processed</dt><dd[^>]*>3<", page)


def test_histogram_bins_and_threshold():
    notes = [note("a", "x", score=0.0), note("b", "x", score=1.0, flag=True)]
    page = render(notes)
    assert "score 0.0-0.1: 1 notes, 0 flagged" in page
    assert "score 0.9-1.0: 1 notes, 1 flagged" in page
    assert 'class="threshold"' in page
    assert 'class="threshold"' not in render_review(notes, summary(notes, flag_threshold=None))


def test_prevalence_counts_notes_by_status():
    text = "rash"
    notes = [
        note("a", text, (at(text, 0, 4, "rash"),)),
        note("b", text, (at(text, 0, 4, "rash"),)),
        note("c", text, (at(text, 0, 4, "rash", "absent"),)),
    ]
    page = render(notes)
    assert "rash: present in 2 notes" in page
    assert "rash: absent in 1 notes" in page
    assert ">2 (67%)</text>" in page


def test_five_thousand_notes_stay_small():
    text = (
        "Pt reports 4/5 hip flexor weakness and myalgia. CK 3,200 U/L. "
        "Denies rash or dysphagia. On atorvastatin 40 mg. Plan: HMGCR antibody."
    )
    mentions = (
        mention(text, "4/5 hip flexor weakness", "proximal_weakness"),
        mention(text, "myalgia", "myalgia"),
        mention(text, "CK 3,200 U/L", "ck_elevated"),
        mention(text, "rash", "rash", "absent"),
        mention(text, "atorvastatin", "statin_exposure"),
        mention(text, "HMGCR antibody", "hmgcr_antibody", "hypothetical"),
    )
    notes = [
        note(f"note_{i:05d}", text, mentions, score=(i % 100) / 100, flag=i % 7 == 0)
        for i in range(5000)
    ]
    page = render(notes)
    assert len(page) < 5000 * (len(text) + 2048)
    assert len(payload(page)["notes"]) == 5000
    assert PAGE_SIZE <= 100  # the script renders one page at a time


# ---- with the real pipeline -------------------------------------------------


def test_from_result_highlights_what_the_pipeline_found(analyze):
    text = (
        "HPI: 😀 4-/5 hip flexors, no rash. On atorvastatin.\n"
        "Dx: anti-HMGCR myopathy.\nLabs: CK 12,450 U/L (ref 30-200)."
    )
    result = analyze(text)
    page = render([ReviewNote.from_result(result, text, patient_id="p1")])
    data = payload(page)["notes"][0]
    assert joined(data["seg"]) == text
    bounds, position, marked_at = {0}, 0, set()
    for segment in data["seg"]:
        piece = segment if isinstance(segment, str) else segment[0]
        if not isinstance(segment, str):
            marked_at.add(position)
        position += len(piece)
        bounds.add(position)
    assert result.mentions
    for m in result.mentions:
        assert m.start in bounds and m.end in bounds and m.start in marked_at
    assert data["pid"] == "p1"
