"""Material's search finds a school by its short name and Russian word forms."""

from __future__ import annotations

from urllib.parse import urlsplit

from .conftest import page_path
from .htmlcheck import file_for, main_content, resolve_internal

SHORT_NAME_HEADER_WORDS = ("кратк", "сокращ")  # «Краткое название», «Сокращённое наименование»


def school_from_index(site, page_paths) -> tuple[str, str]:
    """(short name, URL path) of the first school in the schools index table.

    The short name is the cell of a column whose header says «кратк…»/«сокращ…»,
    otherwise the text of the link to the school page.
    """
    index_path = page_path(page_paths, "schools")
    doc = site.doc(file_for(site.site_dir, index_path))
    for table in main_content(doc).find_all("table"):
        headers = [th.text().lower() for th in table.find_all("th")]
        short_col = next((i for i, h in enumerate(headers) if any(w in h for w in SHORT_NAME_HEADER_WORDS)), None)
        for row in table.find_all("tr"):
            cells = [c for c in row.children if not isinstance(c, str) and c.tag == "td"]
            if not cells:
                continue
            for a in row.find_all("a"):
                resolved = resolve_internal(a.attrs.get("href", ""), index_path, site.base)
                if resolved and resolved[0].startswith("/schools/") and resolved[0] != "/schools/":
                    name = cells[short_col].text() if short_col is not None and short_col < len(cells) else a.text()
                    if name:
                        return name, resolved[0]
    raise AssertionError(f"{index_path}: no table row linking a school page (/schools/<code>/) with a name")


def search(visit, query: str) -> list[str]:
    """Type the query into Material's search; return URL paths#fragments of the results shown."""
    page = visit.page
    box = page.locator("input.md-search__input")
    assert box.count() == 1, f"{visit.url_path()}: Material's search field (input.md-search__input) not found"
    if not box.is_visible():
        page.locator('label[for="__search"]').first.click()
    box.click()
    # type() sends no keyup for Cyrillic, which Material listens to: fill, then a real key press.
    box.fill(query)
    box.press("End")
    try:
        page.wait_for_function(
            """() => document.querySelectorAll('.md-search-result__list a.md-search-result__link').length > 0
                   || /не найдено|ничего|no match/i.test(document.querySelector('.md-search-result__meta')?.textContent || '')""",
            timeout=15_000,
        )
    except Exception:  # noqa: BLE001 - the caller's assertion reports the empty result
        pass
    page.wait_for_timeout(300)
    hrefs = page.evaluate("() => [...document.querySelectorAll('.md-search-result__list a.md-search-result__link')].map(a => a.href)")
    return [urlsplit(h).path + (f"#{urlsplit(h).fragment}" if urlsplit(h).fragment else "") for h in hrefs]


def meta_text(visit) -> str:
    return visit.page.evaluate("() => document.querySelector('.md-search-result__meta')?.textContent.trim() || ''")


def test_search_finds_school_by_short_name(open_page, site, page_paths):
    name, school = school_from_index(site, page_paths)
    visit = open_page("desktop")
    visit.goto("/")
    results = search(visit, name)
    paths = [r.split("#")[0] for r in results]
    assert school in paths, (
        f"search for the school's short name «{name}» did not show its page {school}; "
        f"results ({meta_text(visit)!r}): {results[:15]}"
    )


def test_search_finds_russian_word_form(open_page, site):
    """«наставника» (genitive) must find the mentors page, which says «наставник…»."""
    mentors = file_for(site.site_dir, "/mentors/")
    assert mentors is not None, "/mentors/ does not exist"
    assert "наставник" in main_content(site.doc(mentors)).text().lower(), "/mentors/ does not contain «наставник»"
    visit = open_page("desktop")
    visit.goto("/")
    results = search(visit, "наставника")
    paths = [r.split("#")[0] for r in results]
    assert "/mentors/" in paths, (
        "search for the word form «наставника» did not find the mentors page /mentors/ "
        f"(Russian stemming of the index and the query is needed); results ({meta_text(visit)!r}): {results[:15]}"
    )


def test_search_index_is_fetched_only_when_search_is_opened(open_page, site, page_paths, width):
    """A reader who never searches never downloads the index (search-lazy.js); opening search
    fetches it once and finds the school."""
    name, school = school_from_index(site, page_paths)
    visit = open_page(width)
    asked: list[str] = []
    visit.page.on("request", lambda r: asked.append(r.url) if "search_index" in r.url else None)
    visit.goto(page_path(page_paths, "school"))
    visit.page.wait_for_load_state("networkidle")
    visit.page.mouse.wheel(0, 600)  # reading the page is not searching
    visit.page.wait_for_timeout(500)
    assert asked == [], f"the search index was requested before search was opened: {asked}"
    visit.page.evaluate("window.scrollTo(0, 0)")
    button = visit.page.locator('label.md-header__button[for="__search"]')
    if button.is_visible():  # a phone: the header's search button, as a reader taps it
        button.click()
    results = search(visit, name)
    assert len(asked) == 1 and asked[0].endswith("/search/search_index.json"), asked
    assert school in [r.split("#")[0] for r in results], f"«{name}»: {results[:10]}"


def school_pages(site) -> list[tuple[str, str, str]]:
    """(URL path, full name from h1, district from «Район: …») of a few school pages: the first,
    the middle and the last by code (redirects from old codes left out)."""
    folder = site.site_dir / "schools"
    pages = sorted(p for p in folder.glob("*/index.html")
                   if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")[:1000])
    assert pages, f"no school pages under {folder}"
    found = []
    for page in {pages[0], pages[len(pages) // 2], pages[-1]}:
        content = main_content(site.doc(page))
        h1 = content.find("h1")
        text = content.text()
        district = text.split("Район: ", 1)[1].split(".", 1)[0].strip() if "Район: " in text else ""
        found.append((f"/schools/{page.parent.name}/", h1.text().strip() if h1 else "", district))
    return sorted(found)


def test_search_finds_a_school_by_full_name_and_by_code(open_page, site):
    """School pages are kept out of Material's parsing; each school has an entry of its own
    (generator/render/search_entries.py): its name, short name, district and code."""
    visit = open_page("desktop")
    visit.goto("/")
    failures = []
    for path, name, _ in school_pages(site):
        code = path.strip("/").split("/")[-1]
        for query in (name, code):
            results = [r.split("#")[0] for r in search(visit, query)]
            if path not in results:
                failures.append(f"«{query}» → {results[:8]} ({meta_text(visit)!r}), not {path}")
    assert not failures, "search did not find the school:\n" + "\n".join(failures)


def test_search_finds_schools_by_district(open_page, site):
    visit = open_page("desktop")
    visit.goto("/")
    failures = []
    for path, _, district in school_pages(site):
        if not district:
            continue
        results = [r.split("#")[0] for r in search(visit, district)]
        if not any(r.startswith("/schools/") and r != "/schools/" for r in results):
            failures.append(f"«{district}» ({path}) → {results[:8]}")
    assert not failures, "search by a district showed no school of it:\n" + "\n".join(failures)
