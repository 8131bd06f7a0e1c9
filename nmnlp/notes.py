"""Read clinical notes from a folder of ``.txt`` files or from a table.

:func:`iter_notes` is the one entry point. It streams :class:`Note` objects from

* a folder (every ``*.txt`` below it, recursively, in sorted order; the note id
  is the file's POSIX path relative to the folder without ``.txt``),
* a single ``.txt`` file,
* a table: ``.csv``, ``.tsv``, ``.jsonl``/``.ndjson`` or ``.parquet`` with an id
  column and a text column.

Problems with the *whole* input (no such file, unknown format, a missing column)
raise :class:`InputError` when :func:`iter_notes` is called, before any note is
read. Problems with *one* note (undecodable bytes, empty text, a malformed row,
a duplicate id, an unreadable file) are yielded as :class:`ReadError` and the
iteration goes on, so that every input note ends up either as a note or as an
error.

Text files are decoded by :func:`decode_text` (BOM, UTF-8, UTF-16, cp1252/latin-1;
binary files are rejected). Newlines are normalised to ``"\\n"`` in every note;
no other whitespace is touched, so character offsets into ``Note.text`` are
stable.

Tables are never loaded whole: CSV/TSV are read record by record with the
standard :mod:`csv` module (pandas' python engine silently drops records it
cannot parse when given an ``on_bad_lines`` callback, which would lose notes),
JSON Lines line by line and Parquet batch by batch with pyarrow.
"""

from __future__ import annotations

import codecs
import csv
import errno
import json
import logging
import os
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .markup import to_plain_text

__all__ = [
    "TABLE_FORMATS",
    "DecodeError",
    "InputError",
    "Note",
    "ReadError",
    "check_columns",
    "check_note_id",
    "decode_text",
    "iter_notes",
    "note_from_text",
]

logger = logging.getLogger(__name__)

#: Table file suffixes (lower case) and the reader that handles them.
TABLE_FORMATS: Mapping[str, str] = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
}
DEFAULT_ID_COL = "note_id"
DEFAULT_TEXT_COL = "text"
#: Text files larger than this are reported, not read (a note is a few KB).
MAX_FILE_BYTES = 64 * 2**20

_BATCH_ROWS = 1024  # Parquet rows per batch
_MAX_CSV_FIELD = 1 << 30  # characters; the csv module's default (131072) is too small for notes
_SNIFF_LINES = 1000  # JSONL lines scanned for the first object when checking columns


class InputError(ValueError):
    """The input as a whole cannot be read (missing file, unknown format, missing column)."""


class DecodeError(ValueError):
    """Bytes that are not text in any encoding :func:`decode_text` accepts."""


@dataclass(frozen=True)
class Note:
    """One clinical note.

    Attributes:
        note_id: Unique id within the input: the relative path without ``.txt``
            for files, the id column for tables.
        text: The decoded text with newlines normalised to ``"\\n"``.
        meta: Small string-to-string facts about the note: ``source`` (where it
            came from), ``encoding`` (for decoded bytes) and any ``meta_cols``.
    """

    note_id: str
    text: str
    meta: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class ReadError:
    """An input note that could not be read.

    Attributes:
        note_id: The best id available: the relative path without ``.txt``,
            the row's id, or ``"row 17"`` / ``"line 5"`` when the id is unknown.
        source: Where it is: a path relative to the input folder, or
            ``"notes.csv:row 17"`` (17th data row, header not counted) /
            ``"notes.jsonl:line 5"``.
        reason: A sentence a person understands, e.g. ``"file is empty"``.
    """

    note_id: str
    source: str
    reason: str


# --------------------------------------------------------------------------- decoding

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_UTF16_SAMPLE = 8192  # bytes looked at to recognise UTF-16 without a BOM
_BINARY_REASON = "could not decode text: not UTF-8, UTF-16 or cp1252 (binary file?)"


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode the bytes of a note and return ``(text, encoding_name)``.

    The encoding is chosen in this order:

    1. a byte-order mark: UTF-8 (``"utf-8-sig"``), UTF-16 (``"utf-16"``) or UTF-32;
    2. strict UTF-8 (``"utf-8"``);
    3. UTF-16 without a BOM (``"utf-16-le"``/``"utf-16-be"``) when NUL bytes sit
       at (nearly) every odd or every even position, as in English UTF-16 text;
    4. cp1252 (or latin-1 when cp1252 cannot decode a byte), after
       charset-normalizer has agreed that the bytes are text at all.

    Bytes with NULs that are not UTF-16 are binary. Newlines (CRLF and lone CR)
    become ``"\\n"`` after decoding and one leading BOM character is removed;
    no other character is changed, so offsets into the text are stable.

    Raises:
        DecodeError: if the bytes are not text; the message says why.
    """
    text, encoding = _decode(data)
    if text.startswith("\ufeff"):
        text = text[1:]
    return _normalise_newlines(text), encoding


def _decode(data: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as err:
                raise DecodeError(
                    f"could not decode text: it starts with a {encoding} byte-order mark "
                    f"but is not valid {encoding} ({err.reason} at byte {err.start})"
                ) from None
    if b"\x00" in data:
        return _decode_utf16_without_bom(data)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _decode_single_byte(data)


def _decode_utf16_without_bom(data: bytes) -> tuple[str, str]:
    sample = data[: _UTF16_SAMPLE - _UTF16_SAMPLE % 2]
    pairs = max(len(sample) // 2, 1)
    nul_even = sample[0::2].count(0) / pairs
    nul_odd = sample[1::2].count(0) / pairs
    if nul_odd > 0.5 and nul_even < 0.1:
        encoding = "utf-16-le"
    elif nul_even > 0.5 and nul_odd < 0.1:
        encoding = "utf-16-be"
    else:
        raise DecodeError(
            "could not decode text: it contains NUL bytes and is not UTF-16 (binary file?)"
        )
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        raise DecodeError(
            f"could not decode text: it looks like {encoding} but is not valid "
            f"({err.reason} at byte {err.start}; binary file?)"
        ) from None
    if _control_char_share(text) > 0.01:
        raise DecodeError(
            "could not decode text: it contains NUL bytes and is not UTF-16 (binary file?)"
        )
    return text, encoding


def _decode_single_byte(data: bytes) -> tuple[str, str]:
    # charset-normalizer only decides "text or not"; between the two Western
    # single-byte encodings, cp1252 wins unless it cannot decode a byte.
    from charset_normalizer import from_bytes

    if from_bytes(data, cp_isolation=["cp1252", "latin_1"]).best() is None:
        raise DecodeError(_BINARY_REASON)
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _control_char_share(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(1 for ch in text if ch not in "\t\n\r\f\v" and unicodedata.category(ch) == "Cc")
    return controls / len(text)


def _normalise_newlines(text: str) -> str:
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- entry point


def iter_notes(
    source: str | os.PathLike[str],
    *,
    id_col: str | None = None,
    text_col: str | None = None,
    encoding: str | None = None,
    meta_cols: Sequence[str] = (),
) -> Iterator[Note | ReadError]:
    """Stream the notes of a folder, a ``.txt`` file or a table.

    Args:
        source: A folder (all ``*.txt`` files below it, recursively, sorted by
            relative path; symlinked files are followed, symlinked folders are
            not entered), a ``.txt`` file, or a ``.csv``/``.tsv``/``.jsonl``/
            ``.ndjson``/``.parquet`` table.
        id_col: Table column holding the note id (default ``"note_id"``).
        text_col: Table column holding the note text (default ``"text"``).
        encoding: Decode text files and CSV/TSV/JSONL with this codec instead of
            detecting it; bytes it cannot decode become :class:`ReadError`.
        meta_cols: Table columns copied (as strings) into ``Note.meta``.

    Yields:
        A :class:`Note` per readable note and a :class:`ReadError` per note (file,
        row or line) that cannot be read: undecodable or empty text, a malformed
        row, a duplicate id (every occurrence after the first), an unreadable file.

    Raises:
        InputError: before anything is yielded, if ``source`` does not exist, has
            an unknown format, a table lacks a requested column, a folder holds
            no ``.txt`` file, ``encoding`` is unknown, or table options are given
            for text files.
    """
    path = Path(source).expanduser()
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(
                f"unknown encoding {encoding!r}; use a Python codec name such as "
                "utf-8, cp1252 or utf-16."
            ) from None
    if not path.exists():
        raise InputError(
            f"{source} does not exist; pass a folder of .txt files or a {_formats_sentence()} file."
        )
    if path.is_dir() or path.suffix.lower() == ".txt":
        options = [
            name
            for name, value in (
                ("--id-col", id_col),
                ("--text-col", text_col),
                ("--meta-col", meta_cols),
            )
            if value
        ]
        if options:
            raise InputError(
                f"{' and '.join(options)} apply to tables ({_formats_sentence()}), "
                f"not to .txt files; remove them to read {path.name}."
            )
        if path.is_dir():
            return _iter_folder(path, encoding)
        return _iter_text_files(path.parent, [(PurePosixPath(path.name), None)], encoding)
    kind = TABLE_FORMATS.get(path.suffix.lower())
    if kind is None:
        raise InputError(
            f"unknown format {path.suffix or '(no suffix)'!r} for {path.name}; "
            f"expected a folder of .txt files, a .txt file or a "
            f"{_formats_sentence()} file."
        )
    columns = _Columns(id_col or DEFAULT_ID_COL, text_col or DEFAULT_TEXT_COL, tuple(meta_cols))
    if kind in ("csv", "tsv"):
        return _iter_csv(path, columns, encoding, delimiter="," if kind == "csv" else "\t")
    if kind == "jsonl":
        return _iter_jsonl(path, columns, encoding)
    return _iter_parquet(path, columns)


def _formats_sentence() -> str:
    suffixes = sorted(TABLE_FORMATS)
    return ", ".join(suffixes[:-1]) + " or " + suffixes[-1]


# --------------------------------------------------------------------------- text files


def _iter_folder(root: Path, encoding: str | None) -> Iterator[Note | ReadError]:
    entries: list[tuple[PurePosixPath, str | None]] = []  # (relative path, error or None)

    def on_walk_error(err: OSError) -> None:
        where = Path(err.filename) if err.filename else root
        rel = _relative(where, root)
        if str(rel) == ".":
            raise InputError(f"cannot list folder {root}: {_os_reason(err)}.") from None
        entries.append((rel, f"could not list folder: {_os_reason(err)}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_walk_error):
        base = Path(dirpath)
        for name in dirnames:
            if name.lower().endswith(".txt"):
                entries.append((_relative(base / name, root), "is a folder, not a text file"))
        for name in filenames:
            if name.lower().endswith(".txt"):
                entries.append((_relative(base / name, root), None))
    if not entries:
        raise InputError(
            f"no .txt files found in {root}; pass a folder that holds notes "
            f"as .txt files, or a {_formats_sentence()} file."
        )
    entries.sort(key=lambda entry: entry[0].parts)
    logger.debug("found %d .txt entries under %s", len(entries), root)
    return _iter_text_files(root, entries, encoding)


def _iter_text_files(
    root: Path, entries: list[tuple[PurePosixPath, str | None]], encoding: str | None
) -> Iterator[Note | ReadError]:
    first_seen: dict[str, str] = {}
    for rel, walk_error in entries:
        source = rel.as_posix()
        note_id = _strip_txt(source)
        if walk_error is not None:
            yield ReadError(note_id, source, walk_error)
            continue
        if note_id in first_seen:
            yield ReadError(
                note_id, source, f"duplicate note id (first seen at {first_seen[note_id]})"
            )
            continue
        first_seen[note_id] = source
        yield _read_text_file(root / Path(*rel.parts), note_id, source, encoding)


def _read_text_file(
    path: Path, note_id: str, source: str, encoding: str | None
) -> Note | ReadError:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return ReadError(
                note_id,
                source,
                f"file is larger than {MAX_FILE_BYTES // 2**20} MiB; "
                "a single note is never that long",
            )
        data = path.read_bytes()
    except OSError as err:
        return ReadError(note_id, source, _os_reason(err, path))
    if not data:
        return ReadError(note_id, source, "file is empty")
    try:
        if encoding is None:
            text, used = decode_text(data)
        else:
            text, used = _decode_as(data, encoding), encoding
    except DecodeError as err:
        return ReadError(note_id, source, str(err))
    meta = {"source": source, "encoding": used}
    text, converted_from = to_plain_text(text)
    if converted_from:
        meta["converted_from"] = converted_from
    if not text.strip():
        return ReadError(note_id, source, "note text is empty")
    return Note(note_id, text, meta)


def _decode_as(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        raise DecodeError(
            f"could not decode text as {encoding} ({err.reason} at byte {err.start})"
        ) from None
    return _normalise_newlines(text.removeprefix("\ufeff"))


def _strip_txt(posix_path: str) -> str:
    return posix_path[:-4] if posix_path.lower().endswith(".txt") else posix_path


def _relative(path: Path, root: Path) -> PurePosixPath:
    try:
        return PurePosixPath(path.relative_to(root).as_posix())
    except ValueError:
        return PurePosixPath(path.as_posix())


_ERRNO_REASONS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ELOOP: "symbolic link loop (too many levels of symbolic links)",
    errno.EISDIR: "is a folder, not a text file",
}


def _os_reason(err: OSError, path: Path | None = None) -> str:
    if err.errno == errno.ENOENT and path is not None and path.is_symlink():
        return "broken symbolic link (its target does not exist)"
    if err.errno in _ERRNO_REASONS:
        return _ERRNO_REASONS[err.errno]
    reason = err.strerror or type(err).__name__
    return f"could not read file: {reason[:1].lower()}{reason[1:]}"


# --------------------------------------------------------------------------- tables


def check_columns(available: Sequence[str], file_name: str, id_col: str, text_col: str) -> None:
    """Raise :class:`InputError` if a table lacks the id or text column.

    The message names what is missing, lists the columns that exist and
    suggests the ``--id-col`` / ``--text-col`` to pass.
    """
    _Columns(id_col, text_col, ()).check(available, file_name)


@dataclass(frozen=True)
class _Columns:
    id: str
    text: str
    meta: tuple[str, ...]

    def check(self, available: Sequence[str], file_name: str) -> None:
        """Raise InputError naming what is missing, what exists and the option to pass."""
        missing = [
            (col, option)
            for col, option in ((self.id, "--id-col"), (self.text, "--text-col"))
            if col not in available
        ]
        missing_meta = [col for col in self.meta if col not in available]
        if not missing and not missing_meta:
            return
        names = [col for col, _ in missing] + missing_meta
        listed = ", ".join(str(c) for c in available) or "(none)"
        noun = "column" if len(names) == 1 else "columns"
        message = (
            f"{noun} {', '.join(repr(c) for c in names)} not found in {file_name}; "
            f"columns are: {listed}."
        )
        hints = []
        for _col, option in missing:
            guess = _guess_column(option, available, exclude=(self.id, self.text))
            hints.append(f"{option} {guess}" if guess else f"{option} NAME")
        if missing_meta:
            hints.append("--meta-col with an existing column")
        raise InputError(f"{message} Pass {' and '.join(hints)}.")


_TEXT_HINTS = ("text", "note_text", "body", "note", "content", "report", "document")
_ID_HINTS = ("note_id", "id", "noteid", "doc_id", "document_id", "report_id")


def _guess_column(option: str, available: Sequence[str], exclude: Sequence[str]) -> str | None:
    hints = _ID_HINTS if option == "--id-col" else _TEXT_HINTS
    lowered = {str(c).strip().lower(): str(c) for c in available if c not in exclude}
    for hint in hints:
        if hint in lowered:
            return lowered[hint]
    ids = [orig for low, orig in lowered.items() if low.endswith("id")]
    if option == "--id-col":
        return ids[0] if len(ids) == 1 else None
    others = [orig for orig in lowered.values() if orig not in ids]
    return others[0] if len(others) == 1 else None


class _RowReader:
    """Turns raw (id, text, meta) values of one table row into a Note or ReadError."""

    def __init__(self, file_name: str, columns: _Columns, unit: str) -> None:
        self.file_name = file_name
        self.columns = columns
        self.unit = unit  # "row" or "line"
        self.first_seen: dict[str, int] = {}

    def where(self, number: int) -> tuple[str, str]:
        label = f"{self.unit} {number}"
        return label, f"{self.file_name}:{label}"

    def error(self, number: int, reason: str, note_id: str | None = None) -> ReadError:
        label, source = self.where(number)
        return ReadError(note_id or label, source, reason)

    def row(
        self,
        number: int,
        raw_id: Any,
        raw_text: Any,
        raw_meta: Mapping[str, Any],
        encoding: str | None = None,
    ) -> Note | ReadError:
        label, source = self.where(number)
        note_id, problem = check_note_id(raw_id)
        if problem is not None:
            return ReadError(label, source, problem)
        first = self.first_seen.setdefault(note_id, number)
        if first != number:
            return ReadError(
                note_id, source, f"duplicate note id (first seen at {self.where(first)[1]})"
            )
        meta = {col: raw_meta.get(col) for col in self.columns.meta}
        return note_from_text(note_id, source, raw_text, meta, encoding=encoding)


def check_note_id(raw_id: Any) -> tuple[str, str | None]:
    """``(note_id, None)`` for a usable id cell, else ``("", reason)``.

    Text (stripped) and whole numbers are ids; null, empty and other values are not.
    """
    note_id = _as_id(raw_id)
    if note_id is None:
        reason = (
            "note id is empty (null)"
            if raw_id is None
            else f"note id must be text or a whole number, got {raw_id!r:.40}"
        )
        return "", reason
    if not note_id:
        return "", "note id is empty"
    return note_id, None


def note_from_text(
    note_id: str,
    source: str,
    raw_text: Any,
    meta_values: Mapping[str, Any] | None = None,
    *,
    encoding: str | None = None,
) -> Note | ReadError:
    """One table cell's text as a :class:`Note`, or the reason it is not one.

    Bytes are decoded, newlines normalised and RTF / HTML converted, exactly as
    for every table :func:`iter_notes` reads; null, non-text and empty text
    become a ``ReadError`` (never quoting the text).

    Args:
        note_id: The checked id (see :func:`check_note_id`).
        source: Where the row is, for ``Note.meta`` and errors.
        raw_text: The text cell as read (``str``, ``bytes`` or ``None``).
        meta_values: Extra columns to keep in ``Note.meta`` (as strings).
        encoding: The encoding the cell was decoded from, when not UTF-8.
    """
    if raw_text is None:
        return ReadError(note_id, source, "text is empty (null)")
    meta = {"source": source}
    if isinstance(raw_text, bytes | bytearray):
        try:
            raw_text, meta["encoding"] = decode_text(bytes(raw_text))
        except DecodeError as err:
            return ReadError(note_id, source, str(err))
    if not isinstance(raw_text, str):
        return ReadError(note_id, source, f"text is not a string (got {type(raw_text).__name__})")
    if encoding is not None:
        meta["encoding"] = encoding
    text, converted_from = to_plain_text(_normalise_newlines(raw_text))
    if converted_from:
        meta["converted_from"] = converted_from
    if not text.strip():
        return ReadError(note_id, source, "note text is empty")
    for col, value in (meta_values or {}).items():
        meta[col] = _as_meta(value)
    return Note(note_id, text, meta)


def _as_id(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace").strip()
    return None


def _as_meta(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # bytes kept by errors="surrogateescape"


def _has_surrogates(value: str) -> bool:
    return _ESCAPED_BYTE.search(value) is not None


# ---- CSV / TSV


def _csv_encoding(path: Path, encoding: str | None) -> str:
    if encoding is not None:
        return encoding
    with path.open("rb") as handle:
        head = handle.read(4)
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    return "utf-8-sig"


def _iter_csv(
    path: Path, columns: _Columns, encoding: str | None, delimiter: str
) -> Iterator[Note | ReadError]:
    if csv.field_size_limit() < _MAX_CSV_FIELD:
        csv.field_size_limit(_MAX_CSV_FIELD)
    try:
        file_encoding = _csv_encoding(path, encoding)
        with path.open(encoding=file_encoding, errors="surrogateescape", newline="") as handle:
            header = next(csv.reader(handle, delimiter=delimiter, strict=True), None)
    except OSError as err:
        raise InputError(f"cannot read {path.name}: {_os_reason(err, path)}.") from None
    except (csv.Error, UnicodeError) as err:
        raise InputError(f"cannot read the header row of {path.name}: {err}.") from None
    if not header:
        raise InputError(
            f"{path.name} is empty; expected a header row with the columns "
            f"{columns.id!r} and {columns.text!r}."
        )
    header = [name.strip() for name in header]
    columns.check(header, path.name)
    return _csv_rows(path, columns, header, file_encoding, encoding is not None, delimiter)


def _csv_rows(
    path: Path,
    columns: _Columns,
    header: list[str],
    file_encoding: str,
    strict_encoding: bool,
    delimiter: str,
) -> Iterator[Note | ReadError]:
    rows = _RowReader(path.name, columns, "row")
    index = {name: i for i, name in reversed(list(enumerate(header)))}
    id_at, text_at = index[columns.id], index[columns.text]
    byte_encoding = "utf-8" if file_encoding == "utf-8-sig" else file_encoding
    count = 0
    with path.open(encoding=file_encoding, errors="surrogateescape", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter, strict=True)
        next(reader, None)  # header, checked by the caller
        while True:
            start_line = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                break
            except csv.Error as err:
                count += 1
                if "unexpected end of data" in str(err):
                    yield rows.error(
                        count,
                        f"malformed {_delimiter_name(delimiter)}: a quote "
                        f"opened on line {start_line} is never closed, so the "
                        "rest of the file could not be read",
                    )
                    break
                yield rows.error(
                    count, f"malformed {_delimiter_name(delimiter)} on line {start_line}: {err}"
                )
                continue
            if not fields or fields == [""]:
                continue  # blank line
            count += 1
            if len(fields) > len(header) or len(fields) <= max(id_at, text_at):
                raw_id = fields[id_at].strip() if len(fields) > id_at else ""
                yield rows.error(
                    count,
                    f"malformed {_delimiter_name(delimiter)} on line "
                    f"{start_line}: {len(fields)} fields, expected {len(header)} "
                    f"(an unquoted {_delimiter_name(delimiter, field=True)} "
                    "in the text?)",
                    note_id=raw_id or None,
                )
                continue
            values: dict[str, Any] = {}
            used_encoding = None
            failed = None
            for name in dict.fromkeys([columns.id, columns.text, *columns.meta]):
                at = index[name]
                value = fields[at] if at < len(fields) else ""
                if _has_surrogates(value):
                    value, used_encoding, failed = _recover_bytes(
                        value, byte_encoding, strict_encoding or byte_encoding != "utf-8"
                    )
                    if failed:
                        break
                values[name] = value
            if failed:
                yield rows.error(count, failed)
                continue
            yield rows.row(
                count, values[columns.id], values[columns.text], values, encoding=used_encoding
            )


def _delimiter_name(delimiter: str, field: bool = False) -> str:
    if field:
        return "comma" if delimiter == "," else "tab"
    return "CSV row" if delimiter == "," else "TSV row"


def _recover_bytes(value: str, encoding: str, strict: bool) -> tuple[str, str | None, str | None]:
    """Re-decode a field that held bytes invalid in the file's encoding.

    Returns ``(text, encoding_used, error_reason)``.
    """
    if strict:
        return value, None, f"could not decode text as {encoding}"
    try:
        text, used = decode_text(value.encode(encoding, "surrogateescape"))
    except DecodeError as err:
        return value, None, str(err)
    return text, used, None


# ---- JSON Lines


def _iter_jsonl(path: Path, columns: _Columns, encoding: str | None) -> Iterator[Note | ReadError]:
    first = _first_json_object(path, encoding)
    if first is not None:
        columns.check(list(first), path.name)
    return _jsonl_rows(path, columns, encoding)


def _jsonl_lines(path: Path, encoding: str | None) -> Iterator[tuple[int, str | None, str]]:
    """Yield ``(line_number, text_or_None, encoding_or_reason)`` for each non-blank line."""
    with path.open("rb") as handle:
        head = handle.read(4)
    if encoding is None:
        for bom, name in _BOMS:
            if head.startswith(bom) and name != "utf-8-sig":
                encoding = name
    if encoding is not None:
        with path.open(encoding=encoding, errors="surrogateescape") as text_handle:
            for number, line in enumerate(text_handle, start=1):
                if number == 1:
                    line = line.removeprefix("\ufeff")
                if not line.strip():
                    continue
                if _has_surrogates(line):
                    yield number, None, f"could not decode line {number} as {encoding}"
                else:
                    yield number, line, encoding
        return
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            if not raw.strip():
                continue
            try:
                yield number, raw.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                try:
                    line, used = decode_text(raw)
                except DecodeError as err:
                    yield number, None, f"line {number}: {err}"
                else:
                    yield number, line, used


def _first_json_object(path: Path, encoding: str | None) -> dict[str, Any] | None:
    try:
        for number, line, _ in _jsonl_lines(path, encoding):
            if number > _SNIFF_LINES:
                break
            if line is None:
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(value, dict):
                return value
    except OSError as err:
        raise InputError(f"cannot read {path.name}: {_os_reason(err)}.") from None
    return None


def _jsonl_rows(path: Path, columns: _Columns, encoding: str | None) -> Iterator[Note | ReadError]:
    rows = _RowReader(path.name, columns, "line")
    for number, line, detail in _jsonl_lines(path, encoding):
        if line is None:
            yield rows.error(number, detail)
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as err:
            yield rows.error(number, f"malformed JSON on line {number}: {err.msg}")
            continue
        if not isinstance(value, dict):
            yield rows.error(
                number,
                f"line {number} is a JSON {_json_kind(value)}, "
                "not an object with the note's fields",
            )
            continue
        if columns.id not in value:
            yield rows.error(number, f"line {number} has no {columns.id!r} field")
            continue
        if columns.text not in value:
            label = _as_id(value[columns.id]) or None
            yield rows.error(number, f"line {number} has no {columns.text!r} field", note_id=label)
            continue
        yield rows.row(
            number,
            value[columns.id],
            value[columns.text],
            value,
            encoding=None if detail == "utf-8" else detail,
        )


def _json_kind(value: Any) -> str:
    return {list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number"
    )


# ---- Parquet


def _iter_parquet(path: Path, columns: _Columns) -> Iterator[Note | ReadError]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as err:
        raise InputError(f"cannot open {path.name} as Parquet: {err}.") from None
    schema = parquet.schema_arrow
    columns.check(schema.names, path.name)
    text_type = schema.field(columns.text).type
    if pa.types.is_dictionary(text_type):
        text_type = text_type.value_type
    if not (
        pa.types.is_string(text_type)
        or pa.types.is_large_string(text_type)
        or pa.types.is_binary(text_type)
        or pa.types.is_large_binary(text_type)
        or pa.types.is_null(text_type)
        or str(text_type) in ("string_view", "binary_view")
    ):
        raise InputError(
            f"column {columns.text!r} in {path.name} has type {text_type}, not "
            "text; pass the text column with --text-col."
        )
    return _parquet_rows(parquet, path.name, columns)


def _parquet_rows(parquet: Any, file_name: str, columns: _Columns) -> Iterator[Note | ReadError]:
    import pyarrow as pa

    rows = _RowReader(file_name, columns, "row")
    wanted = list(dict.fromkeys([columns.id, columns.text, *columns.meta]))
    count = 0
    batches = parquet.iter_batches(batch_size=_BATCH_ROWS, columns=wanted)
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            break
        except (OSError, pa.ArrowException) as err:
            yield rows.error(
                count + 1, f"could not read the rest of {file_name} after row {count}: {err}"
            )
            break
        values = {name: batch.column(name).to_pylist() for name in wanted}
        for i in range(batch.num_rows):
            count += 1
            row = {name: values[name][i] for name in wanted}
            yield rows.row(count, row[columns.id], row[columns.text], row)
