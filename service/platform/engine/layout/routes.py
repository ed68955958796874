"""Orthogonal sequence-flow routes of the auto-layout that cross no shape but their ends."""

from __future__ import annotations

import itertools

from service.platform.engine.layout.shapes import ROW_H, TASK_SIZE, Box, Point


def is_clear(points: list[Point], obstacles: list[Box]) -> bool:
    """True when no segment of the polyline enters the inside of any of the shapes (touching is fine)."""
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        for b in obstacles:
            across = max(x1, x2) > b.x and min(x1, x2) < b.x + b.w
            if across and max(y1, y2) > b.y and min(y1, y2) < b.y + b.h:
                return False
    return True


def simplify(points: list[Point]) -> list[Point]:
    """Drops repeated points and the middle of three points on one line."""
    out: list[Point] = []
    for point in points:
        if out and out[-1] == point:
            continue
        if len(out) >= 2 and (out[-2][0] == out[-1][0] == point[0] or out[-2][1] == out[-1][1] == point[1]):
            out[-1] = point
            continue
        out.append(point)
    return out


def corridor(start: Point, channel: int, dst: Box) -> list[Point]:
    """A route that runs only where the grid keeps shapes out, so it is clear by construction.

    Every node is centred on its column and row, so the strip left of a column (`gap`) and the strip
    between two rows (a channel, half a row below a row's centre) hold no shapes. From `start`, straight
    above its channel, the route drops into that channel, runs to the strip left of the target's column,
    and enters the target from the left (a later column) or from its own channel below (a loop back).
    """
    gap = dst.cx - TASK_SIZE[0] // 2 - 20
    head = [start, (start[0], channel), (gap, channel)]
    if dst.x > start[0]:
        return simplify([*head, (gap, dst.cy), (dst.x, dst.cy)])
    below = dst.cy + ROW_H // 2
    return simplify([*head, (gap, below), (dst.cx, below), (dst.cx, dst.y + dst.h)])


def route(src: Box, dst: Box, host: Box | None, obstacles: list[Box]) -> list[Point]:
    """Orthogonal waypoints from one shape to another that cross no shape but their ends.

    The short routes are tried first and kept when clear; otherwise the corridor route, which always is.
    `host` is the task a boundary event (`src`) sits on.
    """
    gap = dst.cx - TASK_SIZE[0] // 2 - 20
    candidates: list[list[Point]] = []
    if host is not None:
        start = (src.cx, src.y + src.h)
        if dst.x > src.cx:
            candidates.append([start, (src.cx, dst.cy), (dst.x, dst.cy)])
        else:
            low = max(src.cy, dst.cy) + ROW_H // 2
            candidates.append([start, (src.cx, low), (dst.cx, low), (dst.cx, dst.y + dst.h)])
        candidates.append(corridor(start, host.cy + ROW_H // 2, dst))
    else:
        start = (src.cx, src.y + src.h)
        if dst.x >= src.x + src.w:
            if src.cy == dst.cy:
                candidates.append([(src.x + src.w, src.cy), (dst.x, dst.cy)])
            candidates.append([(src.x + src.w, src.cy), (gap, src.cy), (gap, dst.cy), (dst.x, dst.cy)])
        else:
            # A loop back: leave below the source, run in the channel under both rows, enter from below.
            low = max(src.cy, dst.cy) + ROW_H // 2
            candidates.append([start, (src.cx, low), (dst.cx, low), (dst.cx, dst.y + dst.h)])
        candidates.append(corridor(start, src.cy + ROW_H // 2, dst))
    return next((c for c in candidates if is_clear(c, obstacles)), candidates[-1])
