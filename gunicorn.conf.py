"""gunicorn's settings for this service (read from the working directory; flags still override)."""

from __future__ import annotations

import gc
from typing import Any


def post_worker_init(worker: Any) -> None:
    """Move everything the worker has loaded (modules, the app, its registries: ~270,000 objects) out of
    the cyclic collector's reach: they live as long as the process, yet every full collection walked
    them again, ~0.5 ms per start + completion (4 % of it, measured with gc.callbacks) against
    ~0.14 ms once frozen. Objects made by requests are collected as before."""
    gc.freeze()
