"""Evaluation scripts skip cleanly where ../shared/data is absent (as on a user's machine)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["eval_negex", "run_mtsamples"])
def test_script_skips_without_shared_data(name: str, tmp_path: Path, capsys) -> None:
    script = load_script(name)
    assert script.main(["--data", str(tmp_path / "absent.csv")]) == 0
    assert capsys.readouterr().out.startswith("skipped:")


def test_bench_runs_a_small_comparison(tmp_path: Path, capsys) -> None:
    bench = load_script("bench")
    out = tmp_path / "bench.json"
    args = ["--limit", "5", "--repeat", "1", "--scale", "2", "--systems", "nmnlp,blank"]
    assert bench.main([*args, "--out", str(out)]) == 0
    import json

    results = json.loads(out.read_text())
    assert results["notes"] == 5 and set(results["systems"]) == {"nmnlp", "blank", "nmnlp@2"}
    assert results["systems"]["nmnlp@2"]["notes"] == 10
    assert results["ratio_nmnlp_to_blank"] > 0
    assert "| nmnlp, end to end" in capsys.readouterr().out
    assert "| nmnlp, end to end" in out.with_suffix(".md").read_text()


def test_negex_locate_prefers_the_upper_case_occurrence() -> None:
    locate = load_script("eval_negex").locate
    sentence = "Schizophrenia:  The patient has a long history of SCHIZOPHRENIA."
    start, end = locate("schizophrenia", sentence)
    assert sentence[start:end] == "SCHIZOPHRENIA"
    assert locate("family  history", "FAMILY HISTORY: none") == (0, 14)
    assert locate("edema", "no swelling") is None


def test_check_candidates_finds_no_difference_on_the_demo_notes(capsys) -> None:
    check = load_script("check_candidates")
    demo = Path(__file__).resolve().parents[1] / "corpora" / "demo"
    assert check.main(["--data", str(demo)]) == 0
    assert "12 notes checked" in capsys.readouterr().out
