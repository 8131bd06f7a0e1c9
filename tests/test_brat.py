"""brat standoff export (nmnlp.reports.brat)."""

from __future__ import annotations

import re
from pathlib import Path

from nmnlp.concepts import CONCEPT_KEYS, MENTION_STATUSES
from nmnlp.records import Mention
from nmnlp.reports.brat import brat_annotations, brat_config, write_brat

TEXT = "HPI: proximal weakness.\r\nCK 12,000 U/L.\tNo rash.\nDénia: myalgia\nmuscle pain"


def mention(text: str, concept: str, status: str = "present", start: int | None = None):
    start = TEXT.index(text) if start is None else start
    return Mention(
        note_id="n1",
        concept=concept,
        status=status,
        text=TEXT[start : start + len(text)],
        start=start,
        end=start + len(text),
        section="",
        sentence="",
        is_negated=status == "absent",
        is_uncertain=False,
        is_historical=False,
        is_hypothetical=False,
        is_family=False,
        rule="",
    )


MENTIONS = [
    mention("proximal weakness", "proximal_weakness"),
    mention("CK 12,000 U/L", "ck_elevated"),
    mention("rash", "rash", "absent"),
    mention("myalgia\nmuscle pain", "myalgia", "possible"),
]

T_LINE = re.compile(r"^T(\d+)\t(\w+) (\d+) (\d+)\t(.*)$")
A_LINE = re.compile(r"^A(\d+)\tStatus T(\d+) (\w+)$")


def parse(ann: str):
    spans, statuses = {}, {}
    for line in ann.splitlines():
        if m := T_LINE.match(line):
            spans[f"T{m[1]}"] = (m[2], int(m[3]), int(m[4]), m[5])
        elif m := A_LINE.match(line):
            statuses[f"T{m[2]}"] = m[3]
        else:
            raise AssertionError(f"unexpected line {line!r}")
    return spans, statuses


def read_txt(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def test_one_t_line_and_status_per_mention():
    spans, statuses = parse(brat_annotations(MENTIONS))
    assert len(spans) == 4
    assert set(statuses) == set(spans)
    by_concept = {concept: statuses[t] for t, (concept, *_) in spans.items()}
    assert by_concept == {
        "proximal_weakness": "present",
        "ck_elevated": "present",
        "rash": "absent",
        "myalgia": "possible",
    }


def test_ids_are_numbered_and_unique():
    ann = brat_annotations(MENTIONS)
    ids = [line.split("\t")[0] for line in ann.splitlines()]
    assert ids == ["T1", "A1", "T2", "A2", "T3", "A3", "T4", "A4"]


def test_newlines_and_tabs_in_text_become_spaces():
    spans, _ = parse(brat_annotations(MENTIONS))
    texts = [text for *_, text in spans.values()]
    assert "myalgia muscle pain" in texts
    assert all("\n" not in t and "\t" not in t and "\r" not in t for t in texts)


def test_duplicate_span_and_concept_written_once():
    dup = [*MENTIONS, mention("rash", "rash", "present"), mention("rash", "rash", "absent")]
    spans, statuses = parse(brat_annotations(dup))
    assert len(spans) == 4
    (rash,) = [t for t, (concept, *_) in spans.items() if concept == "rash"]
    assert statuses[rash] == "present"  # strongest by note precedence


def test_same_span_other_concept_kept():
    implied = [
        mention("proximal weakness", "proximal_weakness"),
        mention("proximal weakness", "imnm_diagnosis"),
    ]
    spans, _ = parse(brat_annotations(implied))
    assert sorted(c for c, *_ in spans.values()) == ["imnm_diagnosis", "proximal_weakness"]


def test_empty_mentions_give_empty_ann():
    assert brat_annotations([]) == ""


def test_offsets_match_written_text(tmp_path):
    write_brat(tmp_path, "n1", TEXT, MENTIONS)
    text = read_txt(tmp_path / "n1.txt")
    assert text == TEXT
    spans, _ = parse((tmp_path / "n1.ann").read_text(encoding="utf-8"))
    for _concept, start, end, ann_text in spans.values():
        expected = text[start:end].replace("\r", " ").replace("\n", " ").replace("\t", " ")
        assert ann_text == expected


def test_non_ascii_offsets_are_code_points(tmp_path):
    m = mention("myalgia\nmuscle pain", "myalgia")
    write_brat(tmp_path, "n2", TEXT, [m])
    text = read_txt(tmp_path / "n2.txt")
    ((_, start, end, _),) = parse((tmp_path / "n2.ann").read_text(encoding="utf-8"))[0].values()
    assert text[start:end] == "myalgia\nmuscle pain"


def test_config_lists_every_concept_and_status():
    config = brat_config()
    sections = re.findall(r"^\[(\w+)\]$", config, re.MULTILINE)
    assert sections == ["entities", "relations", "events", "attributes"]
    entities = config.split("[entities]")[1].split("[relations]")[0].split()
    assert entities == list(CONCEPT_KEYS)
    assert f"Value:{'|'.join(MENTION_STATUSES)}" in config
    assert "Status" in config.split("[attributes]")[1]


def test_config_written_once(tmp_path):
    write_brat(tmp_path, "n1", TEXT, MENTIONS)
    conf = tmp_path / "annotation.conf"
    assert conf.read_text(encoding="utf-8") == brat_config()
    conf.write_text("custom", encoding="utf-8")
    write_brat(tmp_path, "n2", TEXT, MENTIONS)
    assert conf.read_text(encoding="utf-8") == "custom"


def test_nested_note_ids_make_subfolders(tmp_path):
    write_brat(tmp_path, "site/2021/note 7", TEXT, MENTIONS)
    assert read_txt(tmp_path / "site" / "2021" / "note 7.txt") == TEXT
    assert (tmp_path / "site" / "2021" / "note 7.ann").exists()
    assert (tmp_path / "annotation.conf").exists()


def test_dotdot_and_absolute_ids_stay_inside(tmp_path):
    out = tmp_path / "out"
    for note_id in ["../escape", "../../x/y", "/etc/passwd", "a/../../b", ".", "..", "", "a//b"]:
        write_brat(out, note_id, TEXT, MENTIONS)
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written
    root = out.resolve()
    for path in written:
        assert path.resolve().is_relative_to(root), path
    assert not (tmp_path / "escape.txt").exists()
