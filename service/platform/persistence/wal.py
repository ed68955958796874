"""SQLite's write-ahead log copied into the database file on a thread of its own, never inside a request.

In WAL mode SQLite copies the log back into the database file (a checkpoint, with its fsync) inside
whichever commit pushes the log past 1,000 pages: every ~50th API completion paid 5–10 ms for it, a
mean of ~0.4 ms per commit (issue 16). The requests' connections therefore never checkpoint
(`PRAGMA wal_autocheckpoint=0`) and this thread does it, at most once a second after a commit. It asks
for a PASSIVE checkpoint, which waits for no reader or writer; one that a long reader keeps from
finishing is completed by the next. If the thread is not running (the process ends), SQLite checkpoints
when the last connection closes, and a crash leaves a log the next open replays: nothing is lost.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from dataclasses import dataclass

log = logging.getLogger(__name__)

CHECKPOINT_EVERY_S = 1.0  # the longest a log waits after a commit; a burst of commits shares one


@dataclass(frozen=True)
class CheckpointResult:
    """What `PRAGMA wal_checkpoint` reported: blocked by a lock, pages in the log, pages copied."""

    busy: bool
    log_pages: int
    copied_pages: int


class WalCheckpointer:
    """Checkpoints one SQLite database file after commits, from a daemon thread started at the first one."""

    def __init__(self, path: str, every_s: float = CHECKPOINT_EVERY_S) -> None:
        self._path = path
        self._every_s = every_s
        self._written = threading.Event()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._guard = threading.Lock()
        self.checkpoints = 0  # how many ran (tests and diagnostics)
        self.last: CheckpointResult | None = None

    def committed(self) -> None:
        """A transaction was committed: checkpoint soon. Cheap (an event), called after every commit."""
        if self._thread is None or self._pid != os.getpid():
            self._start()  # first commit, or first in a forked worker (the parent's thread is not here)
        # Already set: the thread has not begun its wait yet and will copy this commit too (it clears
        # the flag before it checkpoints), so the event's lock and notification are spared.
        if not self._written.is_set():
            self._written.set()

    def _start(self) -> None:
        with self._guard:
            if self._stopped.is_set() or (self._thread is not None and self._pid == os.getpid()):
                return
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="sqlite-wal-checkpoint", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        connection: sqlite3.Connection | None = None
        try:
            while not self._stopped.is_set():
                self._written.wait()
                # Let a burst of commits finish first: one checkpoint (one fsync) copies all of them.
                if self._stopped.wait(self._every_s):
                    break
                self._written.clear()
                try:
                    if connection is None:
                        connection = sqlite3.connect(self._path, timeout=30, check_same_thread=False)
                    self.last = checkpoint(connection)
                    self.checkpoints += 1
                except sqlite3.Error:
                    # A failed checkpoint loses nothing (the log stays); try again after the next commit.
                    log.exception("the SQLite write-ahead log could not be checkpointed")
                    self._written.set()
        finally:
            if connection is not None:
                connection.close()

    def stop(self) -> None:
        """End the thread (the database is being disposed of); a commit after this checkpoints nothing."""
        self._stopped.set()
        self._written.set()
        thread = self._thread
        if thread is not None and thread.is_alive() and thread is not threading.current_thread():
            thread.join(timeout=5)


def checkpoint(connection: sqlite3.Connection) -> CheckpointResult:
    """Copy what the log holds into the database file without waiting for readers or writers."""
    busy, log_pages, copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return CheckpointResult(bool(busy), int(log_pages), int(copied))
