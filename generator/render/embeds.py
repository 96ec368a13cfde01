"""What a school pastes into its own site: a framable summary page, an SVG badge, and redirects.

These are standalone static files (not MkDocs pages): no sidebar, no header, no scripts, nothing
loaded from another host, so they work inside an iframe on any school's site builder.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.model import STATUS_MENTOR, School
from generator.render.environment import environment
from generator.render.links import addresses
from generator.render.site_data import SiteData

# Characters of DejaVu Sans 11 px average about 6.6 px; badges size themselves from the text.
CHAR_WIDTH = 6.6
BADGE_PADDING = 8


@dataclass(frozen=True)
class Badge:
    label: str
    message: str
    tone: str  # participant | mentor | none

    def width(self, text: str) -> int:
        return int(len(text) * CHAR_WIDTH + 2 * BADGE_PADDING)


def badge_for(sd: SiteData, school: School) -> Badge:
    statuses = sd.school_in_year(school.code, sd.year)
    participant = [s for s in statuses if s != STATUS_MENTOR]
    if participant:
        return Badge("Проект «500+»", f"{' и '.join(participant)} · {sd.year}", "participant")
    if STATUS_MENTOR in statuses:
        return Badge("Проект «500+»", f"школа-наставник · {sd.year}", "mentor")
    return Badge("Проект «500+»", f"не участвует · {sd.year}", "none")


@dataclass
class Embeds:
    by_school: dict[str, dict[str, str]]  # school code → its files (part of its bundle)
    shared: dict[str, str]  # redirects from renamed codes


def render_embeds(sd: SiteData, templates: Path, skip: frozenset[str] = frozenset(),
                  bytecode: Path | None = None) -> Embeds:
    """Relative path under the site → file text, per school (except those in `skip`, whose
    bundles come from the cache) and shared. `bytecode`: see render.environment."""
    env = environment(templates, bytecode, markup=True, min_group=sd.site.min_group_size)
    embed, badge, redirect = (env.get_template(n) for n in ("embed.html.j2", "badge.svg.j2", "redirect.html.j2"))
    renamed: dict[str, list[str]] = {}
    for rename in sd.ds.renames:
        renamed.setdefault(rename.new, []).append(rename.old)
    by_school: dict[str, dict[str, str]] = {}
    for code, school in sd.schools.items():
        if code in skip:
            continue
        with sd.bundle(code):
            urls = addresses(sd.site.base_url, code)
            b = badge_for(sd, school)
            indicators = [(ind, sd.series(ind.code, "school", code).get(sd.year)) for ind in sd.school_level]
            files = {f"embed/{code}/index.html": embed.render(sd=sd, school=school, urls=urls, badge=b,
                                                               indicators=[(i, v) for i, v in indicators if v is not None]),
                     f"badge/{code}.svg": badge.render(badge=b, school=school)}
        for old in renamed.get(code, ()):  # an old address's badge is a copy of the current one
            files[f"badge/{old}.svg"] = files[f"badge/{code}.svg"]
        by_school[code] = files
    shared: dict[str, str] = {}
    for rename in sd.ds.renames:
        new = sd.schools[rename.new]
        # Old addresses keep working: the page and the embed redirect, the badge is a copy.
        shared[f"schools/{rename.old}/index.html"] = redirect.render(target=f"../../schools/{rename.new}/",
                                                                    school=new, rename=rename)
        shared[f"embed/{rename.old}/index.html"] = redirect.render(target=f"../../embed/{rename.new}/",
                                                                  school=new, rename=rename)
    return Embeds(by_school, shared)
