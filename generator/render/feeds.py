"""Atom feed of news and roadmap status changes, for the media and for schools' sites."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.render.environment import environment
from generator.render.markdown_text import anchor
from generator.render.site_data import SiteData

MAX_ENTRIES = 100


@dataclass(frozen=True)
class Entry:
    title: str
    id: str
    url: str
    date: str
    category: str
    summary: str


def entries(sd: SiteData, base: str) -> list[Entry]:
    out = []
    for n in sd.ds.news:
        if sd.as_of is not None and n.date > sd.as_of:
            continue
        out.append(Entry(n.title, f"{base}news/{n.slug}/", f"{base}news/{n.slug}/", n.date.isoformat(),
                         n.kind, n.body.strip().split("\n\n")[0][:400]))
    for roadmap in sd.ds.roadmaps:
        for when, item, report in sd.history(roadmap):
            url = f"{base}roadmaps/{roadmap.code}/#item-{anchor(item.number)}"
            out.append(Entry(f"{roadmap.title}: пункт {item.number} — {report.status}",
                             f"{url}@{when.isoformat()}-{report.status}", url, when.isoformat(),
                             "дорожная карта", f"{item.title}. {report.text}".strip()))
    out.sort(key=lambda e: (e.date, e.id), reverse=True)
    return out[:MAX_ENTRIES]


def render_feed(sd: SiteData, templates: Path, bytecode: Path | None = None) -> str:
    """`bytecode`: a folder for compiled templates, as in render.environment."""
    env = environment(templates, bytecode, markup=True)
    base = sd.site.base_url.rstrip("/") + "/"
    items = entries(sd, base)
    updated = items[0].date if items else (sd.as_of.isoformat() if sd.as_of else "1970-01-01")
    return env.get_template("atom.xml.j2").render(site=sd.site, base=base, entries=items, updated=updated)
