"""Precompressed copies (generator/build/precompress.py) and the local server that sends them
(site_tests/server.py): real files, a real build of the mini fixture with MkDocs, real HTTP."""
from __future__ import annotations

import gzip
import hashlib
import http.client
import io
import json
import os
import re
import shutil
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import generator.build.precompress as pc
from generator.build.archive import tree_hashes
from generator.build.site import build_site
from generator.cli import _parser
from generator.release.publish import check_site, publish
from generator.release.snapshot import freeze
from site_tests.server import accepts_gzip, serving

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


def text(n: int, seed: str = "") -> bytes:
    """Compressible text of about n bytes."""
    line = f"<p class=\"row\">Школа № {seed} — показатель, значение, цель</p>\n".encode()
    return (line * (n // len(line) + 1))[:n]


def make_site(root: Path) -> Path:
    files = {
        "index.html": text(20_000, "1"), "assets/site.css": text(5_000, "css"), "assets/app.js": text(3_000, "js"),
        "search/search_index.json": text(40_000, "json"), "charts/a.svg": text(2_000, "svg"),
        "sitemap.xml": text(4_000, "xml"), "data/indicators.csv": text(9_000, "csv"), "robots.txt": text(1_500, "t"),
        "site.webmanifest": text(1_200, "m"), "schools/1/index.html": text(8_000, "2"),
        "small.html": text(500, "s"),  # under MIN_SIZE
        "assets/random.js": os.urandom(4_000),  # compresses to more than it is
        "images/photo.png": text(5_000, "png"),  # not a text type, however it compresses
        "files/report.csv": text(6_000, "r"),
        "archive/index.html": text(3_000, "archive page"),  # the current site's «Архив» page
        "archive/2022/index.html": text(3_000, "frozen"),  # a frozen year: published exactly as frozen
    }
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    (root / "files" / "report.csv.gz").write_bytes(gzip.compress(b"the department's own archive"))  # not ours
    (root / "linked.html").symlink_to(root / "index.html")
    return root


COPIED = {"index.html", "assets/site.css", "assets/app.js", "search/search_index.json", "charts/a.svg", "sitemap.xml",
          "data/indicators.csv", "robots.txt", "site.webmanifest", "schools/1/index.html", "archive/index.html"}


def copies(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.gz"))}


def test_every_compressible_file_gets_a_copy_that_gunzips_to_it(tmp_path):
    site = make_site(tmp_path / "site")
    stats = pc.precompress(site)
    made = copies(site)
    assert set(made) == {f"{name}.gz" for name in COPIED} | {"files/report.csv.gz"}
    for name in COPIED:
        source = (site / name).read_bytes()
        assert gzip.decompress(made[f"{name}.gz"]) == source
        assert len(made[f"{name}.gz"]) < len(source)
    # skipped: small, incompressible, not a text type, a symlink, an X.gz already there, an archived year
    assert gzip.decompress((site / "files" / "report.csv.gz").read_bytes()) == b"the department's own archive"
    assert stats.files == len(COPIED) and stats.reused == 0
    assert stats.skipped == 3  # small.html, random.js, report.csv (its .gz was there)
    assert stats.source_bytes == sum((site / n).stat().st_size for n in COPIED)
    assert stats.gzip_bytes == sum(len(made[f"{n}.gz"]) for n in COPIED)
    assert "файлов 11" in str(stats)


def test_copies_are_deterministic_gzip_level_9_with_mtime_0(tmp_path, monkeypatch):
    one, two = make_site(tmp_path / "one"), make_site(tmp_path / "two")
    for name in ("assets/random.js",):  # the same bytes in both trees
        (two / name).write_bytes((one / name).read_bytes())
    pc.precompress(one, workers=1)
    monkeypatch.setattr(pc, "PARALLEL_MIN", 0)  # the same through two forked processes
    pc.precompress(two, workers=2)
    assert copies(one) == copies(two)
    data = (one / "index.html").read_bytes()
    copy = (one / "index.html.gz").read_bytes()
    assert copy[:4] == b"\x1f\x8b\x08\x00" and copy[4:8] == b"\0\0\0\0"  # gzip, deflate, no name, mtime 0
    assert copy[8] == 2  # XFL: best compression
    assert copy[10:-8] == zlib.compress(data, 9, wbits=-15)  # level 9
    assert gzip.GzipFile(fileobj=io.BytesIO(copy)).read() == data and copy == pc.gzip_bytes(data)


def test_a_warm_build_reuses_the_copies_of_unchanged_files(tmp_path):
    cache = tmp_path / "cache"
    cold = make_site(tmp_path / "cold")
    first = pc.precompress(cold, cache)
    assert first.reused == 0 and (cache / pc.PACK).is_file()
    warm = make_site(tmp_path / "warm")
    (warm / "assets/random.js").write_bytes((cold / "assets/random.js").read_bytes())
    (warm / "index.html").write_bytes(text(20_000, "changed"))
    second = pc.precompress(warm, cache)
    assert second.files == first.files and second.reused == first.files - 1  # index.html compressed again
    assert gzip.decompress((warm / "index.html.gz").read_bytes()) == text(20_000, "changed")
    fresh = make_site(tmp_path / "fresh")
    (fresh / "assets/random.js").write_bytes((cold / "assets/random.js").read_bytes())
    (fresh / "index.html").write_bytes(text(20_000, "changed"))
    pc.precompress(fresh)
    assert copies(warm) == copies(fresh)  # reused or compressed: the same bytes


def test_a_damaged_or_foreign_pack_is_not_trusted(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    pc.precompress(make_site(tmp_path / "a"), cache)
    pack = cache / pc.PACK
    damaged = bytearray(pack.read_bytes())
    damaged[-100] ^= 0xFF  # inside the last copy: its digest no longer matches
    pack.write_bytes(bytes(damaged))
    b = make_site(tmp_path / "b")
    stats = pc.precompress(b, cache)
    assert stats.reused == stats.files - 1
    reference = make_site(tmp_path / "reference")
    for name in ("assets/random.js",):
        (b / name).unlink()
        (reference / name).unlink()
    pc.precompress(reference)
    assert copies(b) == copies(reference)
    pack.write_bytes(b"not a pack at all")
    assert pc.precompress(make_site(tmp_path / "c"), cache).reused == 0
    pc.precompress(make_site(tmp_path / "d"), cache)
    monkeypatch.setattr(pc, "_TAG", "gzip level 9, another zlib")  # copies made by another zlib: not reused
    assert pc.precompress(make_site(tmp_path / "e"), cache).reused == 0


def test_check_finds_copies_that_do_not_match(tmp_path):
    site = make_site(tmp_path / "site")
    pc.precompress(site)
    assert [p for p in pc.check(site) if "report.csv" not in p] == []
    assert any(p.startswith("files/report.csv.gz:") for p in pc.check(site))  # a server would send it for report.csv
    (site / "files" / "report.csv.gz").unlink()
    (site / "assets" / "site.css.gz").write_bytes(pc.gzip_bytes(b"stale"))
    (site / "assets" / "app.js.gz").write_bytes(b"\x1f\x8b broken")
    (site / "data" / "only.tar.gz").write_bytes(b"a document without a sibling: not checked")
    (site / "archive" / "2022" / "index.html.gz").write_bytes(b"frozen years are checked by their manifest")
    assert sorted(p.split(":")[0] for p in pc.check(site)) == ["assets/app.js.gz", "assets/site.css.gz"]


# --- a real build of the mini fixture, with MkDocs and a frozen year ---------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("precompress")
    saved = os.environ.get("SHNOR_CACHE_DIR")
    os.environ["SHNOR_CACHE_DIR"] = str(root / "cache")
    try:
        shutil.copytree(MINI, root / "data")
        freeze(root / "data", 2022, progress=False)
        publish(root / "data", root / "www" / "site", progress=False)  # cold: checks the site, copies included
        build_site(root / "data", root / "warm", progress=False)  # warm: the copies come from the pack
        build_site(root / "data", root / "plain", progress=False, precompress=False)
    finally:
        if saved is None:
            os.environ.pop("SHNOR_CACHE_DIR", None)
        else:
            os.environ["SHNOR_CACHE_DIR"] = saved
    return root


def test_a_published_build_has_copies_and_passes_the_checks(built):
    site = built / "www" / "site"
    assert check_site(site)[0] == []
    for name in ("index.html", "404.html", "search/search_index.json", "data/indicators.csv", "feed.xml",
                 "archive/index.html"):
        assert gzip.decompress((site / f"{name}.gz").read_bytes()) == (site / name).read_bytes(), name
    pages = [p for p in site.rglob("*.html") if "2022" not in p.relative_to(site).parts]
    assert all(p.with_name(p.name + ".gz").is_file() for p in pages if p.stat().st_size >= pc.MIN_SIZE)
    assert any(site.glob("assets/stylesheets/*.css.gz")) and any(site.glob("assets/javascripts/*.js.gz"))
    assert any(site.glob("charts/**/*.svg.gz"))
    # The frozen year is published exactly as its manifest lists it: no copies made there.
    manifest = json.loads((built / "data" / "archive" / "2022" / "manifest.json").read_text(encoding="utf-8"))
    published = tree_hashes(site / "archive" / "2022")
    published.pop("manifest.json")
    assert published == {k[len("site/"):]: v for k, v in manifest["files"].items() if k.startswith("site/")}
    assert not [k for k in manifest["files"] if k.endswith(".gz") and not k.endswith("sitemap.xml.gz")]


def test_warm_and_cold_builds_are_byte_identical(built):
    cold, warm = tree_hashes(built / "www" / "site"), tree_hashes(built / "warm")
    assert cold == warm
    assert sum(1 for name in cold if name.endswith(".gz")) > 40


def test_without_precompress_only_the_copies_are_missing(built):
    cold, plain = tree_hashes(built / "www" / "site"), tree_hashes(built / "plain")
    mkdocs_own = {name for name in plain if name.endswith(".gz")}
    assert mkdocs_own and all(name.endswith("sitemap.xml.gz") for name in mkdocs_own)  # MkDocs writes it itself
    assert {k: v for k, v in cold.items() if not k.endswith(".gz") or k in mkdocs_own} == plain
    for command in (["build"], ["publish", "--dest", "x"]):
        assert _parser().parse_args(command).precompress is True
        assert _parser().parse_args([*command, "--no-precompress"]).precompress is False


# --- the local server: like nginx gzip_static on ---------------------------------------------------------

def request(base: str, path: str, encoding: str | None, method: str = "GET"):
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    headers = {"Accept-Encoding": encoding} if encoding is not None else {}
    connection.request(method, path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def test_server_sends_the_copy_when_gzip_is_accepted(tmp_path):
    site = make_site(tmp_path / "site")
    pc.precompress(site)
    page, css = (site / "index.html").read_bytes(), (site / "assets" / "site.css").read_bytes()
    with serving(site) as base:
        response, body = request(base, "/", "gzip, deflate, br")
        assert response.status == 200 and response.getheader("Content-Encoding") == "gzip"
        assert response.getheader("Vary") == "Accept-Encoding"
        assert response.getheader("Content-Type") == "text/html"
        assert int(response.getheader("Content-Length")) == len(body) < len(page)
        assert gzip.decompress(body) == page
        response, body = request(base, "/assets/site.css?v=1", "gzip")
        assert response.getheader("Content-Type") == "text/css" and gzip.decompress(body) == css
        response, body = request(base, "/charts/a.svg", "x-gzip")
        assert response.getheader("Content-Type") == "image/svg+xml" and response.getheader("Content-Encoding") == "gzip"

        for encoding in (None, "", "identity", "br", "gzip;q=0", "*;q=0", "br, *;q=0.1, gzip;q=0"):
            response, body = request(base, "/index.html", encoding)
            assert response.status == 200 and body == page, encoding
            assert response.getheader("Content-Encoding") is None
            assert response.getheader("Vary") == "Accept-Encoding"  # a cache must keep both answers apart
            assert response.getheader("Content-Type") == "text/html"

        response, body = request(base, "/schools/1/", "gzip", method="HEAD")
        assert response.status == 200 and body == b"" and response.getheader("Content-Encoding") == "gzip"
        assert int(response.getheader("Content-Length")) == (site / "schools/1/index.html.gz").stat().st_size
        response, body = request(base, "/schools/1/", None, method="HEAD")
        assert response.getheader("Content-Encoding") is None
        assert int(response.getheader("Content-Length")) == (site / "schools/1/index.html").stat().st_size

        response, body = request(base, "/small.html", "gzip")  # no copy: the file, and no Vary
        assert body == (site / "small.html").read_bytes() and response.getheader("Content-Encoding") is None
        assert response.getheader("Vary") is None
        response, _ = request(base, "/schools/1", "gzip")
        assert response.status == 301 and response.getheader("Location") == "/schools/1/"
        response, _ = request(base, "/missing.html", "gzip")
        assert response.status == 404


def test_accept_encoding_is_read_with_its_weights():
    assert accepts_gzip("gzip") and accepts_gzip("deflate, GZIP;q=0.5") and accepts_gzip("*")
    assert accepts_gzip("br;q=1.0, gzip;q=0.8, *;q=0.1")
    assert not accepts_gzip(None) and not accepts_gzip("") and not accepts_gzip("br, deflate")
    assert not accepts_gzip("gzip;q=0") and not accepts_gzip("gzip;q=0.000, *") and not accepts_gzip("*;q=0")
    assert not accepts_gzip("gzip;q=bad")


def test_server_sends_the_built_home_page_compressed(built):
    site = built / "www" / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assets = sorted(set(re.findall(r'(?:href|src)="(assets/[^"?#]+\.(?:css|js))"', home)))
    assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets)
    with serving(site) as base:
        for path in ["", *assets]:
            response, body = request(base, f"/{path}", "gzip, deflate")
            assert response.status == 200 and response.getheader("Content-Encoding") == "gzip", path
            assert hashlib.sha256(gzip.decompress(body)).digest() == \
                hashlib.sha256((site / (path or "index.html")).read_bytes()).digest()
