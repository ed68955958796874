"""The project's gunicorn.conf.py is what gunicorn reads from the project directory, and its workers
serve with the loaded modules frozen out of the cyclic collector."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A WSGI app that answers how many objects the collector has frozen in the worker serving it.
PROBE = """
import gc

def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(gc.get_freeze_count()).encode()]
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_worker_serves_with_what_it_loaded_frozen(tmp_path: Path) -> None:
    (tmp_path / "freeze_probe.py").write_text(PROBE, encoding="utf-8")
    port = _free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "-w", "1", "-b", f"127.0.0.1:{port}", "freeze_probe:app"],
        cwd=ROOT,  # where gunicorn looks for gunicorn.conf.py, as deploy/start-web.sh runs it
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        start_new_session=True,
    )
    try:
        deadline, answer = time.time() + 30, None
        while answer is None and time.time() < deadline:
            try:
                answer = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
            except OSError:
                time.sleep(0.2)
        assert answer is not None, "gunicorn did not answer"
        assert int(answer) > 1000  # a worker's modules, frozen by post_worker_init
    finally:
        os.killpg(server.pid, 15)
        server.wait(30)
