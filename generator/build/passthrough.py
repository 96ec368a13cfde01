"""Python-Markdown extension (listed in mkdocs.yml): HTML the generator wrote itself, between
PASS_START and PASS_END lines (render/html_tables.py), goes to the page as it is.

A preprocessor, through Python-Markdown's documented extension API: it runs before the raw-HTML
preprocessors (priority 25 > 21 and 20), stores each block in the document's HTML stash and leaves
its placeholder, which Python-Markdown replaces with the block at the end. So neither
Python-Markdown nor MkDocs parses these tables again; their links are checked by the generator
(build/link_check.py) instead.
"""
from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from generator.render.html_tables import PASS_END, PASS_START


class _PassThrough(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        if PASS_START not in lines:
            return lines
        out: list[str] = []
        i = 0
        while i < len(lines):
            if lines[i] == PASS_START:
                try:
                    end = lines.index(PASS_END, i + 1)
                except ValueError:  # not written by the generator: leave the text to Markdown
                    out.extend(lines[i:])
                    break
                out.append(self.md.htmlStash.store("\n".join(lines[i + 1:end])))
                i = end + 1
            else:
                out.append(lines[i])
                i += 1
        return out


class PassThroughExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.preprocessors.register(_PassThrough(md), "generator_pass_through", 25)


def makeExtension(**kwargs) -> PassThroughExtension:  # noqa: N802 - Python-Markdown's entry point
    return PassThroughExtension(**kwargs)
