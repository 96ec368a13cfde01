"""The one Jinja environment every rendered file goes through: Markdown pages, embeds, badges,
redirects, the Atom feed and the archive pages.

Markdown pages are not autoescaped: data text reaches them only through the `text`/`cell`/… filters
(render/markdown_text.py), which escape it for Markdown. HTML, SVG and XML templates are
autoescaped by Jinja. Both kinds see the same filters and words.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined

from generator.render.figures import Figures
from generator.render.markdown_text import FILTERS, GLOBALS
from generator.render.verdicts import VERDICTS, status_of, summary, verdict
from generator.render.vocabulary import STATE_WORDS, STATUS_WORDS


def environment(templates: Path, bytecode: Path | None = None, *, markup: bool = False,
                min_group: int = 5) -> Environment:
    """`markup`: the templates write HTML, SVG or XML (autoescaped); otherwise Markdown pages.
    `bytecode`: an existing folder for compiled templates, keyed by the generator's code version
    (the options below shape the compiled code; Jinja's own cache key covers only the source)."""
    env = Environment(loader=FileSystemLoader(str(templates)), undefined=StrictUndefined, autoescape=markup,
                      keep_trailing_newline=not markup, trim_blocks=True, lstrip_blocks=True,
                      bytecode_cache=FileSystemBytecodeCache(str(bytecode)) if bytecode else None)
    env.filters.update(FILTERS)
    env.globals.update(GLOBALS)
    env.globals["status_words"] = STATUS_WORDS
    env.globals["state_words"] = STATE_WORDS
    env.globals["figures"] = Figures(min_group)  # the site's min_group_size: «менее 5 чел.»
    env.globals["verdict"] = lambda v, indicator: verdict(v, indicator, min_group)
    env.globals["verdict_status"] = status_of
    env.globals["verdict_summary"] = summary
    env.globals["verdict_rules"] = VERDICTS
    return env
