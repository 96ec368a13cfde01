"""Property tests: mutated data directories either build or fail with exit 2 and file:line messages.

Never a traceback, never a partial site.
"""
from __future__ import annotations

import contextlib
import io
import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import run

FIXTURE = Path(__file__).parent / "fixtures" / "mini"
FILES = sorted(str(p.relative_to(FIXTURE)) for p in FIXTURE.rglob("*") if p.is_file())
PROBLEM_LINE = re.compile(r"^  [^\s:]+(?::\d+)?:( [^:]+:)? .+")

YAML_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b]\n"


def truncate(text: bytes, data) -> bytes:
    return text[: data.draw(st.integers(0, len(text)))]


def mutations():
    """(name, function(bytes, draw) -> bytes) pairs that a careless or hostile editor could produce."""
    return st.sampled_from([
        ("truncate", truncate),
        ("empty", lambda t, d: b""),
        ("garbage", lambda t, d: d.draw(st.binary(min_size=1, max_size=300))),
        ("cp1251", lambda t, d: t.decode("utf-8").encode("cp1251", errors="replace")),
        ("utf16", lambda t, d: t.decode("utf-8").encode("utf-16")),
        ("stray separators", lambda t, d: t.replace(b",", b",;", d.draw(st.integers(1, 5)))),
        ("semicolons", lambda t, d: t.replace(b",", b";")),
        ("swap header", lambda t, d: b",".join(reversed(t.split(b"\n", 1)[0].split(b","))) + b"\n" +
         (t.split(b"\n", 1)[1] if b"\n" in t else b"")),
        ("duplicate header", lambda t, d: t.split(b"\n", 1)[0] + b"," + t.split(b"\n", 1)[0] + b"\n" +
         (t.split(b"\n", 1)[1] if b"\n" in t else b"")),
        ("huge number", lambda t, d: re.sub(rb"\b\d+\b", b"9" * d.draw(st.integers(10, 400)), t, count=3)),
        ("negative", lambda t, d: re.sub(rb",(\d+)\n", rb",-\1\n", t, count=2)),
        ("unknown key", lambda t, d: t + b"\nnonsense_key: 1\n"),
        ("yaml bomb", lambda t, d: YAML_BOMB.encode()),
        ("long text", lambda t, d: t.replace(b"\n", b"\xd0\xaf" * d.draw(st.integers(1000, 30000)) + b"\n", 1)),
        ("random text", lambda t, d: d.draw(st.text(max_size=200)).encode("utf-8")),
        ("insert line", lambda t, d: t + d.draw(st.text(alphabet=",;\"'\n:-[]{}&*#|>0123456789абвxyz ",
                                                         max_size=80)).encode("utf-8")),
    ])


def run_cli(args: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = run(args)
    return code, err.getvalue()


def mutated_copy(tmp: str, data, target: str, mutation) -> Path:
    root = Path(tmp) / "data"
    shutil.copytree(FIXTURE, root)
    path = root / target
    path.write_bytes(mutation[1](path.read_bytes(), data))
    return root


def check_failure(code: int, stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert code in (0, 2), (code, stderr)
    if code == 2:
        lines = [ln for ln in stderr.splitlines() if ln.startswith("  ")]
        assert lines, stderr
        for line in lines:
            assert PROBLEM_LINE.match(line), line


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), target=st.sampled_from(FILES), mutation=mutations())
def test_validate_never_crashes(data, target, mutation):
    with tempfile.TemporaryDirectory() as tmp:
        root = mutated_copy(tmp, data, target, mutation)
        code, stderr = run_cli(["validate", "--data", str(root)])
        check_failure(code, stderr)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), target=st.sampled_from(FILES), mutation=mutations())
def test_build_fails_cleanly_or_builds(data, target, mutation):
    with tempfile.TemporaryDirectory() as tmp:
        root = mutated_copy(tmp, data, target, mutation)
        out = Path(tmp) / "site"
        code, stderr = run_cli(["build", "--data", str(root), "--out", str(out), "--quiet"])
        check_failure(code, stderr)
        if code == 2:
            assert not out.exists()  # nothing half-written
            assert sorted(p.name for p in Path(tmp).iterdir()) == ["data"]
        else:
            assert (out / "index.html").is_file()
