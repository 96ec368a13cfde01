"""A dict kept between builds in two files: a base, rewritten rarely, and a small delta.

A warm rebuild after one school changed adds one entry to dicts of thousands (the bundles of the
last build, the schools' computed series — 30 MB at 5,000 schools). Rewriting such a file for one
entry would cost more than the rebuild saves, so new entries go to the delta and the base is
rewritten only when the delta has grown past an eighth of it, or when the base holds twice as many
entries as the build uses. Entries are keyed by content digests: an old entry the build no longer
uses is harmless, only space.

Our own cache folder, trusted like the checkout; a file that does not load counts as empty.
"""
from __future__ import annotations

from pathlib import Path

from generator.files import read_pickle, write_pickle


def _load(path: Path, version: str) -> dict:
    stored = read_pickle(path)
    ok = isinstance(stored, tuple) and len(stored) == 2 and stored[0] == version and isinstance(stored[1], dict)
    return stored[1] if ok else {}


def _write(path: Path, version: str, items: dict) -> None:
    write_pickle(path, (version, items))


class Pack:
    """`path`: the base file (the delta is next to it); `version`: entries of another version are
    ignored."""

    def __init__(self, path: Path, version: str):
        self.path, self.version = path, version
        self.delta_path = path.with_name(path.name + ".delta")
        self._base: dict = {}
        self._delta: dict = {}

    def load(self) -> dict:
        self._base = _load(self.path, self.version)
        self._delta = _load(self.delta_path, self.version) if self._base else {}
        return {**self._base, **self._delta}

    def save(self, items: dict) -> None:
        """Make the pack hold (at least) `items`, writing as little as it can; call after load()."""
        new = {key: value for key, value in items.items() if key not in self._base and key not in self._delta}
        if not new:
            return
        delta = {key: value for key, value in self._delta.items() if key in items}
        delta.update(new)
        if self._base and len(delta) <= len(self._base) // 8 and len(self._base) <= 2 * len(items):
            _write(self.delta_path, self.version, delta)
            self._delta = delta
        else:
            _write(self.path, self.version, dict(items))
            self.delta_path.unlink(missing_ok=True)
            self._base, self._delta = dict(items), {}
