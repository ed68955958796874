"""The timer worker as a daemon thread inside the development server (`make run`)."""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask

from service.platform.audit.checkpoint import write_daily_checkpoint
from service.platform.inbox.digest import send_daily_digests
from service.platform.notify.mailer import send_pending
from service.platform.runtime import Runtime
from service.platform.timers import wake as timers

log = logging.getLogger(__name__)


def start_worker_thread(app: Flask) -> threading.Thread:
    runtime: Runtime = app.extensions["runtime"]
    interval = float(app.config.get("WORKER_INTERVAL", 5))

    def loop() -> None:
        while True:
            try:
                timers.run_due_timers(runtime)
                write_daily_checkpoint(runtime)
                send_daily_digests(runtime)
                send_pending(runtime)
            except Exception:  # a failing pass must not stop the worker
                log.exception("worker pass failed")
            time.sleep(interval)

    thread = threading.Thread(target=loop, name="timer-worker", daemon=True)
    thread.start()
    return thread
