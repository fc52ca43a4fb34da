"""The playground's local web server: ``tinynet playground``.

It serves, on 127.0.0.1 only, with the standard library's http.server:

=====================  ====================================================
path                   what
=====================  ====================================================
/                      index.html, playground.js, worker.js, playground.css
/tinynet.zip           tinynet's own source files, zipped, for the worker
/tinynet/PATH.py       one of those source files
/config.json           where Pyodide comes from, when --pyodide is given
/pyodide/...           the local copy of Pyodide given as --pyodide DIR
=====================  ====================================================

Without --pyodide the page loads Pyodide from its public CDN at a pinned
version, checked against an integrity hash (see playground.js).

Every file is looked up under one of those roots and refused (404) if the
resolved path leaves its root, so ``/../`` and symlinks cannot reach the rest
of the disk. Nothing is written.

>>> PYODIDE_CDN
'https://cdn.jsdelivr.net/pyodide/v314.0.7/full/'
"""

from __future__ import annotations

import argparse
import io
import json
import mimetypes
import os
import sys
import threading
import webbrowser
import zipfile
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, Optional
from urllib.parse import unquote, urlsplit

from ..errors import TinynetError

__all__ = ["PYODIDE_VERSION", "PYODIDE_CDN", "make_server", "serve", "add_parser", "run",
           "source_zip", "main"]

PYODIDE_VERSION = "314.0.7"
PYODIDE_CDN = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"
HOST = "127.0.0.1"
STATIC_DIR = os.path.dirname(os.path.abspath(__file__))   # tinynet/playground
PACKAGE_DIR = os.path.dirname(STATIC_DIR)                 # tinynet
STATIC_FILES = ("index.html", "playground.js", "worker.js", "playground.css")
SOURCE_SUFFIXES = (".py", ".csv", ".csv.gz", ".typed")
TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm",
         ".json": "application/json", ".zip": "application/zip", ".py": "text/x-python",
         ".html": "text/html", ".css": "text/css"}


def _is_source(name: str) -> bool:
    return name.endswith(SOURCE_SUFFIXES) and "__pycache__" not in name


def source_zip() -> bytes:
    """Return a zip of tinynet's source files, each stored as tinynet/PATH.

    The worker unpacks it into Pyodide's file system and imports tinynet.

    >>> names = zipfile.ZipFile(io.BytesIO(source_zip())).namelist()
    >>> "tinynet/__init__.py" in names, "tinynet/playground/session.py" in names
    (True, True)
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for folder, dirs, files in os.walk(PACKAGE_DIR):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                path = os.path.join(folder, name)
                if _is_source(path):
                    arcname = os.path.relpath(path, os.path.dirname(PACKAGE_DIR))
                    archive.write(path, arcname.replace(os.sep, "/"))
    return buffer.getvalue()


def _inside(root: str, relative: str) -> Optional[str]:
    """Return the real path of root/relative, or None if it leaves root or is no file."""
    root = os.path.realpath(root)
    path = os.path.realpath(os.path.join(root, relative))
    if os.path.commonpath([root, path]) != root or not os.path.isfile(path):
        return None
    return path


class Handler(BaseHTTPRequestHandler):
    """GET and HEAD for the playground's files; everything else is 404 or 501."""

    pyodide_dir: Optional[str] = None     # set by make_server
    config: Optional[Dict[str, object]] = None
    quiet = True

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def log_message(self, format: str, *args) -> None:
        if not self.quiet:
            super().log_message(format, *args)

    def _answer(self, send_body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        if path == "/tinynet.zip":
            return self._send_bytes(source_zip(), TYPES[".zip"], send_body)
        if path == "/config.json" and self.config is not None:
            return self._send_bytes(json.dumps(self.config).encode(), TYPES[".json"], send_body)
        file = self._lookup(path)
        if file is None:
            return self.send_error(HTTPStatus.NOT_FOUND, "not found")
        self._send_file(file, send_body)

    def _lookup(self, path: str) -> Optional[str]:
        """Return the file a URL path names, or None: the roots are the only way in."""
        if path in ("/", "/index.html") or path.lstrip("/") in STATIC_FILES:
            return os.path.join(STATIC_DIR, path.lstrip("/") or "index.html")
        if path.startswith("/tinynet/") and _is_source(path):
            return _inside(PACKAGE_DIR, path[len("/tinynet/"):])
        if path.startswith("/pyodide/") and self.pyodide_dir:
            return _inside(self.pyodide_dir, path[len("/pyodide/"):])
        return None

    def _send_bytes(self, body: bytes, content_type: str, send_body: bool) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _send_file(self, file: str, send_body: bool) -> None:
        suffix = os.path.splitext(file)[1]
        content_type = TYPES.get(suffix) or mimetypes.guess_type(file)[0] or "application/octet-stream"
        with open(file, "rb") as f:
            self._send_bytes(f.read(), content_type, send_body)


def _pyodide_source(pyodide: Optional[str]):
    """Return (local dir or None, config or None) for the --pyodide value."""
    if pyodide is None:
        return None, None
    if pyodide.startswith(("http://", "https://")):
        return None, {"pyodide": pyodide.rstrip("/") + "/", "integrity": None}
    if not os.path.isfile(os.path.join(pyodide, "pyodide.js")):
        raise TinynetError(f"playground: --pyodide needs a URL or a folder with pyodide.js "
                           f"(e.g. node_modules/pyodide), got {pyodide!r}")
    return os.path.abspath(pyodide), {"pyodide": "/pyodide/", "integrity": None}


def make_server(port: int = 8000, pyodide: Optional[str] = None) -> ThreadingHTTPServer:
    """Return a server bound to 127.0.0.1:port, not yet serving (port 0: any free port).

    pyodide is None (the CDN), a URL, or a folder holding pyodide.js.

    Raises TinynetError for a pyodide folder without pyodide.js, a port
    outside 0..65535 or one that cannot be bound.
    """
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise TinynetError(f"playground: port must be an integer from 0 to 65535, got {port!r}")
    local, config = _pyodide_source(pyodide)
    handler = type("PlaygroundHandler", (Handler,), {"pyodide_dir": local, "config": config})
    try:
        return ThreadingHTTPServer((HOST, port), handler)
    except OSError as error:
        raise TinynetError(f"playground: cannot listen on {HOST}:{port}: {error.strerror}") from None


def serve(port: int = 8000, pyodide: Optional[str] = None, open_browser: bool = True) -> None:
    """Serve the playground on 127.0.0.1 until Ctrl-C; print the URL, open a browser.

    Raises TinynetError as make_server does.
    """
    server = make_server(port, pyodide)
    url = f"http://{HOST}:{server.server_address[1]}/"
    print(f"tinynet playground: {url}  (Ctrl-C stops)", flush=True)
    if open_browser:
        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Add the ``playground`` command to an argparse subparsers object; return its parser."""
    parser = subparsers.add_parser(
        "playground", help="train networks in the browser (tinynet on Pyodide)",
        description="Serve the playground on 127.0.0.1 and open it in a browser.")
    parser.add_argument("--port", type=int, default=8000, help="port (0: any free port; default 8000)")
    parser.add_argument("--pyodide", metavar="URL_OR_DIR", default=None,
                        help=f"where Pyodide comes from (default: its CDN, version {PYODIDE_VERSION}); "
                             "a folder such as node_modules/pyodide works offline")
    parser.add_argument("--no-browser", dest="open_browser", action="store_false",
                        help="do not open a browser")
    parser.set_defaults(run=run)  # the convention of tinynet.cli: args.run(args)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run the ``playground`` command; return the exit code (0 after Ctrl-C).

    Raises TinynetError as make_server does.
    """
    serve(args.port, args.pyodide, args.open_browser)
    return 0


def main(argv=None) -> int:
    """Return the exit code of ``python -m tinynet.playground.server [options]``."""
    parser = argparse.ArgumentParser(prog="python -m tinynet.playground.server")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["playground", *(sys.argv[1:] if argv is None else argv)])
    try:
        return run(args)
    except TinynetError as error:
        print(f"tinynet: error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
