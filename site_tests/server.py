"""A local server of the built site that sends precompressed files as real hosting does.

`PrecompressedHandler` is `http.server.SimpleHTTPRequestHandler` with nginx's `gzip_static on;` and
`gzip_vary on;` (docs/publishing.md, «Сжатые копии файлов»):

- a request for X (a file, or a folder's index.html) whose Accept-Encoding allows gzip gets X.gz,
  when it exists, with `Content-Encoding: gzip`, the Content-Type of X and the length of X.gz;
- otherwise X itself, as before;
- `Vary: Accept-Encoding` on both answers whenever X.gz exists (a cache must keep them apart);
- HEAD answers the same headers without a body; a folder without a trailing slash is redirected and
  a missing file is a 404, as SimpleHTTPRequestHandler does.

Accept-Encoding is read as RFC 9110 says: `gzip` or `x-gzip` with q > 0, or `*` with q > 0 when gzip
is not listed with q=0.

    python -m site_tests.server SITE_DIR [PORT]     # serve a built site on 127.0.0.1
"""
from __future__ import annotations

import contextlib
import email.utils
import functools
import http.server
import os
import sys
import threading
from collections.abc import Iterator
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

GZIP = ".gz"


def accepts_gzip(header: str | None) -> bool:
    """Whether an Accept-Encoding value allows a gzip-encoded answer."""
    if not header:
        return False
    weights: dict[str, float] = {}
    for item in header.split(","):
        coding, _, params = item.strip().partition(";")
        coding = coding.strip().lower()
        if not coding:
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
        weights[coding] = q
    for name in ("gzip", "x-gzip"):
        if name in weights:
            return weights[name] > 0
    return weights.get("*", 0.0) > 0


class PrecompressedHandler(http.server.SimpleHTTPRequestHandler):
    """Serves X.gz for X like nginx `gzip_static on` (see the module's docstring)."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".webmanifest": "application/manifest+json", ".svg": "image/svg+xml",
                      ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json",
                      ".csv": "text/csv", ".xml": "application/xml", ".map": "application/json"}

    def send_head(self):  # the one method of SimpleHTTPRequestHandler that opens the file
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            parts = urlsplit(self.path)
            if not parts.path.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", urlunsplit((parts[0], parts[1], parts[2] + "/", parts[3], parts[4])))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            for index in ("index.html", "index.htm"):
                if os.path.isfile(os.path.join(path, index)) or os.path.isfile(os.path.join(path, index + GZIP)):
                    path = os.path.join(path, index)
                    break
            else:
                return self.list_directory(path)
        if path.endswith("/"):
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        copy = path + GZIP
        has_copy = os.path.isfile(copy)
        compressed = has_copy and accepts_gzip(self.headers.get("Accept-Encoding"))
        try:
            handle = open(copy if compressed else path, "rb")
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        try:
            info = os.fstat(handle.fileno())
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", self.guess_type(path))
            if compressed:
                self.send_header("Content-Encoding", "gzip")
            if has_copy:
                self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(info.st_size))
            self.send_header("Last-Modified", email.utils.formatdate(info.st_mtime, usegmt=True))
            self.end_headers()
            return handle
        except BaseException:
            handle.close()
            raise


class QuietPrecompressedHandler(PrecompressedHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


@contextlib.contextmanager
def serving(site_dir: Path, host: str = "127.0.0.1", port: int = 0, quiet: bool = True) -> Iterator[str]:
    """Serve `site_dir` from a thread while the block runs; yields the base URL (no trailing slash)."""
    handler = functools.partial(QuietPrecompressedHandler if quiet else PrecompressedHandler,
                                directory=str(site_dir))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        bound_host, bound_port = server.server_address[:2]
        yield f"http://{bound_host}:{bound_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def main(argv: list[str]) -> None:
    if not argv or len(argv) > 2:
        raise SystemExit("использование: python -m site_tests.server ПАПКА_САЙТА [ПОРТ]")
    with serving(Path(argv[0]), port=int(argv[1]) if len(argv) > 1 else 8000, quiet=False) as url:
        print(f"Сайт на {url}/ (сжатые копии .gz — как nginx gzip_static); Ctrl+C — остановить", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main(sys.argv[1:])
