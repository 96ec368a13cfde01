"""Faults of real deployments: the output on another file system than the cache."""
from __future__ import annotations

import errno
import re
import os
import shutil
from pathlib import Path

import pytest

from generator.build.site import build_site

FIXTURE = Path(__file__).parent / "fixtures" / "mini"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_cache_on_another_file_system_is_copied_not_linked(tmp_path, monkeypatch):
    """os.link fails with EXDEV across file systems: the build copies instead, cold and warm alike."""
    monkeypatch.setenv("SHNOR_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    build_site(data, tmp_path / "linked", with_mkdocs=False, progress=False)

    def cross_device(source, target, *args, **kwargs):
        raise OSError(errno.EXDEV, "Invalid cross-device link", str(source), None, str(target))

    monkeypatch.setattr(os, "link", cross_device)
    (data / "results.csv").write_text((data / "results.csv").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    build_site(data, tmp_path / "copied", with_mkdocs=False, progress=False)  # a warm build: cached files
    assert tree(tmp_path / "copied") == tree(tmp_path / "linked")
    assert all(os.stat(p).st_nlink == 1 for p in (tmp_path / "copied").rglob("*") if p.is_file())


def test_utf16_files_get_the_way_to_re_save_them(tmp_path):
    """Excel's «Текст Юникод» is UTF-16: not «binary data», but how to save it again."""
    from conftest import run_cli

    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    schools = (data / "schools.csv").read_text(encoding="utf-8")
    (data / "schools.csv").write_bytes(schools.encode("utf-16"))  # with a BOM
    (data / "statuses.csv").write_bytes((data / "statuses.csv").read_text(encoding="utf-8").encode("utf-16-le"))
    (data / "site.yml").write_bytes((data / "site.yml").read_text(encoding="utf-8").encode("utf-16"))
    proc = run_cli("validate", "--project", str(data))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    for name in ("schools.csv", "statuses.csv", "site.yml"):
        assert f"  {name}:1: файл сохранён в кодировке UTF-16 («Текст Юникод»): сохраните его заново как «CSV UTF-8»" \
            in proc.stderr, name
    assert "двоичные данные" not in proc.stderr


def test_a_flood_of_errors_is_bounded_and_summed_up(tmp_path):
    """An undeclared measure on every row: 20 messages, then one line with the count (6 270 144 lines once)."""
    from conftest import run_cli

    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    rows = "".join(f"2023,6100000001,nosuch{i},1\n" for i in range(1234))
    (data / "results.csv").write_text("year,school,measure,value\n" + rows, encoding="utf-8")
    proc = run_cli("validate", "--project", str(data))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("  results.csv")]
    assert len(lines) == 21, lines[:3]
    assert "  results.csv: measure: … и ещё 1 214 таких ошибок (показаны первые 20)" in proc.stderr
    assert "Данные не прошли проверку: ошибок 1234." in proc.stderr


def test_the_cap_never_marks_a_bad_school_as_checked(tmp_path):
    """Past the cap problems are only counted; a shard with problems must still not be cached as valid."""
    from generator.cache.parsed_files import ParseCache
    from generator.errors import DataErrors
    from generator.load.validation import validate
    from generator.version import fingerprint

    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    good = (data / "results.csv").read_text(encoding="utf-8")
    flood = "".join(f"2023,6100000001,nosuch{i},1\n" for i in range(40))
    (data / "results.csv").write_text(good + flood + "2023,6100000002,nosuch,1\n", encoding="utf-8")
    cache = ParseCache(tmp_path / "parse", fingerprint().encode())
    for _ in range(2):  # the second run reads what the first one cached
        try:
            validate(data, cache)
            raise AssertionError("bad rows accepted")
        except DataErrors as err:
            assert any(p.line == 0 and "ещё" in p.message for p in err.problems)
            assert any("6100000002" in str(p) or "nosuch" in p.message for p in err.problems)


def test_russian_plural_of_the_summary():
    from generator.errors import _such_errors

    expected = {1: "такая ошибка", 2: "такие ошибки", 4: "такие ошибки", 5: "таких ошибок", 11: "таких ошибок",
                12: "таких ошибок", 21: "такая ошибка", 22: "такие ошибки", 111: "таких ошибок", 1214: "таких ошибок"}
    assert {n: _such_errors(n) for n in expected} == expected


def test_publishes_into_one_folder_run_one_at_a_time_and_clean_up_after_killed_ones(tmp_path, monkeypatch):
    import fcntl

    from conftest import run_cli

    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    dest = tmp_path / "www" / "site"
    dest.parent.mkdir()
    killed = dest.parent / ".site.publish-k1ll3d"  # what a killed publish leaves: a staging folder
    (killed / "site").mkdir(parents=True)
    (killed / "site" / "index.html").write_text("старый черновик", encoding="utf-8")
    monkeypatch.setenv("SHNOR_CACHE_DIR", str(tmp_path / "cache"))  # run_cli passes the environment on
    with open(dest.parent / ".site.publish.lock", "a+") as lock:  # another publish is running
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        try:
            busy = run_cli("publish", "--project", str(data), "--dest", str(dest), "--quiet")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    assert busy.returncode == 2 and "уже идёт другая публикация" in busy.stderr and "Traceback" not in busy.stderr
    assert not dest.exists() and killed.exists()  # refused before anything was touched
    done = run_cli("publish", "--project", str(data), "--dest", str(dest), "--quiet")
    assert done.returncode == 0, done.stderr
    assert (dest / "index.html").is_file() and not killed.exists()
    assert sorted(p.name for p in dest.parent.iterdir()) == [".site.publish.lock", "site"]


# A full disk and a read-only folder for real: tests/test_real_faults.py. Root, who runs the tests here,
# is never refused for rights, so that fault is simulated.
@pytest.mark.parametrize("code, words", [(errno.EACCES, "нет прав на запись"), (errno.EPERM, "нет прав на запись")])
def test_a_full_disk_or_a_read_only_folder_is_no_bug(tmp_path, monkeypatch, capsys, code, words):
    from generator import cli
    from generator.build import site as site_build

    def fails(*args, **kwargs):
        raise OSError(code, os.strerror(code), str(tmp_path / "out" / "index.html"))

    monkeypatch.setattr(site_build, "build_site", fails)
    assert cli.run(["build", "--project", str(FIXTURE), "--out", str(tmp_path / "out"), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert f"ошибка: {words} ({tmp_path / 'out' / 'index.html'})" in err and "прежний сайт не изменён" in err
    assert "Traceback" not in err and "Внутренняя ошибка" not in err


def test_mkdocs_out_of_disk_is_no_bug(monkeypatch, capsys, tmp_path):
    from generator import cli
    from generator.build import site as site_build
    from generator.errors import BuildFailed

    def fails(*args, **kwargs):
        raise BuildFailed("mkdocs build --strict завершился с ошибкой:\nOSError: [Errno 28] No space left on device")

    monkeypatch.setattr(site_build, "build_site", fails)
    assert cli.run(["build", "--project", str(FIXTURE), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "на диске нет места" in err and "ошибка генератора" not in err


def test_a_news_link_climbing_out_of_the_site_is_a_data_problem(tmp_path):
    from conftest import run_cli

    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    (data / "news").mkdir()
    (data / "news" / "2023-05-probe.md").write_text(
        "---\ntitle: Новость\ndate: 2023-05-01\nkind: новость\n---\n\nТекст.\n\n[Пароли](../../../../etc/passwd)\n",
        encoding="utf-8")
    proc = run_cli("build", "--project", str(data), "--out", str(tmp_path / "site"), "--no-mkdocs", "--quiet")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "  news/2023-05-probe.md:9: текст: недопустимая ссылка или картинка «../../../../etc/passwd»" in proc.stderr


def test_over_long_names_and_titles_are_refused(tmp_path):
    from generator.errors import DataErrors
    from generator.load.validation import validate

    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    schools = (data / "schools.csv").read_text(encoding="utf-8").splitlines()
    header, first = schools[0], schools[1].split(",")
    first[header.split(",").index("name")] = "Школа " + "о" * 10_000
    (data / "schools.csv").write_text("\n".join([header, ",".join(first), *schools[2:]]) + "\n", encoding="utf-8")
    programme = next((data / "programmes").glob("*.yml"))
    text = programme.read_text(encoding="utf-8")
    programme.write_text(re.sub(r"^title: .*$", "title: " + "П" * 600, text, count=1, flags=re.M), encoding="utf-8")
    with pytest.raises(DataErrors) as err:
        validate(data)
    found = {(p.file, p.field): p.message for p in err.value.problems}
    assert "допустимо не более 300" in found[("schools.csv", "name")]
    assert "допустимо не более 500" in found[(f"programmes/{programme.name}", "title")]


def flood_results(count: int) -> str:
    return "year,school,measure,value\n" + "".join(f"2023,6100000001,nosuch{i:07d},1\n" for i in range(count))


def test_a_results_file_near_the_size_limit_is_checked_in_bounded_memory(tmp_path, monkeypatch):
    """One school's 60,000 bad lines are turned into rows 1,000 at a time: the peak stays a few times the
    file, not the ~25 times that rows of the whole file at once took (6.9 GB for 200 MB once)."""
    import tracemalloc

    from generator.errors import DataErrors
    from generator.load import csv_files, shards
    from generator.load.validation import validate

    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    text = flood_results(60_000)
    (data / "results.csv").write_text(text, encoding="utf-8")
    monkeypatch.setattr(csv_files, "MAX_CSV_BYTES", len(text))  # exactly at the limit: read
    monkeypatch.setattr(shards, "PART_LINES", 1000)
    tracemalloc.start()
    try:
        with pytest.raises(DataErrors) as info:
            validate(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert any("… и ещё 59\u00a0980 таких ошибок" in p.message for p in info.value.problems)
    assert peak < 8 * len(text), (peak, len(text))
    (data / "results.csv").write_text(text + "2023,6100000001,x,1\n", encoding="utf-8")  # one line over
    with pytest.raises(DataErrors) as info:
        validate(data)
    assert [p.message for p in info.value.problems if p.file == "results.csv"] == [
        f"файл слишком большой ({len(text) + 20} байт), допустимо не более {len(text)}"]


def test_repeats_are_found_across_the_parts_of_a_school(tmp_path, monkeypatch):
    from generator.errors import DataErrors
    from generator.load import shards
    from generator.load.validation import validate

    monkeypatch.setattr(shards, "PART_LINES", 2)
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    rows = (data / "results.csv").read_text(encoding="utf-8")
    first = rows.splitlines()[1]
    (data / "results.csv").write_text(rows + first + "\n", encoding="utf-8")  # the repeat is parts apart
    with pytest.raises(DataErrors) as info:
        validate(data)
    assert [p.message for p in info.value.problems] == [
        f"повтор: {first.split(',')[0]}, школа {first.split(',')[1]}, {first.split(',')[2]} уже есть в строке 2"]


def test_a_broken_schools_file_is_the_first_and_only_cause_shown(tmp_path):
    """A NUL byte made schools.csv unreadable: once 89 errors, the cause 72nd; now the cause alone."""
    from conftest import run_cli

    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    lines = (data / "schools.csv").read_bytes().split(b"\n")
    lines[2] = lines[2][:3] + b"\x00" + lines[2][3:]
    (data / "schools.csv").write_bytes(b"\n".join(lines))
    proc = run_cli("validate", "--project", str(data))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    listed = [line.strip() for line in proc.stderr.splitlines() if line.startswith("  ")]
    assert [line.split(":")[0] for line in listed] == ["schools.csv", "schools.csv"], listed
    assert listed[1].startswith("schools.csv:3:") and "двоичные данные" in listed[1]
    assert "коды школ в других файлах пока не проверялись" in listed[0]


def test_the_base_files_problems_come_first():
    from generator.errors import DataErrors, DataProblem

    err = DataErrors([DataProblem("mentorships.csv", 2, "mentor", "не найдена"),
                      DataProblem("schools.csv", 7, "code", "повтор"), DataProblem("news/a.md", 1, "", "x"),
                      DataProblem("site.yml", 3, "as_of", "дата")])
    assert [p.file for p in err.problems] == ["site.yml", "schools.csv", "mentorships.csv", "news/a.md"]
