"""Tests for nmnlp.labs: CK / aldolase values and antibody results read around an anchor.

Each case is the text a lab anchor leaves behind: ``after`` is what follows the
anchor ("CK" is cut off), ``before`` what precedes it. Expected values are
written from what the note means clinically.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nmnlp.labs import (
    CONVENTIONAL_ULN,
    UKAT_TO_U,
    AntibodyResult,
    LabResult,
    parse_antibody_result,
    parse_lab_result,
)


def _values(after: str, before: str = "", analyte: str = "ck") -> list[float]:
    result = parse_lab_result(after, before, analyte)
    assert result is not None, f"nothing read from {after!r}"
    return [v.value for v in result.values]


def _read(after: str, before: str = "", analyte: str = "ck") -> LabResult:
    result = parse_lab_result(after, before, analyte)
    assert result is not None, f"nothing read from {after!r}"
    return result


# --------------------------------------------------------------------------- #
# CK values
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        # "CK 12,450 U/L (ref 30-200) on admission"
        (" 12,450 U/L (ref 30-200) on admission", [12450.0]),
        (" 12 450 U/L", [12450.0]),
        (" 12\u202f450 U/L", [12450.0]),
        (" 12\u2009450", [12450.0]),
        (" 12\u00a0450 IU/L", [12450.0]),
        (" 12.4k on arrival", [12400.0]),
        (" 12.4 K", [12400.0]),
        (" 22k", [22000.0]),
        (" >22,000", [22000.0]),
        (" > 22000", [22000.0]),
        (">22k, repeat in AM", [22000.0]),  # "CK>22k"
        (": 8500", [8500.0]),  # "CPK: 8500"
        (" 8,500.0", [8500.0]),
        (" of 12,450 IU/L", [12450.0]),
        (": 12450 U/L", [12450.0]),
        (" was 4,200 at the outside hospital", [4200.0]),
        (" level 3,100", [3100.0]),
        (" peaked at 25,500 on day 3", [25500.0]),
        (" came down to 900 after IVIG", [900.0]),
        (" 9,299 -> 4,100", [9299.0, 4100.0]),
        (" trending down 9,299→4,100", [9299.0, 4100.0]),
        (" 9299 => 4100", [9299.0, 4100.0]),
        (" improved from 9,299 to 4,100 after stopping atorvastatin", [9299.0, 4100.0]),
        (" 12,450 (H)", [12450.0]),
        (" | 8500 | H |", [8500.0]),
        (" | 8500 | U/L | 30-200 | H", [8500.0]),
        ("\t8500\tU/L\t30-200\tH", [8500.0]),
        (" (U/L): 8,500", [8500.0]),
        (" (CPK) 6,780 U/L", [6780.0]),  # "creatine kinase (CPK) 6,780 U/L"
        (" over 20,000 on presentation", [20000.0]),
        (" 3.4 x 10^3 U/L", [3400.0]),
        (" 4000-8000 over the last month", [4000.0, 8000.0]),  # a spread, not a range
    ],
)
def test_ck_values_as_written(after: str, expected: list[float]) -> None:
    assert _values(after) == expected


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (" 3/4/2024: 8,500", [8500.0]),  # date label, not 3 / 4 / 2024
        (" on 03/14/24 was 8,500", [8500.0]),
        (" 2024-03-14 8500", [8500.0]),
        (" 8,500 on March 14, 2024", [8500.0]),
        (" 8500 at 14:30", [8500.0]),
        (" 8500; call 555-123-4567 with questions", [8500.0]),
        (" 8500 and 4/5 hip flexors", [8500.0]),  # MRC grade
        (" 8500 (ref 30-200)", [8500.0]),  # 30 and 200 are the range
        (" 7,000, 35x ULN", [7000.0]),  # 35 is the fold
        (" 8500 despite holding atorvastatin 80 mg", [8500.0]),
        (" 8500, down 40% from last week", [8500.0]),
        (" 8500 three days after the 2 mg/dL creatinine rise", [8500.0]),
        (" 8500 for 3 days", [8500.0]),
        (" 8500, aldolase 71.8, AST 300", [8500.0]),  # stop at the next lab name
        (" 8500, Cr 1.2", [8500.0]),
        (" 8500 in 2019", [8500.0]),
        (" 6,000 x2 checks", [6000.0]),
    ],
)
def test_ck_numbers_that_are_not_values_are_skipped(after: str, expected: list[float]) -> None:
    assert _values(after) == expected


@pytest.mark.parametrize(
    "after",
    [
        " was normal in 2019",  # the year is not a value
        " normal on 3/14/2024",
    ],
)
def test_ck_year_or_date_is_not_a_value(after: str) -> None:
    result = _read(after)
    assert result.values == ()
    assert result.qualitative == "normal"


@pytest.mark.parametrize(
    "after",
    [
        " 4/5",  # only an MRC grade
        " on 3/14/2024",  # only a date
        " (ref 30-200)",  # only a reference range
        "-MB 12",  # CK-MB is not total CK
        " kinetics were not studied",
        "",
        " and 80 mg atorvastatin",
    ],
)
def test_ck_nothing_stated_gives_none(after: str) -> None:
    assert parse_lab_result(after) is None


# --------------------------------------------------------------------------- #
# CK units
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    ("after", "value", "unit"),
    [
        (" 35.2 µkat/L", 35.2 * UKAT_TO_U, "µkat/L"),
        (" 35.2 ukat/L", 2112.0, "µkat/L"),
        (" 35,2 µkat/l", 2112.0, "µkat/L"),  # decimal comma
        (" 35.2 mckat/L", 2112.0, "µkat/L"),
        (" 12,450 IU/L", 12450.0, "U/L"),
        (" 12,450 units/L", 12450.0, "U/L"),
        (" 12,450 u/l", 12450.0, "U/L"),
        (" 12,450 iu/l", 12450.0, "U/L"),
        (" 12,450 U/liter", 12450.0, "U/L"),
        (" 12,450", 12450.0, None),
    ],
)
def test_ck_units_are_normalised_and_converted(after: str, value: float, unit: str | None) -> None:
    (read,) = _read(after).values
    assert read.value == pytest.approx(value)
    assert read.unit == unit


def test_ck_trend_takes_the_unit_written_after_the_last_value() -> None:
    result = _read(" 40 -> 20 µkat/L")
    assert [v.value for v in result.values] == pytest.approx([2400.0, 1200.0])
    assert {v.unit for v in result.values} == {"µkat/L"}


# --------------------------------------------------------------------------- #
# Reference ranges and folds
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    ("after", "ref_low", "ref_high"),
    [
        (" 12,450 U/L (ref 30-200)", 30.0, 200.0),
        (" 8500 (nl 24-195)", 24.0, 195.0),
        (" 8500 [30 - 200]", 30.0, 200.0),
        (" 8500, normal <200", None, 200.0),
        (" 8500 (ULN 200)", None, 200.0),
        (" 8500 (N: 30-170)", 30.0, 170.0),
        (" | 8500 | U/L | 30-200 | H", 30.0, 200.0),
        (" 8500 U/L (reference range 26-192 U/L)", 26.0, 192.0),
        (" 150 µkat/L (ref 0.5-3.3)", 30.0, 198.0),  # range in the values' unit
        (" 8500 U/L 30-200 H", 30.0, 200.0),  # unbracketed range after the value
        (" 8500", None, None),
    ],
)
def test_ck_reference_range(after: str, ref_low: float | None, ref_high: float | None) -> None:
    result = _read(after)
    assert (result.ref_low, result.ref_high) == (
        pytest.approx(ref_low) if ref_low is not None else None,
        pytest.approx(ref_high) if ref_high is not None else None,
    )


@pytest.mark.parametrize(
    ("after", "fold"),
    [
        (" 35x ULN", 35.0),
        (" 35 x ULN", 35.0),
        (" 35×ULN", 35.0),
        (" elevated 35-fold", 35.0),
        (" 35 times the upper limit of normal", 35.0),
        (" ~35x normal", 35.0),
        (" >10x ULN at onset", 10.0),
    ],
)
def test_ck_stated_fold(after: str, fold: float) -> None:
    result = _read(after)
    assert result.stated_fold_uln == fold
    assert result.values == ()
    assert result.elevated is True


def test_ck_fold_from_value_uses_stated_upper_limit() -> None:
    # 8,500 / 170 = 50x ULN at this lab, not 42.5x the conventional 200.
    assert _read(" 8,500 U/L (N: 30-170)").max_fold_uln == pytest.approx(50.0)
    assert _read(" 8,500 U/L").max_fold_uln == pytest.approx(8500 / CONVENTIONAL_ULN["ck"])


def test_ck_max_fold_takes_larger_of_stated_and_computed() -> None:
    result = _read(" 7,000 U/L (ref 30-200), >40x ULN")
    assert result.max_fold_uln == pytest.approx(40.0)
    assert result.max_value == 7000.0


def test_ck_less_than_fold_is_not_an_elevation() -> None:
    result = parse_lab_result(" <2x ULN")
    assert result is None or result.elevated is not True


# --------------------------------------------------------------------------- #
# Qualitative, pending
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    ("after", "before", "quality"),
    [
        ("", "Labs notable for markedly elevated ", "markedly_elevated"),
        (" severely elevated", "", "markedly_elevated"),
        (" massively elevated", "", "markedly_elevated"),
        (" was very high", "", "markedly_elevated"),
        (" significantly elevated at 14,000", "", "markedly_elevated"),
        (" elevated", "", "elevated"),
        (" elevated at 5,000", "", "elevated"),
        (" high", "", "elevated"),
        (" raised", "", "elevated"),
        (" increased", "", "elevated"),
        (" up again", "", "elevated"),
        (" and aldolase were elevated", "", "elevated"),  # shared predicate
        (".", "Persistently elevated ", "elevated"),
        ("", "high ", "elevated"),
        (" normal", "", "normal"),
        (" nl", "", "normal"),
        (" WNL", "", "normal"),
        (" within normal limits", "", "normal"),
        (" was unremarkable", "", "normal"),
        (" normalized after IVIG", "", "normal"),
        (" not elevated", "", "normal"),
        ("", "normal ", "normal"),
        (" low", "", "low"),
        (" 20 (L)", "", "low"),
        (" 12,450 (H)", "", "elevated"),
        (" critical value called to team", "", "elevated"),
        (" on high-dose statin", "", None),
    ],
)
def test_ck_qualitative(after: str, before: str, quality: str | None) -> None:
    result = parse_lab_result(after, before)
    assert (result.qualitative if result is not None else None) == quality


@pytest.mark.parametrize(
    ("after", "before"),
    [
        (" pending", ""),
        (": pending", ""),
        (" ordered", ""),
        (" sent", ""),
        (" in process", ""),
        (" to follow", ""),
        (" - awaiting results", ""),
        ("", "Plan: will check "),
        (" and aldolase pending", ""),
        # planned for later
        (" at next visit.", ""),
        (" in 4 weeks", "Repeat "),
        (" and LFTs", "- Daily "),
        ("", "Weekly "),
    ],
)
def test_ck_pending(after: str, before: str) -> None:
    result = _read(after, before)
    assert result.pending is True
    assert result.values == ()
    assert result.elevated is None


def test_ck_value_is_not_pending() -> None:
    result = _read(" 8500, repeat pending")
    assert result.pending is False
    assert result.values[0].value == 8500.0


def test_ck_value_with_a_time_span_is_not_pending() -> None:
    result = _read(" 5000 in 2 weeks, now 300")
    assert result.pending is False
    assert [v.value for v in result.values] == [5000.0, 300.0]


# --------------------------------------------------------------------------- #
# elevated
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    ("after", "before", "elevated"),
    [
        (" 12,450 U/L", "", True),
        (" 150 U/L", "", False),
        (" 180 (ref 30-200)", "", False),
        (" 250 (ref 30-200)", "", True),
        (" 250 (ref 30-300)", "", False),  # within this lab's range
        (" 250, normal", "", False),  # note's "normal" beats the conventional limit
        (" 9,299 -> normalized", "", True),  # was elevated
        (" >22k", "", True),
        (" <50", "", False),
        (" <500", "", None),  # cannot tell
        (" 35x ULN", "", True),
        (" elevated", "", True),
        (" normal", "", False),
        (" pending", "", None),
        ("", "markedly elevated ", True),
        (" up to 150", "", False),  # "up to" is not "up"
        (" 1.2 µkat/L", "", False),  # 72 U/L
        (" 5 µkat/L", "", True),  # 300 U/L
    ],
)
def test_ck_elevated(after: str, before: str, elevated: bool | None) -> None:
    assert _read(after, before).elevated is elevated


# --------------------------------------------------------------------------- #
# Offsets and text
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    ("after", "texts"),
    [
        (" 12,450 U/L", ["12,450"]),
        (">22k", [">22k"]),
        (" 12.4 K", ["12.4 K"]),
        (" 9,299→4,100", ["9,299", "4,100"]),
        (" of 35.2 µkat/L", ["35.2"]),
    ],
)
def test_lab_value_text_and_offsets(after: str, texts: list[str]) -> None:
    result = _read(after)
    assert [v.text for v in result.values] == texts
    assert [after[v.start : v.end] for v in result.values] == texts


def test_lab_result_end_stops_before_next_lab() -> None:
    after = " 8500 U/L (ref 30-200), aldolase 71.8"
    result = _read(after)
    assert after[: result.end] == " 8500 U/L (ref 30-200)"


def test_lab_result_end_is_zero_when_read_only_before() -> None:
    assert _read(" was checked.", "markedly elevated ").end == 0


def test_unknown_analyte_names_the_allowed_ones() -> None:
    with pytest.raises(ValueError, match="ck, aldolase"):
        parse_lab_result(" 12", analyte="ldh")


# --------------------------------------------------------------------------- #
# Aldolase
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    ("after", "before", "values", "ref_high", "elevated"),
    [
        (" 71.8", "", [71.8], None, True),  # "aldolase 71.8"
        (" 12.1 (ref <8.1)", "", [12.1], 8.1, True),
        (" 6.5 U/L", "", [6.5], None, False),
        (" 7.9 (ref 1.0-8.1)", "", [7.9], 8.1, False),  # above 7.7 but inside this lab's range
        (": 24.3 U/L (H)", "", [24.3], None, True),
        (" 15.2, CK 8500", "", [15.2], None, True),  # stops at CK
        (" 9.5 -> 5.1", "", [9.5, 5.1], None, True),
        (" normal", "", [], None, False),
        (" 2.1 ukat/L", "", [126.0], None, True),
        ("", "elevated CK and ", [], None, True),
        (" pending", "", [], None, None),
    ],
)
def test_aldolase(
    after: str,
    before: str,
    values: list[float],
    ref_high: float | None,
    elevated: bool | None,
) -> None:
    result = _read(after, before, analyte="aldolase")
    assert [v.value for v in result.values] == pytest.approx(values)
    assert result.ref_high == ref_high
    assert result.elevated is elevated


def test_aldolase_uses_its_own_conventional_limit() -> None:
    assert _read(" 71.8", analyte="aldolase").upper_limit == CONVENTIONAL_ULN["aldolase"]
    assert _read(" 71.8", analyte="aldolase").max_fold_uln == pytest.approx(71.8 / 7.7)


# --------------------------------------------------------------------------- #
# Antibodies
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    ("after", "before", "polarity", "value", "ref_high"),
    [
        (" Ab 103 (nl <20)", "", "positive", 103.0, 20.0),  # "HMGCR Ab 103 (nl <20)"
        (" 8 units (ref <20)", "", "negative", 8.0, 20.0),  # "anti-HMGCR 8 units (ref <20)"
        (" 20 CU (ref <20)", "", "positive", 20.0, 20.0),  # <20 is negative, so 20 is not
        (" >200 CU (negative <20)", "", "positive", 200.0, 20.0),
        ("54 +", "", "positive", None, None),  # "anti-SRP54 +"
        (": positive", "", "positive", None, None),
        (" antibodies detected", "", "positive", None, None),
        (" strongly positive", "", "positive", None, None),
        (" weakly positive", "", "positive", None, None),
        ("+ NAM on biopsy", "", "positive", None, None),  # "HMGCR+ NAM"
        (" antibody negative", "", "negative", None, None),
        (" neg", "", "negative", None, None),
        (" (-)", "", "negative", None, None),
        (" antibodies not detected", "", "negative", None, None),
        (" pending", "", "pending", None, None),
        (" sent out to ARUP", "", "pending", None, None),
        (" ordered", "", "pending", None, None),
        (" equivocal", "", "indeterminate", None, None),
        (" borderline at 22 (ref <20)", "", "indeterminate", 22.0, 20.0),
        ("", "Serology positive for anti-", "positive", None, None),
        (" myopathy.", "Muscle biopsy and strongly positive ", "positive", None, None),
        (" antibodies.", "Myositis panel: negative ", "negative", None, None),
        (" myopathy", "Findings consistent with +", "positive", None, None),
        ("", "Will check ", "pending", None, None),
        (" antibodies detected", "no anti-", "negative", None, None),
        (", PL-7, PL-12)", "MSA panel neg (", "negative", None, None),  # anchor Jo-1
        (", PL-7, PL-12 negative", "", "negative", None, None),  # shared predicate
        (" Ab 103 CU", "", "indeterminate", 103.0, None),  # no cut-off, no word
        (" positive, SRP negative", "", "positive", None, None),  # stop at SRP
    ],
)
def test_antibody_result(
    after: str,
    before: str,
    polarity: str,
    value: float | None,
    ref_high: float | None,
) -> None:
    result = parse_antibody_result(after, before)
    assert result == AntibodyResult(polarity, value, ref_high, result.end if result else 0)


@pytest.mark.parametrize(
    ("after", "before"),
    [
        (" myopathy", "Differential includes anti-"),
        ("-associated necrotizing myopathy is a consideration", ""),
        (" antibodies target the rate-limiting enzyme", ""),
        ("", ""),
    ],
)
def test_antibody_no_result_stated(after: str, before: str) -> None:
    assert parse_antibody_result(after, before) is None


def test_antibody_end_covers_value_and_cutoff() -> None:
    after = " Ab 103 (nl <20); CK 8500"
    result = parse_antibody_result(after)
    assert result is not None
    assert after[: result.end] == " Ab 103 (nl <20)"


# --------------------------------------------------------------------------- #
# Robustness
# --------------------------------------------------------------------------- #


@settings(max_examples=300, deadline=None)
@given(after=st.text(), before=st.text(), analyte=st.sampled_from(sorted(CONVENTIONAL_ULN)))
def test_parse_lab_result_never_raises_and_offsets_are_valid(
    after: str, before: str, analyte: str
) -> None:
    result = parse_lab_result(after, before, analyte)
    if result is None:
        return
    assert 0 <= result.end <= len(after)
    for value in result.values:
        assert 0 <= value.start < value.end <= len(after)
        assert after[value.start : value.end] == value.text
        assert re.search(r"[0-9]", value.text)
        assert value.value >= 0


_LAB_ALPHABET = st.sampled_from(
    list("0123456789,.-:/<>()[]| \t\u202fkKxHL%") + ["CK", " U/L", " µkat/L", "ULN", " ref ", "→"]
)


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(_LAB_ALPHABET, max_size=40))
def test_parse_lab_result_on_lab_like_text(pieces: list[str]) -> None:
    after = "".join(pieces)
    result = parse_lab_result(after)
    if result is None:
        return
    digits = [re.sub(r"[^0-9]", "", v.text) for v in result.values]
    assert all(digits)
    for value in result.values:
        assert 0 <= value.start < value.end <= len(after)
        assert after[value.start : value.end] == value.text


@settings(max_examples=300, deadline=None)
@given(after=st.text(), before=st.text())
def test_parse_antibody_result_never_raises(after: str, before: str) -> None:
    result = parse_antibody_result(after, before)
    if result is not None:
        assert result.polarity in {"positive", "negative", "pending", "indeterminate"}
        assert 0 <= result.end <= len(after)


@pytest.mark.parametrize(
    "text",
    [
        "1234567890," * 20_000,  # 220 KB of digits and commas
        "1," * 100_000,
        " " * 200_000,
        "12 450 " * 30_000,
    ],
)
def test_long_inputs_finish(text: str) -> None:
    parse_lab_result(text, text)
    parse_antibody_result(text, text)
