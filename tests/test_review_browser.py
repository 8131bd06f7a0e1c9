"""review.html in a real headless Chromium: no errors, hostile notes inert, filters work.

Needs Debian's ``chromium`` (``.ci/run`` installs it) and the ``playwright``
Python package, which drives the system browser (no browser download).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from nmnlp.cli import app

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]
DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"
HOSTILE = (
    "HPI: weak hip flexors 4/5.\n<script>window.__pwned = 1</script>\n"
    '<img src=x onerror="window.__pwned = 2">\n'
    '</textarea></script>"><svg onload="window.__pwned=3">\n'
    "CK 12,450 U/L. HMGCR Ab 103 (nl <20)."
)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    notes = tmp_path_factory.mktemp("notes")
    for note in DEMO.glob("*.txt"):
        shutil.copy(note, notes / note.name)
    (notes / "hostile_note.txt").write_text(HOSTILE, encoding="utf-8")
    (notes / '<img src=x onerror="window.__pwned=4">.txt').write_text(HOSTILE, encoding="utf-8")
    out = tmp_path_factory.mktemp("report")
    result = CliRunner().invoke(app, ["run", str(notes), "--out", str(out), "-q", "--overwrite"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def page(report):
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1800})
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto((report / "review.html").as_uri())
        page.wait_for_selector("#note-list > *")
        page.problems = problems
        yield page
        browser.close()


def visible_notes(page) -> int:
    return page.evaluate("document.querySelectorAll('#note-list > *').length")


def shows(page, expected: int) -> bool:
    """Wait (up to 5 s) for the list to show ``expected`` notes: search is debounced.

    Playwright's ``expect`` polls outside the page's script context, which the
    page's Content-Security-Policy (no eval) would otherwise refuse.
    """
    try:
        sync_api.expect(page.locator("#note-list > *")).to_have_count(expected, timeout=5000)
    except AssertionError:
        return False
    return True


def test_page_renders_without_errors_and_saves_a_screenshot(page, tmp_path: Path) -> None:
    assert page.problems == []
    shot = tmp_path / "review.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000


def test_hostile_notes_execute_nothing(page) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("text=window.__pwned = 1").count() >= 1  # shown as text


def test_filters(page, report: Path) -> None:
    notes = pd.read_csv(report / "notes.csv", keep_default_na=False)
    total, flagged = len(notes), int(notes["flag"].sum())
    assert shows(page, total)
    page.select_option("#f-flag", "flagged")
    assert shows(page, flagged)
    page.select_option("#f-flag", "all")
    page.select_option("#f-concept", "rash")
    page.select_option("#f-status", "present")
    assert shows(page, int((notes["rash"] == "present").sum()))
    page.click("#f-reset")
    assert shows(page, total)
    page.fill("#f-search", "statin_myalgia")
    assert shows(page, 1), visible_notes(page)
    page.click("#f-reset")
    assert shows(page, total)
    assert page.problems == []
