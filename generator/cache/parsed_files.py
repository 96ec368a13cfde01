"""Parsed input files kept between builds, keyed by the file's bytes and the generator's code.

PyYAML is pure Python: the programme and roadmap files take a tenth of a second to parse on
every build although they rarely change. A file that parsed without a problem is stored here as
a pickle of the parsed document under sha256(code version, kind, bytes); the next build with the
same bytes and the same code loads the pickle instead. Files with problems are never stored, so
every message about them still comes from the parser.

It is our own cache folder, trusted like the checkout; an entry that does not load is ignored.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from generator.files import MISSING, read_pickle, write_pickle
from generator.cache.packs import Pack

class ParseCache:
    """`root`: a folder (created on the first store); `version`: the generator's code version."""

    def __init__(self, root: Path, version: bytes):
        self.root, self.version = root, version
        self.used: set[str] = set()  # "<2 hex>/<file>" this build read or wrote (cache/sweep.py)

    def _path(self, kind: str, raw: bytes) -> Path:
        digest = hashlib.sha256(self.version + b"\0" + kind.encode() + b"\0" + raw).hexdigest()
        self.used.add(f"{digest[:2]}/{digest}.pickle")
        return self.root / digest[:2] / f"{digest}.pickle"

    def get(self, kind: str, raw: bytes) -> Any:
        """The stored result for these bytes, or `MISSING`."""
        return read_pickle(self._path(kind, raw))

    def put(self, kind: str, raw: bytes, value: Any) -> None:
        write_pickle(self._path(kind, raw), value)

    def pack(self, kind: str, context: bytes) -> Pack:
        """A dict of many entries for this context, stored as a base and a small delta (packs)."""
        pack = Pack(self._path(kind, context), "1")
        self.used.add(f"{pack.delta_path.parent.name}/{pack.delta_path.name}")
        return pack

