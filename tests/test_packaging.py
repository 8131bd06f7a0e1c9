"""A built wheel carries the rule files and works away from the source tree."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# An editable install maps ``nmnlp`` to the source tree through a meta-path finder; drop it.
DROP_EDITABLE_FINDER = (
    "import sys; "
    "sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f).lower()];"
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0:
        pytest.fail(f"pip wheel failed:\n{proc.stderr[-2000:]}")
    return next(out.glob("nmnlp-*.whl"))


@pytest.mark.slow
def test_wheel_contains_lexicons_models_and_entry_points(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {p.name for p in (ROOT / "lexicons").glob("*.json")}
    assert shipped and {f"nmnlp/lexicons/{name}" for name in shipped} <= set(names)
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "nmnlp").rglob("*.py")}
    assert modules <= set(names), f"missing from the wheel: {sorted(modules - set(names))}"
    assert "nmnlp/models/__init__.py" in names and "nmnlp/py.typed" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "nmnlp = nmnlp.cli:main" in text and "[spacy_factories]" in text


@pytest.mark.slow
def test_unpacked_wheel_loads_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import nmnlp, nmnlp.cli, nmnlp.reports, pathlib; "
        "assert 'site' in pathlib.Path(nmnlp.__file__).parts, nmnlp.__file__; "
        "r = nmnlp.analyze('CK 9,000 U/L. Weak hip flexors 4/5.'); print(r.statuses['ck_elevated'])"
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            f"{DROP_EDITABLE_FINDER} sys.path.insert(0, {str(site)!r}); {code}",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "present"
