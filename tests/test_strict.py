"""mkdocs --strict really fails the build (MkDocs 1.6 ignores --strict under --quiet)."""
import shutil
from pathlib import Path

import pytest

from generator.build import site as site_build
from generator.errors import BuildFailed

FIXTURE = Path(__file__).parent / "fixtures" / "mini"


def test_dead_link_fails_the_build_and_keeps_the_old_site(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(site_build.CONTENT, content)
    about = content / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[нет такой страницы](no-such-page.md)\n", encoding="utf-8")
    monkeypatch.setattr(site_build, "CONTENT", content)
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("прежний сайт", encoding="utf-8")
    with pytest.raises(BuildFailed, match="no-such-page.md"):
        site_build.build_site(FIXTURE, out, progress=False)
    assert (out / "index.html").read_text(encoding="utf-8") == "прежний сайт"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]
