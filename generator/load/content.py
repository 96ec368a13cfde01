"""News, best practices (Markdown with front matter) and the documents register."""
from __future__ import annotations

import re
from pathlib import Path

from generator.errors import UTF16_HINT, Problems, is_data_file, is_utf16, read_limited
from generator.load.fields import Fields
from generator.model import DOCUMENT_KINDS, NEWS_KINDS, Document, Link, NewsItem, Practice, Source
from generator.load.documents import link
from generator.load.safe_markdown import refused_links, sanitize
from generator.load.yaml_files import MAX_YAML_BYTES, read_yaml_text

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")


def split_front_matter(path: Path, name: str, problems: Problems) -> tuple[object, str, int] | None:
    """(front matter, body, line where the body starts) of a Markdown file."""
    if not is_data_file(path, name, problems):
        return None
    raw = read_limited(path, name, MAX_YAML_BYTES, problems)
    if raw is None:
        return None
    if is_utf16(raw):
        problems.add(name, 1, "", UTF16_HINT)
        return None
    try:
        text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as err:
        problems.add(name, raw[: err.start].count(b"\n") + 1, "", "файл не в кодировке UTF-8: сохраните его как UTF-8")
        return None
    if "\x00" in text:
        problems.add(name, 1, "", "файл содержит двоичные данные, ожидался текст Markdown")
        return None
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.add(name, 1, "", "в начале файла ожидался блок свойств между строками «---»")
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        problems.add(name, 1, "", "блок свойств не закрыт строкой «---»")
        return None
    # Keep line numbers true to the file: pad the YAML with the opening line.
    header = read_yaml_text("\n" + "\n".join(lines[1:end]), name, problems)
    if header is None:
        return None
    return header, "\n".join(lines[end + 1:]), end + 2


def _slug(path: Path, name: str, problems: Problems) -> str | None:
    slug = path.stem
    if not SLUG.match(slug):
        problems.add(name, 0, "", f"имя файла становится адресом страницы: строчные латинские буквы, цифры и «-», "
                                  f"найдено «{slug[:40]}»")
        return None
    return slug


def _open(path: Path, name: str, problems: Problems) -> tuple[str, Fields, str, int] | None:
    """(slug, front matter fields, body, first body line) of a Markdown file with front matter."""
    parts = split_front_matter(path, name, problems)
    slug = _slug(path, name, problems)
    if parts is None or slug is None:
        return None
    header, body, body_line = parts
    f = Fields(header, name, problems)
    return (slug, f, body, body_line) if f.ok else None


def _body(body: str, first_line: int, name: str, problems: Problems) -> str:
    for url in refused_links(body):
        line = first_line + body[: body.find(url)].count("\n") if url in body else first_line
        problems.add(name, line, "текст", f"недопустимая ссылка или картинка «{url[:60]}»: разрешены ссылки "
                                          "http(s)://, mailto: и адреса внутри сайта от его корня (/indicators/), "
                                          "картинки — нет")
    return sanitize(body)


def news_item(path: Path, name: str, problems: Problems) -> NewsItem | None:
    opened = _open(path, name, problems)
    if opened is None:
        return None
    slug, f, body, body_line = opened
    f.only("title", "date", "kind", "event_date", "report_for", "schools", "roadmap_items", "documents", "practices")
    kind = f.text("kind", required=True)
    if kind and kind not in NEWS_KINDS:
        f.error("kind", f"ожидалось одно из: {', '.join(NEWS_KINDS)}; найдено «{kind[:20]}»")
    event_date = f.date("event_date")
    if kind in ("анонс", "отчёт") and event_date is None and not f.has("event_date"):
        f.error("event_date", "для анонса и отчёта нужна дата мероприятия (event_date)")
    title, when = f.text("title", required=True), f.date("date", required=True)
    text = _body(body, body_line, name, problems)
    if not title or when is None or kind not in NEWS_KINDS:
        return None
    return NewsItem(slug, title, when, kind, text, event_date, f.text("report_for"), f.texts("schools"),
                    f.texts("roadmap_items"), f.texts("documents"), f.texts("practices"), Source(name, 1))


def practice(path: Path, name: str, problems: Problems) -> Practice | None:
    opened = _open(path, name, problems)
    if opened is None:
        return None
    slug, f, body, body_line = opened
    f.only("title", "school", "topic", "date", "materials", "schools")
    materials = []
    for m in f.items("materials"):
        if not m.ok:
            continue
        m.only("title", "url", "document")
        url, document = link(m, "url"), m.text("document")
        if bool(url) == bool(document):
            m.error("url", "укажите либо url, либо document (код документа)")
            continue
        materials.append(Link(m.text("title", required=True), url, document))
    title, school, topic, when = (f.text("title", required=True), f.text("school", required=True),
                                  f.text("topic", required=True), f.date("date", required=True))
    text = _body(body, body_line, name, problems)
    if not (title and school and topic and when):
        return None
    return Practice(slug, title, school, topic, when, text, tuple(materials), f.texts("schools"), Source(name, 1))


def documents(doc: object, data_dir: Path, problems: Problems) -> list[Document]:
    name = "documents.yml"
    if not isinstance(doc, list):
        problems.add(name, getattr(doc, "line", 1), "", "ожидался список документов («- code: …» для каждого)")
        return []
    out: list[Document] = []
    seen: dict[str, int] = {}
    root = data_dir.resolve()
    for f in Fields({"documents": doc}, name, problems).items("documents"):
        if not f.ok:
            continue
        f.where = f"документ {f.doc.get('code', '?')}"
        f.only("code", "kind", "title", "number", "date", "file", "url")
        code = f.text("code", required=True)
        if code and not SLUG.match(code):
            f.error("code", f"код документа: строчные латинские буквы, цифры и «-», найдено «{code[:40]}»")
            continue
        kind = f.text("kind", required=True)
        if kind and kind not in DOCUMENT_KINDS:
            f.error("kind", f"ожидалось одно из: {', '.join(DOCUMENT_KINDS)}; найдено «{kind[:30]}»")
        file, url = f.text("file"), link(f, "url")
        size = 0
        if bool(file) == bool(url):
            f.error("file", "укажите либо file (файл в папке данных), либо url (ссылку)")
            continue
        if file:
            size = _check_file(f, root, file)
            if size < 0:
                continue
        if code in seen:
            f.error("code", f"код документа «{code}» повторяется (уже есть в строке {seen[code]})")
            continue
        seen[code] = f.line
        title = f.text("title", required=True)
        if code and title and kind in DOCUMENT_KINDS:
            out.append(Document(code, kind, title, f.text("number"), f.date("date"), file, url, size,
                                Source(name, f.line)))
    return out


def _check_file(f: Fields, root: Path, file: str) -> int:
    """Size of a document file inside the data folder; -1 (and a problem) when it is not acceptable."""
    relative = Path(file)
    if relative.is_absolute() or ".." in relative.parts or "\\" in file:
        f.error("file", f"путь «{file[:60]}» ведёт за пределы папки данных: укажите путь внутри неё, например files/приказ.pdf")
        return -1
    path = root / relative
    if path.is_symlink() or any(p.is_symlink() for p in path.parents if root in p.parents or p == root):
        f.error("file", f"«{file[:60]}» — символическая ссылка: положите в папку данных сам файл")
        return -1
    if not path.is_file():
        f.error("file", f"файл «{file[:60]}» не найден в папке данных")
        return -1
    if path.resolve().parent != root and root not in path.resolve().parents:
        f.error("file", f"путь «{file[:60]}» ведёт за пределы папки данных")
        return -1
    if path.stat().st_nlink > 1:  # a hard link can be any file of the machine (the password file was tried)
        f.error("file", f"«{file[:60]}» — жёсткая ссылка на другой файл (возможно, вне папки данных): положите в папку "
                        f"данных обычную копию файла")
        return -1
    return path.stat().st_size
