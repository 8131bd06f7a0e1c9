"""The synthetic corpus generator: determinism, exact gold spans, coverage, splits."""

from __future__ import annotations

import csv
import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

from nmnlp.assertion import note_status
from nmnlp.concepts import CONCEPT_KEYS, MENTION_STATUSES, NOTE_STATUSES
from nmnlp.synth import (
    FAMILIES,
    HELDOUT_STYLE,
    SPLITS,
    STYLES,
    compose,
    exam,
    generate,
    history,
    labs,
    mimics,
    phrases,
    positives,
    sections,
    workup,
    write_corpus,
)
from nmnlp.synth.draw import Bank, Draw
from nmnlp.synth.render import find, parse_markup, plain, render

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = 600


@pytest.fixture(scope="module")
def notes():
    return generate(SAMPLE, seed=13)


def test_same_seed_gives_identical_notes_and_files(tmp_path):
    first, second = generate(150, seed=7), generate(150, seed=7)
    assert first == second
    write_corpus(first, tmp_path / "a", seed=7)
    write_corpus(second, tmp_path / "b", seed=7)
    for name in ("notes.jsonl", "gold_notes.csv", "gold_mentions.csv", "README.md"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_different_seed_gives_different_notes():
    assert [n.text for n in generate(20, seed=1)] != [n.text for n in generate(20, seed=2)]


def test_every_gold_span_matches_the_text(notes):
    for note in notes:
        for m in note.mentions:
            assert note.text[m.start : m.end] == m.text, note.note_id
            assert m.text and m.text == m.text.strip()


def test_statuses_cover_every_concept_and_are_valid(notes):
    for note in notes:
        assert set(note.statuses) == set(CONCEPT_KEYS)
        assert set(note.statuses.values()) <= set(NOTE_STATUSES)
        for m in note.mentions:
            assert m.concept in CONCEPT_KEYS and m.status in MENTION_STATUSES


def test_note_status_is_the_aggregate_of_gold_mentions(notes):
    for note in notes:
        for key in CONCEPT_KEYS:
            expected = note_status(m.status for m in note.mentions if m.concept == key)
            assert note.statuses[key] == expected, (note.note_id, key)


def test_families_styles_and_labels(notes):
    families = {n.family for n in notes}
    negatives = {f.name for f in FAMILIES if f.label == 0} & families
    positives = {f.name for f in FAMILIES if f.label == 1} & families
    assert len(negatives) >= 15
    assert len(positives) >= 8
    assert len({n.style for n in notes}) >= 4
    label_of = {f.name: f.label for f in FAMILIES}
    assert all(n.label == label_of[n.family] for n in notes)
    prevalence = sum(n.label for n in notes) / len(notes)
    assert 0.25 <= prevalence <= 0.35


def test_heldout_style_only_in_heldout_split(notes):
    assert {n.split for n in notes} == set(SPLITS)
    for note in notes:
        assert (note.style == HELDOUT_STYLE) == (note.split == "test_heldout_style")


def test_ck_max_is_the_largest_patient_value(notes):
    patient = {"present", "absent", "historical", "possible"}
    with_value = 0
    for note in notes:
        values = [
            m.ck_u_per_l
            for m in note.mentions
            if m.concept == "ck_elevated" and m.status in patient and m.ck_u_per_l is not None
        ]
        assert note.ck_max_u_per_l == (max(values) if values else None)
        with_value += bool(values)
        assert all(m.ck_u_per_l is None for m in note.mentions if m.concept != "ck_elevated")
    assert with_value > SAMPLE / 2


def test_relatives_and_hypothetical_ck_values_are_left_out():
    notes = generate(SAMPLE, seed=3)
    excluded = [
        m
        for n in notes
        for m in n.mentions
        if m.concept == "ck_elevated"
        and m.status in {"family", "hypothetical"}
        and m.ck_u_per_l is not None
    ]
    assert excluded, "expected some family / hypothetical CK values in the sample"


def _bank_strings(bank: Bank, heldout: bool) -> list[str]:
    items = bank.heldout if heldout else bank.common
    out = []
    for item in items:
        text = item if isinstance(item, str) else next((x for x in item if isinstance(x, str)), "")
        if isinstance(item, tuple) and len(item) == 3:
            text = item[1]  # (before, span, after) clauses: the span
        out.append(text)
    return out


def _module_banks() -> list[Bank]:
    banks: list[Bank] = []
    for module in (compose, exam, history, labs, mimics, phrases, positives, sections, workup):
        for value in vars(module).values():
            if isinstance(value, Bank):
                banks.append(value)
            elif isinstance(value, dict):
                banks += [v for v in value.values() if isinstance(v, Bank)]
    return banks


def test_heldout_phrase_variants_appear_only_in_the_heldout_split(notes):
    banks = _module_banks()
    common = [s.lower() for b in banks for s in _bank_strings(b, False)]
    distinctive = {
        s
        for b in banks
        for s in _bank_strings(b, True)
        if len(s) >= 12 and "{" not in s and not any(s.lower() in c for c in common)
    }
    assert len(distinctive) > 50
    seen_in_test = set()
    for note in notes:
        lowered = note.text.lower()
        found = {s for s in distinctive if s.lower() in lowered}
        if note.split == "test_heldout_style":
            seen_in_test |= found
        else:
            assert not found, (note.note_id, sorted(found))
    assert len(seen_in_test) >= 10


def test_draw_never_picks_heldout_variants_outside_the_heldout_split():
    import random

    bank = Bank(("a", "b"), ("held",))
    d = Draw(random.Random(0), heldout=False)
    assert {d.pick(bank) for _ in range(200)} == {"a", "b"}
    d = Draw(random.Random(0), heldout=True)
    assert "held" in {d.pick(bank) for _ in range(200)}


def test_render_tracks_offsets_and_markup():
    pieces = [
        plain("Exam: "),
        find("4-/5 hip flexors", "proximal_weakness", "present"),
        plain(". "),
        *parse_markup("No [[rash|absent|rash]] and [[ck_elevated+rash|present|x]]."),
    ]
    text, mentions = render(pieces)
    assert [(text[m.start : m.end], m.concept, m.status) for m in mentions] == [
        ("4-/5 hip flexors", "proximal_weakness", "present"),
        ("rash", "rash", "absent"),
        ("x", "ck_elevated", "present"),
        ("x", "rash", "present"),
    ]


def test_written_files_round_trip(tmp_path, notes):
    out = write_corpus(notes[:80], tmp_path / "corpus", seed=13)
    rows = [
        json.loads(line) for line in (out / "notes.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [r["note_id"] for r in rows] == [n.note_id for n in notes[:80]]
    assert set(rows[0]) == {"note_id", "text", "style", "family", "split"}
    texts = {r["note_id"]: r["text"] for r in rows}
    with (out / "gold_mentions.csv").open(encoding="utf-8", newline="") as fh:
        mentions = list(csv.DictReader(fh))
    assert len(mentions) == sum(len(n.mentions) for n in notes[:80])
    for m in mentions:
        assert texts[m["note_id"]][int(m["start"]) : int(m["end"])] == m["text"]
    with (out / "gold_notes.csv").open(encoding="utf-8", newline="") as fh:
        gold = list(csv.DictReader(fh))
    assert set(CONCEPT_KEYS) <= set(gold[0]) and {"label", "ck_max_u_per_l", "split"} <= set(
        gold[0]
    )


def test_style_names_and_heldout_style():
    assert HELDOUT_STYLE in {s.name for s in STYLES} and len(STYLES) >= 4


def test_cli_script_writes_a_corpus(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location(
        "generate_corpus", ROOT / "scripts" / "generate_corpus.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--n", "30", "--seed", "4", "--out", str(tmp_path / "c")]) == 0
    assert (tmp_path / "c" / "gold_notes.csv").exists()
    printed = capsys.readouterr().out
    assert "30 notes" in printed
    assert Counter(
        r.split(",")[4] for r in (tmp_path / "c" / "gold_notes.csv").read_text().splitlines()[1:]
    )
