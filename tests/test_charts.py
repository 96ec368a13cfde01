"""Tests for generator.charts: determinism, gaps, cache, Russian number format, alt text."""
from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from generator.charts import frame, layout, points, spec as chart_spec, store, style
from generator.charts.points import render_svg
from generator.charts.spec import ChartSpec, Series, alt_text, spec_hash
from generator.charts.store import ChartStats, render_charts
from generator.numbers import ru_figure as format_number

REPO = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
NBSP = "\u00a0"

YEARS = (2020, 2021, 2022, 2023, 2024)


def school_spec(values=(70.0, 75.5, None, 80.0, 85.0), targets=(None, None, 78.0, 82.0, 85.0)):
    return ChartSpec(
        title="Доля выпускников, сдавших ЕГЭ по русскому языку",
        unit="%",
        years=YEARS,
        series=(Series("Школа", tuple(values)),
                Series("Участники программы", (60.0, 62.5, 64.0, None, 70.0))),
        targets=tuple(targets),
    )


def many_specs(n: int) -> dict[str, ChartSpec]:
    specs = {}
    for i in range(n):
        values = tuple(None if (i + j) % 4 == 0 else 40.0 + (i * 7 + j * 3) % 55 for j in range(len(YEARS)))
        specs[f"schools/{6149000000 + i}/ege_rus.svg"] = ChartSpec(
            f"Показатель {i}", "%", YEARS, (Series("Школа", values),), (None, None, None, 80.0, 83.0))
    return specs


def series_group(svg: bytes, gid: str) -> ET.Element:
    root = ET.fromstring(svg)
    for group in root.iter(f"{SVG}g"):
        if group.get("id") == gid:
            return group
    raise AssertionError(f"no <g id={gid!r}> in the SVG")


def subpaths(group: ET.Element) -> list[str]:
    """Line segments of a Line2D: the path's 'M …' pieces that contain at least one 'L'."""
    (path,) = [p for p in group.iter(f"{SVG}path") if p.get("d")][:1]
    pieces = [piece for piece in re.split(r"(?=M )", path.get("d")) if piece.strip()]
    return [piece for piece in pieces if "L " in piece]


def marker_count(group: ET.Element) -> int:
    return sum(1 for _ in group.iter(f"{SVG}use"))


def svg_texts(svg: bytes) -> list[str]:
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]


# --------------------------------------------------------------------------- determinism

def test_repeat_renders_are_byte_identical():
    spec = school_spec()
    first = render_svg(spec)
    assert render_svg(spec) == first
    assert render_svg(school_spec()) == first  # equal, not identical, spec object


def test_render_is_identical_in_a_fresh_process():
    spec = school_spec()
    code = (
        "import hashlib, sys\n"
        "from generator.charts.spec import ChartSpec, Series\nfrom generator.charts.points import render_svg\n"
        f"spec = {spec!r}\n"
        "sys.stdout.write(hashlib.sha256(render_svg(spec)).hexdigest())\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, check=True,
                         capture_output=True, text=True).stdout
    assert out == hashlib.sha256(render_svg(spec)).hexdigest()


def test_svg_has_no_timestamp_creator_or_script():
    svg = render_svg(school_spec())
    assert svg.startswith(b"<?xml")
    for forbidden in (b"<script", b"onload", b"dc:date", b"Matplotlib v", b"<dc:creator", b"<title"):
        assert forbidden not in svg
    assert b"http" not in svg.replace(b"http://www.w3.org/", b"").replace(b"http://purl.org/dc/", b"").replace(
        b"http://creativecommons.org/ns#", b"")  # no external references


def test_text_stays_text_with_generic_font_list():
    svg = render_svg(school_spec())
    assert b"<text" in svg
    assert b"font-family: 'DejaVu Sans', 'Liberation Sans', 'Arial', sans-serif" in svg


def test_layout_font_is_the_one_bundled_with_matplotlib():
    # Layout is measured with this file; a system copy of DejaVu would make output machine-dependent.
    import matplotlib
    from matplotlib import font_manager

    with matplotlib.rc_context(style.RC):
        path = font_manager.findfont(font_manager.FontProperties())
    assert Path(path).resolve().is_relative_to(Path(matplotlib.get_data_path()).resolve())


def test_white_background_rectangle():
    root = ET.fromstring(render_svg(school_spec()))
    first_path = next(root.iter(f"{SVG}path"))
    assert "fill: #ffffff" in first_path.get("style")


# --------------------------------------------------------------------------- points on a shared frame

def _points(svg: bytes, gid: str) -> tuple[list[float], list[list[float]]]:
    """(marker x, y, x, y…, line x, y… per subpath) of one line, in SVG coordinates."""
    group = series_group(svg, gid)
    markers = [c for u in group.iter(f"{SVG}use") for c in (float(u.get("x")), float(u.get("y")))]
    lines = [[float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", piece)] for piece in subpaths(group)]
    return markers, lines


@pytest.mark.parametrize("spec", [
    school_spec(),
    school_spec(values=(None, 70.0, None, 80.0, None), targets=(None,) * 5),
    ChartSpec("Обращения", "обращений", (2021, 2022, 2023), (Series("Школа", (120, None, 1500)),)),
    ChartSpec("Доля", "%", (2022, 2023, 2024), (Series("Школа", (1.5, 3.2, 0.0)), Series("Район", (2.0, None, 4.4)),
                                                Series("Участники", (None, 3.0, 3.1)))),
])
def test_points_land_where_matplotlib_puts_them(spec):
    # The reference is matplotlib drawing the same chart whole, lines included: every marker
    # and every line vertex must be where matplotlib itself would put it.
    fast, reference = render_svg(spec), frame.render_svg_matplotlib(spec)
    gids = [f"series-{i}" for i, s in enumerate(spec.series) if any(v is not None for v in s.values)]
    gids += ["target"] if any(t is not None for t in spec.targets) else []
    for gid in gids:
        (markers, lines), (ref_markers, ref_lines) = _points(fast, gid), _points(reference, gid)
        assert markers == pytest.approx(ref_markers, abs=0.01)
        assert len(lines) == len(ref_lines)
        for line, ref in zip(lines, ref_lines):
            assert line == pytest.approx(ref, abs=0.01)
    # Everything but the points (axes, ticks, labels, legend) is the same text.
    assert svg_texts(fast) == svg_texts(reference)


def test_charts_sharing_a_frame_differ_only_in_their_points():
    a = render_svg(school_spec(values=(70.0, 75.5, None, 80.0, 85.0)))
    b = render_svg(school_spec(values=(71.0, 75.5, 79.0, 80.0, 86.0)))
    head_a, head_b = a.split(b'<g id="target">')[0], b.split(b'<g id="target">')[0]
    assert head_a == head_b and a != b


# --------------------------------------------------------------------------- gaps, markers, axes

def test_missing_year_breaks_the_line_into_two_segments():
    svg = render_svg(school_spec(values=(70.0, 75.5, None, 80.0, 85.0)))
    group = series_group(svg, "series-0")
    assert len(subpaths(group)) == 2
    assert marker_count(group) == 4  # a marker on every existing point, none for the gap


def test_zero_is_not_a_gap():
    # The same data with 0 instead of None is one unbroken line with 5 markers: the check above
    # would fail if None were ever turned into 0.
    group = series_group(render_svg(school_spec(values=(70.0, 75.5, 0.0, 80.0, 85.0))), "series-0")
    assert len(subpaths(group)) == 1
    assert marker_count(group) == 5


def test_lone_point_between_gaps_has_a_marker():
    group = series_group(render_svg(school_spec(values=(None, 70.0, None, 80.0, None))), "series-0")
    assert subpaths(group) == []  # no line at all…
    assert marker_count(group) == 2  # …but both points are visible


def test_target_is_drawn_dashed_with_markers_and_labelled():
    svg = render_svg(school_spec())
    group = series_group(svg, "target")
    assert marker_count(group) == 3
    path = next(p for p in group.iter(f"{SVG}path") if p.get("d"))
    assert "stroke-dasharray" in path.get("style")
    assert "Цель" in svg_texts(svg)


def test_each_series_has_its_own_marker_and_dash_pattern():
    styles = [(s["marker"], str(s["linestyle"])) for s in style.SERIES_STYLES]
    styles.append((style.TARGET_STYLE["marker"], str(style.TARGET_STYLE["linestyle"])))
    assert len({m for m, _ in styles}) == len(styles)
    assert len({ls for _, ls in styles}) == len(styles)


def test_percent_axis_is_0_to_100_with_russian_labels():
    texts = svg_texts(render_svg(school_spec()))
    assert f"0{NBSP}%" in texts and f"100{NBSP}%" in texts
    assert all(t not in texts for t in ("2020.0", "2,020", f"2{NBSP}020"))
    assert {"2020", "2021", "2022", "2023", "2024"} <= set(texts)


def test_small_percentages_get_a_smaller_axis_still_from_zero():
    spec = ChartSpec("Доля", "%", (2022, 2023), (Series("Школа", (1.5, 3.2)),))
    bottom, top, ticks = layout._y_range([1.5, 3.2], percent=True, integer=False)
    assert bottom == 0 and 3.2 <= top < 10
    texts = svg_texts(render_svg(spec))
    assert f"0{NBSP}%" in texts and f"{format_number(top, '%')}" in texts
    assert f"100{NBSP}%" not in texts


def test_count_axis_is_zero_based_with_unit_caption():
    spec = ChartSpec("Обращения", "обращений", (2021, 2022, 2023), (Series("Школа", (120, None, 1500)),))
    texts = svg_texts(render_svg(spec))
    assert "0" in texts and "обращений" in texts
    assert f"1{NBSP}500" in texts or f"2{NBSP}000" in texts  # grouped thousands


def test_empty_chart_says_no_data():
    spec = ChartSpec("Пусто", "%", YEARS, (Series("Школа", (None,) * 5),))
    svg = render_svg(spec)
    assert "Нет данных" in svg_texts(svg)
    no_years = ChartSpec("Пусто", "%", (), (Series("Школа", ()),))
    assert "Нет данных" in svg_texts(render_svg(no_years))


def test_invalid_specs_are_refused():
    with pytest.raises(ValueError):
        render_svg(ChartSpec("x", "%", (2021, 2022), (Series("Школа", (1.0,)),)))
    with pytest.raises(ValueError):
        render_svg(ChartSpec("x", "%", (2022, 2021), (Series("Школа", (1.0, 2.0)),)))
    with pytest.raises(ValueError):
        render_svg(ChartSpec("x", "%", (2021,), (Series("Школа", (float("nan"),)),)))
    with pytest.raises(ValueError):
        render_svg(ChartSpec("x", "%", (2021, 2022), (Series("Школа", (1.0, 2.0)),), (80.0,)))


# --------------------------------------------------------------------------- hashing & cache

def test_spec_hash_is_pure_and_canonical():
    spec = school_spec()
    assert spec_hash(spec) == spec_hash(school_spec())
    assert re.fullmatch(r"[0-9a-f]{64}", spec_hash(spec))
    decimal_spec = ChartSpec(spec.title, spec.unit, spec.years,
                             (Series("Школа", (Decimal("70"), Decimal("75.50"), None, 80, 85.0)),
                              spec.series[1]), spec.targets)
    assert spec_hash(decimal_spec) == spec_hash(spec)
    assert spec_hash(school_spec(values=(70.0, 75.5, 0.0, 80.0, 85.0))) != spec_hash(spec)
    assert chart_spec.RENDERER_VERSION.encode() in chart_spec.canonical_spec(spec)


def test_cache_hit_does_not_render(tmp_path, monkeypatch):
    specs = {"schools/6149001234/ege_rus.svg": school_spec(),
             "indicators/ege_rus.svg": school_spec(values=(50.0, None, 60.0, 61.0, 62.0))}
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert render_charts(specs, out, cache, workers=1) == ChartStats(rendered=2, cached=0)
    entries = sorted(cache.iterdir())
    assert [e.name for e in entries] == sorted(f"{spec_hash(s)}.svg" for s in specs.values())
    before = {e.name: (e.stat().st_ino, e.stat().st_mtime_ns) for e in entries}

    def no_render(spec):
        raise AssertionError("rendered although cached")

    monkeypatch.setattr(store, "render_measured", lambda spec, layout: no_render(spec))
    out2 = tmp_path / "out2"
    assert render_charts(specs, out2, cache, workers=1) == ChartStats(rendered=0, cached=2)
    after = {e.name: (e.stat().st_ino, e.stat().st_mtime_ns) for e in sorted(cache.iterdir())}
    assert after == before
    for key in specs:
        assert (out2 / key).read_bytes() == (out / key).read_bytes()


def test_changed_spec_is_rendered_again(tmp_path):
    specs = many_specs(3)
    cache = tmp_path / "cache"
    render_charts(specs, tmp_path / "out", cache, workers=1)
    key = next(iter(specs))
    old = specs[key]
    specs[key] = ChartSpec(old.title, old.unit, old.years, (Series("Школа", (1.0, 2.0, 3.0, 4.0, 5.0)),))
    stats = render_charts(specs, tmp_path / "out", cache, workers=1)
    assert stats == ChartStats(rendered=1, cached=2)
    assert (tmp_path / "out" / key).read_bytes() == render_svg(specs[key])
    assert (cache / f"{spec_hash(specs[key])}.svg").exists()
    assert len(list(cache.glob("*.svg"))) == 4  # old entry kept, new one added


def test_frames_drawn_once_are_reused_by_a_later_build_without_matplotlib(tmp_path, monkeypatch):
    specs = many_specs(3)
    monkeypatch.setattr(points, "FRAMES", {})
    render_charts(specs, tmp_path / "first", tmp_path / "cache", workers=1)
    assert list((tmp_path / "cache" / "frames").glob("*.pickle"))
    # A new process: no frame in memory, chart cache emptied, and matplotlib must not draw.
    monkeypatch.setattr(points, "FRAMES", {})
    for svg in (tmp_path / "cache").glob("*.svg"):
        svg.unlink()

    def no_drawing(layout):
        raise AssertionError("a stored frame was drawn again")

    monkeypatch.setattr(points, "draw_frame", no_drawing)
    assert render_charts(specs, tmp_path / "second", tmp_path / "cache", workers=1).rendered == 3
    for key in specs:
        assert (tmp_path / "second" / key).read_bytes() == (tmp_path / "first" / key).read_bytes()


def test_unreadable_stored_frame_is_drawn_again(tmp_path, monkeypatch):
    specs = many_specs(1)
    monkeypatch.setattr(points, "FRAMES", {})
    render_charts(specs, tmp_path / "first", tmp_path / "cache", workers=1)
    for stored in (tmp_path / "cache" / "frames").glob("*.pickle"):
        stored.write_bytes(b"not a pickle")
    monkeypatch.setattr(points, "FRAMES", {})
    (key, spec), = specs.items()
    (tmp_path / "cache" / f"{spec_hash(spec)}.svg").unlink()
    render_charts(specs, tmp_path / "second", tmp_path / "cache", workers=1)
    assert (tmp_path / "second" / key).read_bytes() == render_svg(spec)


def test_truncated_cache_entry_is_redrawn(tmp_path):
    specs = many_specs(1)
    cache = tmp_path / "cache"
    cache.mkdir()
    (key, spec), = specs.items()
    (cache / f"{spec_hash(spec)}.svg").write_bytes(b"<?xml version")
    assert render_charts(specs, tmp_path / "out", cache, workers=1) == ChartStats(rendered=1, cached=0)
    assert (tmp_path / "out" / key).read_bytes() == render_svg(spec)


def test_duplicate_specs_are_drawn_once_and_no_cache_dir_works(tmp_path):
    spec = school_spec()
    specs = {"a/x.svg": spec, "b/x.svg": school_spec()}
    assert render_charts(specs, tmp_path, None, workers=1) == ChartStats(rendered=1, cached=1)
    assert (tmp_path / "a/x.svg").read_bytes() == (tmp_path / "b/x.svg").read_bytes() == render_svg(spec)


def test_no_temporary_files_are_left(tmp_path):
    render_charts(many_specs(2), tmp_path / "out", tmp_path / "cache", workers=1)
    leftovers = [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def test_pool_output_equals_in_process_output(tmp_path, monkeypatch):
    specs = many_specs(store.POOL_THRESHOLD + 2)
    # Both pools run (frames, then points) and the workers start with no frame drawn.
    monkeypatch.setattr(store, "POOL_THRESHOLD", 2)
    monkeypatch.setattr(store, "POINTS_POOL_THRESHOLD", 2)
    monkeypatch.setattr(points, "FRAMES", {})
    stats = render_charts(specs, tmp_path / "pool", tmp_path / "cache", workers=2)
    assert stats == ChartStats(rendered=len(specs), cached=0)
    for key, spec in specs.items():
        assert (tmp_path / "pool" / key).read_bytes() == render_svg(spec)


@pytest.mark.parametrize("key", ["../x.svg", "/abs.svg", "", "a//b.svg", "a/./b.svg", "a\\b.svg"])
def test_unsafe_keys_are_refused(tmp_path, key):
    with pytest.raises(ValueError):
        render_charts({key: school_spec()}, tmp_path / "out", None, workers=1)
    assert not (tmp_path / "out").exists()


def test_bad_spec_is_reported_with_its_key_before_anything_is_written(tmp_path):
    specs = many_specs(2)
    specs["bad/chart.svg"] = ChartSpec("x", "%", (2021, 2022), (Series("Школа", (1.0,)),))
    with pytest.raises(ValueError, match="bad/chart.svg"):
        render_charts(specs, tmp_path / "out", tmp_path / "cache", workers=1)
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- numbers & alt text

@pytest.mark.parametrize("value, unit, expected", [
    (75.5, "%", f"75,5{NBSP}%"),
    (80.0, "%", f"80{NBSP}%"),
    (80, "%", f"80{NBSP}%"),
    (1234.5, "чел.", f"1{NBSP}234,5{NBSP}чел."),
    (0.05, "%", f"0,1{NBSP}%"),  # float 0.05 is 0.05000000000000000277…; half-up on its repr
    (0.25, "%", f"0,3{NBSP}%"),
    (2.675, "%", f"2,7{NBSP}%"),
    (0.04, "%", f"0{NBSP}%"),
    (3, "обращений", f"3{NBSP}обращения"),  # the form the number selects: 1 обращение, 3 обращения, 5 обращений
    (1234567.0, "", f"1{NBSP}234{NBSP}567"),
    (999.96, "", f"1{NBSP}000"),
    (-3.25, "%", f"\u22123,3{NBSP}%"),
    (-0.04, "%", f"0{NBSP}%"),  # never "−0"
    (Decimal("12.35"), "%", f"12,4{NBSP}%"),
])
def test_format_number(value, unit, expected):
    assert format_number(value, unit) == expected


def test_format_number_refuses_non_finite():
    with pytest.raises(ValueError):
        format_number(float("inf"), "%")


def test_alt_text_gives_first_and_last_value_of_each_line():
    # Worked out by hand from school_spec(): the school's known years are 2020, 2021, 2023, 2024
    # (2022 is a gap), the participants' 2020, 2021, 2022, 2024; targets exist.
    assert alt_text(school_spec()) == (
        f"График «Доля выпускников, сдавших ЕГЭ по русскому языку»: Школа — 70{NBSP}% в 2020, 85{NBSP}% в 2024; "
        f"Участники программы — 60{NBSP}% в 2020, 70{NBSP}% в 2024. Цель — пунктир. "
        "Все значения — в таблице под графиком.")


def test_alt_text_of_one_value_and_of_an_empty_line():
    spec = ChartSpec("Обращения", "обращений", (2021, 2022),
                     (Series("Школа", (None, 1234.5)), Series("Все школы района", (None, None))))
    assert alt_text(spec) == (f"График «Обращения»: Школа — 1{NBSP}234,5{NBSP}обращения в 2022; "
                              "Все школы района — нет данных. Все значения — в таблице под графиком.")
