"""Command line: Russian messages and documented exit codes (0 ok, 1 internal, 2 bad input)."""
import re

from conftest import run_cli


def test_missing_command_is_bad_input():
    proc = run_cli()
    assert proc.returncode == 2
    assert "не указаны обязательные параметры" in proc.stderr and "Справка" in proc.stderr


def test_unknown_option_is_bad_input():
    proc = run_cli("build", "--bogus")
    assert proc.returncode == 2 and "неизвестные параметры: --bogus" in proc.stderr


def test_missing_data_folder_is_bad_input(tmp_path):
    proc = run_cli("validate", "--data", str(tmp_path / "none"))
    assert proc.returncode == 2
    assert "папка с данными не найдена" in proc.stderr and "Traceback" not in proc.stderr


def test_out_is_a_file(tmp_path):
    out = tmp_path / "site"
    out.write_text("не папка", encoding="utf-8")
    proc = run_cli("build", "--data", "tests/fixtures/mini", "--out", str(out), "--no-mkdocs", "--quiet")
    assert proc.returncode == 2 and "это не папка" in proc.stderr
    assert out.read_text(encoding="utf-8") == "не папка"


def test_help_is_russian():
    proc = run_cli("--help")
    assert proc.returncode == 0
    assert proc.stdout.startswith("использование:") and not re.search(r"\b(usage|options|show this)\b", proc.stdout)


def _mini_copy(tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree("tests/fixtures/mini", data)
    return data


def test_anything_that_is_not_a_file_is_a_data_problem(tmp_path):
    """A folder where a data file is expected: every one is reported with its path, exit 2, no traceback."""
    data = _mini_copy(tmp_path)
    for name in ("news/oops.md", "practices/oops.md", "programmes/oops.yml", "indicators.yml", "results.csv",
                 "measures.csv"):
        target = data / name
        if target.is_file():
            target.unlink()
        target.mkdir(parents=True)
    (data / "roadmaps").mkdir(exist_ok=True)
    (data / "roadmaps" / "link.yml").symlink_to(data / "site.yml")
    out = tmp_path / "site"
    proc = run_cli("build", "--data", str(data), "--out", str(out), "--no-mkdocs", "--quiet")
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    for name in ("news/oops.md", "practices/oops.md", "programmes/oops.yml", "indicators.yml", "results.csv",
                 "measures.csv"):
        assert f"  {name}: ожидался файл, а это папка" in proc.stderr, name
    assert "  roadmaps/link.yml: символические ссылки (symlink) не принимаются" in proc.stderr
    assert not out.exists()  # nothing written


def test_required_file_that_is_a_folder(tmp_path):
    data = _mini_copy(tmp_path)
    (data / "schools.csv").unlink()
    (data / "schools.csv").mkdir()
    proc = run_cli("validate", "--data", str(data))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "  schools.csv: ожидался файл, а это папка" in proc.stderr
    assert "обязательный файл отсутствует" not in proc.stderr
