"""Charts as files: each spec drawn once, into a content-addressed cache (`<sha256 of the spec>.svg`)
hard-linked into the output, in forked workers when there are many. All chart file I/O is here.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import matplotlib

from generator.files import link_or_write, read_pickle, write_atomic, write_pickle
from generator.workers import default_workers, fork_context
from generator.charts.spec import RENDERER_VERSION, ChartSpec, spec_hash, validate_spec
from generator.charts.layout import Layout, measure
from generator.charts.frame import Frame
from generator.charts import points  # points.FRAMES: the frames drawn in this process
from generator.charts.points import frame_of, render_measured

# Fewer distinct frames than this are drawn in-process (a pool costs ~0.1–0.3 s to start;
# a frame ~50 ms).
POOL_THRESHOLD = 8
# Placing points costs ~0.1 ms a chart: a pool pays off only for thousands of charts.
POINTS_POOL_THRESHOLD = 3000
CHUNK_MAX = 64


@dataclass(frozen=True)
class ChartStats:
    rendered: int  # distinct specs actually drawn in this call
    cached: int  # outputs written without drawing (cache hit or duplicate spec); rendered + cached == len(specs)
    digests: Mapping[str, str] = field(default_factory=dict, compare=False)  # key → cache digest


def _check_key(key: str) -> PurePosixPath:
    path = PurePosixPath(key)
    if (not key or "\\" in key or path.is_absolute()
            or any(part in ("", ".", "..") for part in key.split("/"))):
        raise ValueError(f"недопустимый путь графика: {key!r}")
    return path


def _looks_complete(data: bytes) -> bool:
    return data.startswith(b"<?xml") and data.rstrip().endswith(b"</svg>")


def _read_cache(cache_dir: Path | None, digest: str) -> bytes | None:
    if cache_dir is None:
        return None
    try:
        data = (cache_dir / f"{digest}.svg").read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return data if _looks_complete(data) else None  # a truncated entry is simply redrawn


def _resolve_workers(workers: int) -> int:
    if workers < 0:
        raise ValueError("workers должно быть ≥ 0")
    return default_workers() if workers == 0 else workers


def _frame_or_none(layout: Layout) -> Frame | None:
    return frame_of(layout) if layout.years and layout.present else None


def _frame_file(frames_dir: Path, layout: Layout) -> Path:
    key = f"{RENDERER_VERSION} {matplotlib.__version__} {layout!r}".encode("utf-8")
    return frames_dir / f"{hashlib.sha256(key).hexdigest()}.pickle"


def _stored_frame(frames_dir: Path, layout: Layout) -> Frame | None:
    frame = read_pickle(_frame_file(frames_dir, layout))
    return frame if isinstance(frame, Frame) else None


def _render_many(specs: list[ChartSpec], workers: int, frames_dir: Path | None = None):
    """Yield SVG bytes for each (already validated) spec, in order.

    The distinct frames are drawn first (in the pool when there are many); then the points are
    placed, in forked workers that inherit the drawn frames when there are enough charts to
    pay for starting them. `frames_dir` keeps drawn frames between builds: a rebuild that
    redraws one school's charts then starts no matplotlib drawing at all.
    """
    layouts = [measure(spec) for spec in specs]
    distinct = [layout for layout in dict.fromkeys(layouts) if layout not in points.FRAMES]
    if frames_dir is not None:
        for layout in distinct:
            frame = _stored_frame(frames_dir, layout)
            if frame is not None:
                points.FRAMES[layout] = frame
        distinct = [layout for layout in distinct if layout not in points.FRAMES]
    context = fork_context() if workers > 1 else None
    if context is not None and len(distinct) >= POOL_THRESHOLD:
        with ProcessPoolExecutor(max_workers=min(workers, len(distinct)), mp_context=context) as pool:
            for layout, frame in zip(distinct, pool.map(_frame_or_none, distinct)):
                if frame is not None:
                    points.FRAMES[layout] = frame
    else:
        for layout in distinct:
            _frame_or_none(layout)
    if frames_dir is not None:
        for layout in distinct:
            if layout in points.FRAMES:
                write_pickle(_frame_file(frames_dir, layout), points.FRAMES[layout])
    if context is not None and len(specs) >= POINTS_POOL_THRESHOLD:
        # Small chunks: a worker holds only its share of specs and SVG at a time.
        chunksize = min(CHUNK_MAX, max(1, len(specs) // (workers * 4)))
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            yield from pool.map(render_measured, specs, layouts, chunksize=chunksize)
    else:
        yield from map(render_measured, specs, layouts)


def render_charts(specs: Mapping[str, ChartSpec], out_dir: Path, cache_dir: Path | None,
                  workers: int = 0) -> ChartStats:
    """Write ``out_dir/<key>`` for every spec, reusing ``cache_dir/<spec_hash>.svg`` when present.

    Keys are relative POSIX paths ("schools/6149001234/ege_rus.svg"). Specs are validated
    before anything is drawn. Identical specs are drawn once.
    """
    out_dir = Path(out_dir)
    cache_dir = Path(cache_dir) if cache_dir is not None else None
    workers = _resolve_workers(workers)

    by_digest: dict[str, list[PurePosixPath]] = {}
    spec_of: dict[str, ChartSpec] = {}
    digests: dict[str, str] = {}
    for key, spec in specs.items():
        path = _check_key(key)
        try:
            validate_spec(spec)
        except (TypeError, ValueError) as error:
            raise ValueError(f"график {key}: {error}") from error
        digest = digests[key] = spec_hash(spec)
        by_digest.setdefault(digest, []).append(path)
        spec_of.setdefault(digest, spec)

    cached = 0
    missing: list[str] = []
    for digest, paths in by_digest.items():
        data = _read_cache(cache_dir, digest)
        if data is None:
            missing.append(digest)
            continue
        for path in paths:
            link_or_write(out_dir / path, cache_dir / f"{digest}.svg", data)
        cached += len(paths)

    rendered = 0
    frames_dir = cache_dir / "frames" if cache_dir is not None else None
    for digest, data in zip(missing, _render_many([spec_of[d] for d in missing], workers, frames_dir)):
        source = None
        if cache_dir is not None:
            source = cache_dir / f"{digest}.svg"
            write_atomic(source, data)
        for path in by_digest[digest]:
            link_or_write(out_dir / path, source, data)
        rendered += 1
        cached += len(by_digest[digest]) - 1
    return ChartStats(rendered=rendered, cached=cached, digests=digests)
