"""Jinja2 filters that put data text into Markdown as text, never as markup."""
from __future__ import annotations

import html
import json
import re
from datetime import date
from decimal import Decimal


from generator import russian
from generator.numbers import ru, signed_ru
from generator.urls import safe_url

# Characters that start Markdown or HTML constructs inline; escaped with a backslash.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|-])")
_ORDERED = re.compile(r"^(\d+)\.(?=\s|$)")


def text(value: object) -> str:
    """Inline text: HTML-escaped, Markdown specials escaped, whitespace folded to one line."""
    if value is None:
        return ""
    folded = " ".join(str(value).split())
    escaped = html.escape(folded, quote=False)  # quotes are harmless in text; Markdown escapes attributes
    # '&' entities stay as they are; escape Markdown punctuation so '[x](javascript:…)' stays text.
    escaped = _MD_SPECIAL.sub(r"\\\1", escaped)
    # «2. Направление …» as written: not an ordered list, which Markdown would renumber from 1.
    return _ORDERED.sub(r"\1\\.", escaped)


def meta_title(value: object) -> str:
    """Front-matter title, a YAML string holding escaped HTML.

    Material prints page.meta.title verbatim into <title> and the header, while its fallback
    (`page.title | striptags`) unescapes entities; an escaped meta title is shown as text in both.
    """
    folded = " ".join(str(value or "").split())
    return json.dumps(html.escape(folded, quote=False), ensure_ascii=False)


def snippet(value: object) -> str:
    """Text inside an HTML snippet shown in a fenced code block: escaped, no backticks."""
    return html.escape(" ".join(str(value or "").split()), quote=True).replace("`", "&#96;")


def paragraphs(value: object) -> str:
    """Multi-paragraph text: blank lines separate paragraphs; each paragraph is inline text."""
    if not value:
        return ""
    parts = re.split(r"\n\s*\n", str(value).strip())
    return "\n\n".join(text(p) for p in parts if p.strip())


def link(label: object, url: str | None) -> str:
    """A Markdown link when the target is safe (http(s), mailto, site-relative), plain text otherwise."""
    shown = text(label)
    if not url or not safe_url(url):
        return shown
    target = url.strip().replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    return f"[{shown}]({target})"


def html_text(value: object) -> str:
    """Inline text inside HTML the generator writes itself (pass-through blocks,
    render/html_tables.py): escaped as Python-Markdown escapes text, whitespace folded."""
    return html.escape(" ".join(str(value or "").split()), quote=False)


def html_attr_text(value: object) -> str:
    """An attribute value as Python-Markdown writes one (alt of an image): quotes escaped, not apostrophes."""
    return html_text(value).replace('"', "&quot;")


def html_attr(value: object) -> str:
    return html.escape(str(value or ""), quote=True)


def number(value: Decimal | int | None, unit: str = "") -> str:
    if value is None:
        return "—"
    return ru(Decimal(value), unit)


def signed(value: Decimal | None, unit: str = "") -> str:
    return signed_ru(value, unit)


def counted(value: Decimal | int | None, one: str, few: str, many: str) -> str:
    """«3 пункта», «21 школа»: the number and the noun in the form it selects (CLDR, via Babel)."""
    if value is None:
        return "—"
    return f"{ru(Decimal(value))}\u00a0{russian.Word(one, few, many).form(value)}"


def counted_of(value: Decimal | int | None, one: str, few: str, many: str) -> str:
    """After «из»: «из 4 школ», «из 21 школы» (the genitive the number selects)."""
    if value is None:
        return "—"
    return f"{ru(Decimal(value))}\u00a0{russian.Word(one, few, many).of(value)}"


def russian_date(value: date | None) -> str:
    if value is None:
        return "—"
    return russian.russian_date(value)


_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s",
                      "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "iu", "ia"]))


def slug(value: object) -> str:
    """A readable Latin id for an anchor: 'Работа с родителями' -> 'rabota-s-roditeliami'."""
    latin = "".join(_TRANSLIT.get(ch, ch) for ch in str(value).lower())
    return re.sub(r"[^a-z0-9]+", "-", latin).strip("-") or "x"


def anchor(value: object) -> str:
    """An id fragment from a roadmap item number: '1.2' -> '1-2'."""
    return re.sub(r"[^0-9A-Za-z]+", "-", str(value)).strip("-") or "x"


def filesize(size: int) -> str:
    if size < 1024:
        return f"{size}\u00a0Б"
    if size < 1024 * 1024:
        return number(Decimal(size * 10 // 1024) / 10, "КБ")
    return number(Decimal(size * 10 // (1024 * 1024)) / 10, "МБ")


def cell(value: object) -> str:
    """Text safe inside a Markdown table cell."""
    return text(value) or " "


FILTERS = {
    "t": text,
    "paragraphs": paragraphs,
    "meta_title": meta_title,
    "snippet": snippet,
    "attr": html_attr,
    "h": html_text,
    "h_attr": html_attr_text,
    "num": number,
    "signed": signed,
    "rudate": russian_date,
    "counted": counted,
    "counted_of": counted_of,
    "cell": cell,
    "slug": slug,
    "anchor": anchor,
    "filesize": filesize,
}
GLOBALS = {"link": link}


