"""The timer worker as a daemon thread inside the development server (`make run`)."""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask

from service.platform.runtime import Runtime
from service.platform.timers.worker import worker_pass

log = logging.getLogger(__name__)


def start_worker_thread(app: Flask) -> threading.Thread:
    runtime: Runtime = app.extensions["runtime"]
    interval = float(app.config.get("WORKER_INTERVAL", 5))

    def loop() -> None:
        while True:
            try:
                worker_pass(runtime)
            except Exception:  # a failing pass must not stop the worker
                log.exception("worker pass failed")
            time.sleep(interval)

    thread = threading.Thread(target=loop, name="timer-worker", daemon=True)
    thread.start()
    return thread
