"""Lighthouse (mobile profile) on the home page, a school page and an indicator page.

The site is served by site_tests/server.py, which sends the build's precompressed .gz copies as
nginx `gzip_static` does, so the transfer sizes are those of real hosting. Lighthouse's default
mobile profile: a mid-range phone (4× slower CPU than this machine, simulated), slow 4G.

Performance depends on the machine's momentary load, so each page is measured RUNS times, the
runs of the three pages interleaved, and the median is what must reach PERFORMANCE (Lighthouse's
own advice for a noisy environment is the median of several runs). Accessibility, best practices
and SEO do not depend on timing: every run must score 100.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
from pathlib import Path

import pytest

from site_tests.conftest import page_path
from site_tests.server import serving

HERE = Path(__file__).resolve().parent
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
PAGES = ("home", "school", "indicator")
RUNS = 3
PERFORMANCE = 95
FULL_MARKS = ("accessibility", "best-practices", "seo")


def lighthouse(url: str, out: Path) -> dict:
    assert LIGHTHOUSE.exists(), f"{LIGHTHOUSE} is missing: run `bash site_tests/install.sh` (make browser)"
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    proc = subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
        env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and out.exists(), \
        f"lighthouse {url} failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    report = json.loads(out.read_text(encoding="utf-8"))
    assert not report.get("runtimeError"), f"lighthouse {url}: {report['runtimeError']}"
    return report


@pytest.fixture(scope="module")
def reports(site_dir, page_paths, tmp_path_factory) -> dict[str, list[dict]]:
    paths = {kind: page_path(page_paths, kind) for kind in PAGES}
    folder = tmp_path_factory.mktemp("lighthouse")
    found: dict[str, list[dict]] = {kind: [] for kind in PAGES}
    with serving(site_dir) as base:
        for run in range(RUNS):
            for kind, path in paths.items():
                found[kind].append(lighthouse(base + path, folder / f"{kind}-{run}.json"))
    return found


def score(report: dict, category: str) -> int:
    return round(report["categories"][category]["score"] * 100)


def describe(report: dict) -> str:
    audits = report["audits"]
    return (f"{score(report, 'performance')} (FCP {audits['first-contentful-paint']['displayValue']}, "
            f"LCP {audits['largest-contentful-paint']['displayValue']}, "
            f"TBT {audits['total-blocking-time']['displayValue']}, "
            f"CLS {audits['cumulative-layout-shift']['displayValue']}; "
            f"machine benchmark {report['environment']['benchmarkIndex']:.0f})")


@pytest.mark.parametrize("kind", PAGES)
def test_the_page_is_served_compressed(reports, kind):
    """The measurement is of compressed hosting: the HTML document arrives gzipped."""
    report = reports[kind][0]
    document = next(item for item in report["audits"]["network-requests"]["details"]["items"]
                    if item["resourceType"] == "Document")
    assert document["transferSize"] < 0.5 * document["resourceSize"], \
        f"{document['url']}: {document['transferSize']} bytes sent for {document['resourceSize']}: not compressed"


@pytest.mark.parametrize("kind", PAGES)
def test_performance_on_a_phone(reports, kind):
    runs = reports[kind]
    median = statistics.median(score(r, "performance") for r in runs)
    assert median >= PERFORMANCE, \
        f"{runs[0]['finalDisplayedUrl']}: median performance {median} < {PERFORMANCE}; runs: " + \
        "; ".join(describe(r) for r in runs)


@pytest.mark.parametrize("kind", PAGES)
def test_accessibility_best_practices_and_seo_score_100(reports, kind):
    failures = []
    for report in reports[kind]:
        for category in FULL_MARKS:
            if score(report, category) == 100:
                continue
            failed = [ref["id"] for ref in report["categories"][category]["auditRefs"]
                      if ref.get("weight") and (report["audits"][ref["id"]].get("score") or 0) < 1]
            failures.append(f"{category} {score(report, category)}: {', '.join(failed)}")
    assert not failures, f"{reports[kind][0]['finalDisplayedUrl']}: " + "; ".join(sorted(set(failures)))
