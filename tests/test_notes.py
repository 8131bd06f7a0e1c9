"""Tests for nmnlp/notes.py: decoding and the folder/table readers.

Every input is generated in ``tmp_path``; the snippets are synthetic.
"""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nmnlp.notes import DecodeError, InputError, Note, ReadError, decode_text, iter_notes

CP1252_NOTE = "CK 12 450 U/L \u2013 patient caf\u00e9, dose 10 \u00b5g"  # – é µ


def read_all(source: Path, **kwargs) -> tuple[dict[str, Note], dict[str, ReadError]]:
    notes: dict[str, Note] = {}
    errors: dict[str, ReadError] = {}
    for item in iter_notes(source, **kwargs):
        target = notes if isinstance(item, Note) else errors
        assert item.note_id not in target, f"{item.note_id} yielded twice"
        target[item.note_id] = item
    return notes, errors


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- decode_text


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (b"Proximal weakness, CK 8,500", "Proximal weakness, CK 8,500", "utf-8"),
        (codecs.BOM_UTF8 + "caf\u00e9 4-/5".encode(), "caf\u00e9 4-/5", "utf-8-sig"),
        ("HMGCR Ab 103 \u00b5".encode("utf-16"), "HMGCR Ab 103 \u00b5", "utf-16"),
        (
            codecs.BOM_UTF16_LE + "CK 9,299 \u2192 4,100".encode("utf-16-le"),
            "CK 9,299 \u2192 4,100",
            "utf-16",
        ),
        (
            codecs.BOM_UTF16_BE + "Dysphagia - denies".encode("utf-16-be"),
            "Dysphagia - denies",
            "utf-16",
        ),
        (
            "Hip flexors 4-/5, deltoids 4/5".encode("utf-16-le"),
            "Hip flexors 4-/5, deltoids 4/5",
            "utf-16-le",
        ),
        (
            "Hip flexors 4-/5, deltoids 4/5".encode("utf-16-be"),
            "Hip flexors 4-/5, deltoids 4/5",
            "utf-16-be",
        ),
        (CP1252_NOTE.encode("cp1252"), CP1252_NOTE, "cp1252"),
        (codecs.BOM_UTF32_LE + "Gowers +".encode("utf-32-le"), "Gowers +", "utf-32"),
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "utf16-native-bom",
        "utf16le-bom",
        "utf16be-bom",
        "utf16le-no-bom",
        "utf16be-no-bom",
        "cp1252",
        "utf32-bom",
    ],
)
def test_decode_text_detects_encoding(data: bytes, text: str, encoding: str) -> None:
    assert decode_text(data) == (text, encoding)


def test_decode_text_latin1() -> None:
    text = "r\u00e9sum\u00e9 na\u00efve \u00fcber M\u00fcller, CK normal"
    decoded, encoding = decode_text(text.encode("latin-1"))
    assert decoded == text
    assert encoding in {"cp1252", "latin-1"}


def test_decode_text_invalid_utf8_falls_back_to_cp1252() -> None:
    # Valid UTF-8 with one stray cp1252 byte (0x96 = en dash).
    data = b"Proximal weakness " + b"\x96 CK 450"
    assert decode_text(data) == ("Proximal weakness \u2013 CK 450", "cp1252")


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4,
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(range(200)),
        b"\x00\x01\x02\x03" * 64,
    ],
    ids=["png", "zip", "nul-pattern"],
)
def test_decode_text_rejects_binary(data: bytes) -> None:
    with pytest.raises(DecodeError, match="binary file"):
        decode_text(data)


def test_decode_text_rejects_control_bytes_without_nul() -> None:
    with pytest.raises(DecodeError, match="binary file"):
        decode_text(bytes(range(1, 256)) * 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CC: weakness\r\nHPI: 6 weeks\r\n", "CC: weakness\nHPI: 6 weeks\n"),
        ("CC: weakness\rHPI: 6 weeks\r", "CC: weakness\nHPI: 6 weeks\n"),
        ("a\r\n\r\nb\rc\n", "a\n\nb\nc\n"),
    ],
    ids=["crlf", "lone-cr", "mixed"],
)
def test_decode_text_normalises_newlines(text: str, expected: str) -> None:
    assert decode_text(text.encode("utf-8"))[0] == expected
    assert decode_text(text.encode("utf-16"))[0] == expected


def test_decode_text_keeps_other_whitespace() -> None:
    text = "  \tCK 12,450 U/L  \n\n  "
    assert decode_text(text.encode())[0] == text
    assert decode_text(codecs.BOM_UTF8 + text.encode())[0] == text


def test_decode_text_strips_a_bom_character_left_by_utf8() -> None:
    # A UTF-8 BOM encoded twice leaves one U+FEFF after utf-8-sig decoding.
    assert decode_text(codecs.BOM_UTF8 * 2 + b"CK 450")[0] == "CK 450"


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        st.one_of(st.characters(blacklist_categories=("Cs", "Cc")), st.sampled_from("\r\n\t ")),
        max_size=200,
    )
)
def test_decode_text_round_trips_unicode(text: str) -> None:
    # Any text without control characters survives UTF-8/UTF-16 with newlines normalised.
    expected = text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    for data in (text.encode("utf-8"), text.encode("utf-16"), codecs.BOM_UTF8 + text.encode()):
        assert decode_text(data)[0] == expected


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_decode_text_fails_only_with_decode_error(data: bytes) -> None:
    try:
        text, encoding = decode_text(data)
    except DecodeError as err:
        assert str(err).startswith("could not decode text")
    else:
        assert "\r" not in text and encoding


# --------------------------------------------------------------------------- folders


def test_folder_nested_ids_and_meta(tmp_path: Path) -> None:
    write(tmp_path / "clinic" / "2021" / "n1.txt", "HMGCR Ab 103 (nl <20)")
    write(tmp_path / "clinic" / "n2.txt", "CPK: 8500")
    write(tmp_path / "top.txt", "CK>22k")
    write(tmp_path / "clinic" / "ignored.csv", "note_id,text\n1,x\n")
    notes, errors = read_all(tmp_path)
    assert errors == {}
    assert set(notes) == {"clinic/2021/n1", "clinic/n2", "top"}
    note = notes["clinic/2021/n1"]
    assert note.text == "HMGCR Ab 103 (nl <20)"
    assert note.meta == {"source": "clinic/2021/n1.txt", "encoding": "utf-8"}


def test_folder_order_is_sorted_and_deterministic(tmp_path: Path) -> None:
    names = ["b/z.txt", "a.txt", "b/a.txt", "c.txt", "a/b/c.txt", "B.txt"]
    for name in names:
        write(tmp_path / name, f"note {name}")
    first = [item.note_id for item in iter_notes(tmp_path)]
    assert first == ["B", "a/b/c", "a", "b/a", "b/z", "c"]  # by path parts
    assert [item.note_id for item in iter_notes(str(tmp_path))] == first


def test_folder_mixed_encodings(tmp_path: Path) -> None:
    text = "Dysphagia - denies. Caf\u00e9 \u2013 ok"
    write(tmp_path / "utf8.txt", text.encode("utf-8"))
    write(tmp_path / "bom.txt", codecs.BOM_UTF8 + text.encode("utf-8"))
    write(tmp_path / "u16.txt", text.encode("utf-16"))
    write(tmp_path / "u16be.txt", codecs.BOM_UTF16_BE + text.encode("utf-16-be"))
    write(tmp_path / "u16nobom.txt", text.encode("utf-16-le"))
    write(tmp_path / "win.txt", text.encode("cp1252"))
    notes, errors = read_all(tmp_path)
    assert errors == {}
    assert {n.text for n in notes.values()} == {text}
    assert {k: n.meta["encoding"] for k, n in notes.items()} == {
        "utf8": "utf-8",
        "bom": "utf-8-sig",
        "u16": "utf-16",
        "u16be": "utf-16",
        "u16nobom": "utf-16-le",
        "win": "cp1252",
    }


def test_folder_bad_files_become_errors_and_reading_goes_on(tmp_path: Path) -> None:
    write(tmp_path / "a_good.txt", "Strength: 4-/5 hip flexors")
    write(tmp_path / "b_binary.txt", b"\x00\x01\x02\xff\xfe\x00\x10" * 50)
    write(tmp_path / "c_empty.txt", b"")
    write(tmp_path / "d_blank.txt", " \r\n\t \n")
    write(tmp_path / "e_good.txt", "CK 12,450 U/L (ref 30-200)")
    notes, errors = read_all(tmp_path)
    assert set(notes) == {"a_good", "e_good"}
    assert errors["b_binary"].reason.startswith("could not decode text")
    assert "binary file" in errors["b_binary"].reason
    assert errors["c_empty"].reason == "file is empty"
    assert errors["d_blank"].reason.startswith("note text is empty")
    assert errors["c_empty"].source == "c_empty.txt"
    ids = [item.note_id for item in iter_notes(tmp_path)]
    assert ids == ["a_good", "b_binary", "c_empty", "d_blank", "e_good"]


def test_folder_crlf_normalised(tmp_path: Path) -> None:
    write(tmp_path / "n.txt", b"CC: weakness\r\nHPI: 6 weeks\rExam: 4/5\r\n")
    (note,) = iter_notes(tmp_path)
    assert note.text == "CC: weakness\nHPI: 6 weeks\nExam: 4/5\n"


def test_folder_symlink_loop_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "ok.txt", "CK normal")
    os.symlink("loop.txt", tmp_path / "loop.txt")
    os.symlink("ping.txt", tmp_path / "pong.txt")
    os.symlink("pong.txt", tmp_path / "ping.txt")
    (tmp_path / "sub").mkdir()
    os.symlink("..", tmp_path / "sub" / "up")  # a folder loop: not entered
    notes, errors = read_all(tmp_path)
    assert set(notes) == {"ok"}
    assert set(errors) == {"loop", "ping", "pong"}
    assert all("symbolic link loop" in e.reason for e in errors.values())


def test_folder_symlinked_file_followed_broken_one_reported(tmp_path: Path) -> None:
    target = write(tmp_path / "elsewhere" / "real.data", "anti-SRP54 +")
    notes_dir = tmp_path / "notes"
    notes_dir.mkdir()
    os.symlink(target, notes_dir / "linked.txt")
    os.symlink(tmp_path / "missing.txt", notes_dir / "broken.txt")
    notes, errors = read_all(notes_dir)
    assert notes["linked"].text == "anti-SRP54 +"
    assert errors["broken"].reason == "broken symbolic link (its target does not exist)"


def test_folder_directory_named_txt_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "weird.txt" / "inner.txt", "CK 450")
    notes, errors = read_all(tmp_path)
    assert set(notes) == {"weird.txt/inner"}
    assert errors["weird"].reason == "is a folder, not a text file"


def test_folder_unreadable_file_real_permissions(tmp_path: Path) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("running as root: file permissions do not stop root from reading")
    path = write(tmp_path / "secret.txt", "CK 450")
    write(tmp_path / "open.txt", "CK 450")
    path.chmod(0)
    try:
        notes, errors = read_all(tmp_path)
    finally:
        path.chmod(0o644)
    assert set(notes) == {"open"}
    assert errors["secret"].reason == "permission denied"


def test_folder_unreadable_file_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "secret.txt", "CK 450")
    write(tmp_path / "open.txt", "CK 450")
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    notes, errors = read_all(tmp_path)
    assert set(notes) == {"open"}
    assert errors["secret"] == ReadError("secret", "secret.txt", "permission denied")


def test_folder_duplicate_ids_from_suffix_case(tmp_path: Path) -> None:
    write(tmp_path / "n1.TXT", "first")
    write(tmp_path / "n1.txt", "second")
    items = list(iter_notes(tmp_path))
    if len(items) == 1:  # case-insensitive file system: only one file exists
        pytest.skip("file system is case-insensitive")
    assert isinstance(items[0], Note) and items[0].text == "first"
    assert isinstance(items[1], ReadError)
    assert items[1].reason == "duplicate note id (first seen at n1.TXT)"


def test_folder_without_txt_files_is_an_input_error(tmp_path: Path) -> None:
    write(tmp_path / "notes.doc", "x")
    with pytest.raises(InputError, match="no .txt files found"):
        iter_notes(tmp_path)


def test_single_txt_file(tmp_path: Path) -> None:
    path = write(tmp_path / "deep" / "visit 7.txt", CP1252_NOTE.encode("cp1252"))
    (note,) = iter_notes(path)
    assert note == Note("visit 7", CP1252_NOTE, {"source": "visit 7.txt", "encoding": "cp1252"})


def test_explicit_encoding_for_text_files(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "caf\u00e9".encode("cp1252"))
    write(tmp_path / "b.txt", "caf\u00e9".encode("utf-8"))
    write(tmp_path / "c.txt", b"\x81\x8d\x8f")  # undefined in cp1252
    notes, errors = read_all(tmp_path, encoding="cp1252")
    assert notes["a"].text == "caf\u00e9"
    assert notes["b"].text == "caf\u00c3\u00a9"  # mojibake: the caller asked for cp1252
    assert errors["c"].reason.startswith("could not decode text as cp1252")


def test_notes_are_hashable(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "CK 450")
    assert len(set(iter_notes(tmp_path))) == 1


# --------------------------------------------------------------------------- input errors


def test_missing_source_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        iter_notes(tmp_path / "nope.csv")


@pytest.mark.parametrize("name", ["notes.xlsx", "notes", "notes.json"])
def test_unknown_format_is_an_input_error(tmp_path: Path, name: str) -> None:
    write(tmp_path / name, "x")
    with pytest.raises(InputError, match="unknown format") as info:
        iter_notes(tmp_path / name)
    assert ".csv" in str(info.value) and ".parquet" in str(info.value)


def test_input_error_is_a_value_error_raised_before_iterating(tmp_path: Path) -> None:
    write(tmp_path / "notes.csv", "id,body\n1,CK 450\n")
    with pytest.raises(ValueError):
        iter_notes(tmp_path / "notes.csv")  # no next(): raised on the call itself


def test_unknown_encoding_is_an_input_error(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "x")
    with pytest.raises(InputError, match="unknown encoding 'utf-99'"):
        iter_notes(tmp_path, encoding="utf-99")


def test_table_options_for_a_folder_are_an_input_error(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "x")
    with pytest.raises(InputError, match="--text-col apply to tables"):
        iter_notes(tmp_path, text_col="body")


# --------------------------------------------------------------------------- tables


def test_csv_missing_text_column_message(tmp_path: Path) -> None:
    write(tmp_path / "notes.csv", "note_id,body\n1,CK 450\n")
    with pytest.raises(InputError) as info:
        iter_notes(tmp_path / "notes.csv")
    assert str(info.value) == (
        "column 'text' not found in notes.csv; columns are: note_id, body. Pass --text-col body."
    )


def test_csv_missing_both_columns_message(tmp_path: Path) -> None:
    write(tmp_path / "notes.csv", "id,body\n1,CK 450\n")
    with pytest.raises(InputError) as info:
        iter_notes(tmp_path / "notes.csv")
    assert str(info.value) == (
        "columns 'note_id', 'text' not found in notes.csv; columns are: id, body. "
        "Pass --id-col id and --text-col body."
    )


def test_csv_happy_path_with_custom_columns_and_meta(tmp_path: Path) -> None:
    rows = [
        ["doc", "narrative", "mrn", "visit_date"],
        ["  101 ", "CC: weakness\r\nCK 12,450 U/L (ref 30-200)", "P1", "2021-05-02"],
        ["007", 'HMGCR Ab 103 (nl <20), "strongly" positive', "P2", ""],
    ]
    import csv

    with (tmp_path / "notes.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    notes, errors = read_all(
        tmp_path / "notes.csv", id_col="doc", text_col="narrative", meta_cols=["mrn", "visit_date"]
    )
    assert errors == {}
    assert list(notes) == ["101", "007"]
    assert notes["101"].text == "CC: weakness\nCK 12,450 U/L (ref 30-200)"
    assert notes["101"].meta == {
        "source": "notes.csv:row 1",
        "mrn": "P1",
        "visit_date": "2021-05-02",
    }
    assert notes["007"].text == 'HMGCR Ab 103 (nl <20), "strongly" positive'
    assert notes["007"].meta["visit_date"] == ""


def test_tsv_happy_path(tmp_path: Path) -> None:
    write(tmp_path / "notes.tsv", "id\tbody\na1\tCPK: 8500, anti-SRP54 +\na2\tCK normal\n")
    notes, errors = read_all(tmp_path / "notes.tsv", id_col="id", text_col="body")
    assert errors == {}
    assert notes["a1"].text == "CPK: 8500, anti-SRP54 +"
    assert notes["a2"].meta == {"source": "notes.tsv:row 2"}


def test_csv_bom_and_cp1252_rows(tmp_path: Path) -> None:
    body = "note_id,text\n1,caf\u00e9 ok\n".encode("utf-8")
    write(
        tmp_path / "bom.csv",
        codecs.BOM_UTF8 + body + b'2,"' + CP1252_NOTE.encode("cp1252") + b'"\n',
    )
    notes, errors = read_all(tmp_path / "bom.csv")
    assert errors == {}
    assert notes["1"].text == "caf\u00e9 ok"
    assert notes["2"].text == CP1252_NOTE
    assert notes["2"].meta["encoding"] == "cp1252"


def test_csv_utf16(tmp_path: Path) -> None:
    write(tmp_path / "u16.csv", "note_id,text\r\n1,Gottron papules\r\n".encode("utf-16"))
    notes, errors = read_all(tmp_path / "u16.csv")
    assert errors == {} and notes["1"].text == "Gottron papules"


def test_csv_malformed_rows_do_not_stop_reading(tmp_path: Path) -> None:
    write(
        tmp_path / "bad.csv",
        "note_id,text\n"
        "1,CK 450\n"
        "2,CK 12,450 U/L\n"  # too many fields
        "3\n"  # too few
        '4,"broken"quote\n'  # bad quoting
        "5,\n"  # empty text
        "\n"  # blank line: skipped
        '6,"multi\nline"\n',
    )
    items = list(iter_notes(tmp_path / "bad.csv"))
    notes = {i.note_id: i for i in items if isinstance(i, Note)}
    errors = [i for i in items if isinstance(i, ReadError)]
    assert set(notes) == {"1", "6"}
    assert notes["6"].text == "multi\nline"
    assert [e.source for e in errors] == [f"bad.csv:row {n}" for n in (2, 3, 4, 5)]
    assert errors[0].note_id == "2"
    assert "3 fields, expected 2" in errors[0].reason
    assert errors[1].note_id == "3" and "1 fields, expected 2" in errors[1].reason
    assert errors[2].note_id == "row 4" and "malformed CSV row on line 5" in errors[2].reason
    assert errors[3].reason == "note text is empty"


def test_csv_unclosed_quote_reports_the_rest(tmp_path: Path) -> None:
    write(tmp_path / "q.csv", 'note_id,text\n1,CK 450\n2,"never closed\n3,x\n')
    items = list(iter_notes(tmp_path / "q.csv"))
    assert isinstance(items[0], Note)
    assert isinstance(items[1], ReadError) and len(items) == 2
    assert "never closed" in items[1].reason and "line 3" in items[1].reason


def test_csv_long_note_over_default_field_limit(tmp_path: Path) -> None:
    text = "Proximal weakness. " * 10_000  # 190,000 characters
    write(tmp_path / "long.csv", f'note_id,text\n1,"{text}"\n')
    (note,) = iter_notes(tmp_path / "long.csv")
    assert note.text == text


def test_empty_csv_is_an_input_error(tmp_path: Path) -> None:
    write(tmp_path / "empty.csv", b"")
    with pytest.raises(InputError, match="empty"):
        iter_notes(tmp_path / "empty.csv")


def test_csv_duplicate_and_empty_ids(tmp_path: Path) -> None:
    write(tmp_path / "d.csv", "note_id,text\n1,a\n2,b\n1,c\n ,d\n1,e\n")
    items = list(iter_notes(tmp_path / "d.csv"))
    assert [type(i).__name__ for i in items] == [
        "Note",
        "Note",
        "ReadError",
        "ReadError",
        "ReadError",
    ]
    assert items[2] == ReadError(
        "1", "d.csv:row 3", "duplicate note id (first seen at d.csv:row 1)"
    )
    assert items[3] == ReadError("row 4", "d.csv:row 4", "note id is empty")
    assert items[4].reason.startswith("duplicate note id")


def test_jsonl_happy_path_and_malformed_line(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": 1, "body": "CK>22k, HMGCR pending", "pid": "P9"}),
        json.dumps({"id": "2", "body": "Rash: no\r\nDysphagia - denies", "pid": None}),
        '{"id": 3, "body": "broken" "pid": 1}',
        "",
        json.dumps([1, 2]),
        json.dumps({"id": 6, "body": None}),
        json.dumps({"id": 7}),
        json.dumps({"id": 8.0, "body": "CK 450 (ref 30-200)", "pid": 12}),
    ]
    write(tmp_path / "n.jsonl", "\n".join(lines) + "\n")
    items = list(iter_notes(tmp_path / "n.jsonl", id_col="id", text_col="body", meta_cols=["pid"]))
    notes = {i.note_id: i for i in items if isinstance(i, Note)}
    errors = {i.source: i for i in items if isinstance(i, ReadError)}
    assert set(notes) == {"1", "2", "8"}
    assert notes["1"].meta == {"source": "n.jsonl:line 1", "pid": "P9"}
    assert notes["2"].text == "Rash: no\nDysphagia - denies"
    assert notes["2"].meta["pid"] == ""
    assert notes["8"].meta["pid"] == "12"
    assert errors["n.jsonl:line 3"].reason.startswith(
        "malformed JSON on line 3: Expecting ',' delimiter"
    )
    assert errors["n.jsonl:line 3"].note_id == "line 3"
    assert "not an object" in errors["n.jsonl:line 5"].reason
    assert errors["n.jsonl:line 6"] == ReadError("6", "n.jsonl:line 6", "text is empty (null)")
    assert errors["n.jsonl:line 7"].reason == "line 7 has no 'body' field"


def test_ndjson_missing_column_message(tmp_path: Path) -> None:
    write(tmp_path / "n.ndjson", 'not json\n{"doc": 1, "note": "x"}\n')
    with pytest.raises(InputError) as info:
        iter_notes(tmp_path / "n.ndjson")
    message = str(info.value)
    assert "not found in n.ndjson; columns are: doc, note." in message
    assert "--text-col note" in message


def test_jsonl_cp1252_line(tmp_path: Path) -> None:
    line = json.dumps({"note_id": "w", "text": CP1252_NOTE}, ensure_ascii=False)
    write(tmp_path / "w.jsonl", line.encode("cp1252") + b"\n")
    (note,) = iter_notes(tmp_path / "w.jsonl")
    assert note.text == CP1252_NOTE and note.meta["encoding"] == "cp1252"


def test_parquet_happy_path_null_text_and_batches(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = 2500  # more than one batch
    ids = list(range(n))
    texts = [f"CK {i} U/L" for i in ids]
    texts[5] = None
    texts[6] = "   "
    table = pa.table(
        {"nid": pa.array(ids, pa.int64()), "txt": texts, "pt": [f"P{i % 7}" for i in ids]}
    )
    pq.write_table(table, tmp_path / "n.parquet", row_group_size=1000)
    items = list(
        iter_notes(tmp_path / "n.parquet", id_col="nid", text_col="txt", meta_cols=("pt",))
    )
    assert len(items) == n
    assert [i.note_id for i in items] == [str(i) for i in ids]
    assert items[5] == ReadError("5", "n.parquet:row 6", "text is empty (null)")
    assert items[6].reason == "note text is empty"
    assert items[2499] == Note("2499", "CK 2499 U/L", {"source": "n.parquet:row 2500", "pt": "P0"})


def test_parquet_missing_column_and_wrong_type(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"note_id": ["a"], "body": ["x"]}), tmp_path / "a.parquet")
    with pytest.raises(InputError, match="Pass --text-col body"):
        iter_notes(tmp_path / "a.parquet")
    pq.write_table(pa.table({"note_id": ["a"], "text": [1]}), tmp_path / "b.parquet")
    with pytest.raises(InputError, match="has type int64, not text"):
        iter_notes(tmp_path / "b.parquet")


def test_parquet_binary_text_is_decoded(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    data = [CP1252_NOTE.encode("cp1252"), b"\x00\x01\x02\xff" * 20]
    pq.write_table(
        pa.table({"note_id": ["a", "b"], "text": pa.array(data, pa.binary())}),
        tmp_path / "b.parquet",
    )
    notes, errors = read_all(tmp_path / "b.parquet")
    assert notes["a"].text == CP1252_NOTE and notes["a"].meta["encoding"] == "cp1252"
    assert "binary file" in errors["b"].reason


def test_not_a_parquet_file_is_an_input_error(tmp_path: Path) -> None:
    write(tmp_path / "fake.parquet", "note_id,text\n1,x\n")
    with pytest.raises(InputError, match="cannot open fake.parquet as Parquet"):
        iter_notes(tmp_path / "fake.parquet")


def test_oversized_text_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("nmnlp.notes.MAX_FILE_BYTES", 10)
    write(tmp_path / "small.txt", "CK 450")
    write(tmp_path / "big.txt", "CK 12,450 U/L (ref 30-200)")
    notes, errors = read_all(tmp_path)
    assert set(notes) == {"small"}
    assert errors["big"].reason.startswith("file is larger than")


def test_logs_carry_no_note_text(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    secret = "Patient reports heliotrope rash"
    write(tmp_path / "a" / "n.txt", secret)
    write(tmp_path / "t.csv", f"note_id,text\n1,{secret}\n")
    with caplog.at_level("DEBUG", logger="nmnlp"):
        list(iter_notes(tmp_path / "a"))
        list(iter_notes(tmp_path / "t.csv"))
    assert secret not in caplog.text
