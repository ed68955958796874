"""Lays out one process or sub-process: lanes as bands, flow nodes in columns and rows, boundary events."""

from __future__ import annotations

from lxml import etree

from service.platform.engine.layout.artifacts import place_artifacts
from service.platform.engine.layout.ranks import ranks
from service.platform.engine.layout.routes import route
from service.platform.engine.layout.shapes import (
    ARTIFACT_SIZES,
    BPMN,
    COL_W,
    LANE_HEADER,
    MARGIN,
    ROW_H,
    TASK_SIZE,
    Box,
    Plane,
    all_lanes,
    bpmn_children,
    flow_nodes,
    leaf_lanes,
    local,
    q,
    size,
)


def layout_container(
    container: etree._Element, plane: Plane, origin_x: int, origin_y: int, participant: str | None
) -> tuple[int, int]:
    """Lays out one process (or sub-process) from the origin; returns its width and height."""
    nodes = flow_nodes(container)
    ids = [n.get("id") or "" for n in nodes]
    by_id = {n.get("id"): n for n in nodes}
    flows = [
        (f.get("sourceRef") or "", f.get("targetRef") or "", f.get("id") or "")
        for f in container.findall(q(BPMN, "sequenceFlow"))
    ]
    boundaries = [b for b in container.findall(q(BPMN, "boundaryEvent")) if b.get("id")]
    host_of = {b.get("id") or "": b.get("attachedToRef") or "" for b in boundaries}
    # For ranking, a flow out of a boundary event leaves from its host.
    rank_flows = [(host_of.get(s, s), t) for s, t, _ in flows]
    rank = ranks(ids, rank_flows)

    leaves = leaf_lanes(container)
    lane_of: dict[str, int] = {}
    for index, lane in enumerate(leaves):
        for ref in lane.findall(q(BPMN, "flowNodeRef")):
            lane_of.setdefault((ref.text or "").strip(), index)
    lane_count = max(1, len(leaves))
    # Rows inside each lane: nodes sharing a column stack downwards; boundary targets prefer a lower row.
    rows: dict[str, int] = {}
    taken: dict[tuple[int, int], set[int]] = {}
    boundary_targets = {t for s, t, _ in flows if s in host_of}
    for node_id in sorted(ids, key=lambda n: (rank[n], n in boundary_targets, ids.index(n))):
        key = (lane_of.get(node_id, 0), rank[node_id])
        used = taken.setdefault(key, set())
        row = 1 if node_id in boundary_targets else 0
        while row in used:
            row += 1
        used.add(row)
        rows[node_id] = row
    lane_rows = [1] * lane_count
    for node_id in ids:
        lane_index = lane_of.get(node_id, 0)
        lane_rows[lane_index] = max(lane_rows[lane_index], rows[node_id] + 1)
    columns = (max(rank.values()) + 1) if rank else 1
    has_lanes = bool(leaves)
    inner_x = origin_x + (LANE_HEADER * 2 if has_lanes else 0)
    width = (inner_x - origin_x) + MARGIN + columns * COL_W
    lane_tops: list[int] = []
    y = origin_y
    for count in lane_rows:
        lane_tops.append(y)
        y += count * ROW_H + MARGIN // 2
    height = y - origin_y

    boxes: dict[str, Box] = {}
    for node_id in ids:
        w, h = size(by_id[node_id])
        cx = inner_x + MARGIN + rank[node_id] * COL_W + TASK_SIZE[0] // 2
        cy = lane_tops[lane_of.get(node_id, 0)] + rows[node_id] * ROW_H + ROW_H // 2
        boxes[node_id] = Box(cx - w // 2, cy - h // 2, w, h)

    artifacts = [el for el in bpmn_children(container) if local(el) in ARTIFACT_SIZES and el.get("id")]
    # a row of their own under the lanes, each under the element it is connected to
    artifact_shapes = place_artifacts(artifacts, container, boxes.get, inner_x + MARGIN, origin_y + height)
    if artifact_shapes:
        height += ROW_H
        width = max(width, max(b.x + b.w for _, b, _ in artifact_shapes) + MARGIN - origin_x)
    if participant is not None:
        plane.shapes.append((participant, Box(origin_x, origin_y, width, height), {"isHorizontal": "true"}))
    if has_lanes:
        lane_x = origin_x + LANE_HEADER
        for index, lane in enumerate(leaves):
            lane_h = lane_rows[index] * ROW_H + MARGIN // 2
            box = Box(lane_x, lane_tops[index], width - LANE_HEADER, lane_h)
            plane.shapes.append((lane.get("id") or "", box, {"isHorizontal": "true"}))
        leaf_ids = {id(lane) for lane in leaves}
        for lane in all_lanes(container):
            if id(lane) in leaf_ids or not lane.get("id"):
                continue
            inner = [leaves.index(leaf) for leaf in lane.iter(q(BPMN, "lane")) if id(leaf) in leaf_ids]
            if inner:
                top = lane_tops[min(inner)]
                bottom = lane_tops[max(inner)] + lane_rows[max(inner)] * ROW_H + MARGIN // 2
                plane.shapes.append(
                    (
                        lane.get("id") or "",
                        Box(lane_x, top, width - LANE_HEADER, bottom - top),
                        {"isHorizontal": "true"},
                    )
                )

    for node_id in ids:
        attrs: dict[str, str] = {}
        if local(by_id[node_id]) == "exclusiveGateway":
            attrs["isMarkerVisible"] = "true"
        if local(by_id[node_id]) in ("subProcess", "transaction", "adHocSubProcess"):
            attrs["isExpanded"] = "false"
        plane.shapes.append((node_id, boxes[node_id], attrs))

    per_host: dict[str, int] = {}
    for boundary in boundaries:
        bid = boundary.get("id") or ""
        host = boxes.get(host_of[bid])
        if host is None:
            continue
        index = per_host.get(host_of[bid], 0)
        per_host[host_of[bid]] = index + 1
        boxes[bid] = Box(max(host.x, host.x + host.w - 46 - index * 40), host.y + host.h - 18, 36, 36)
        plane.shapes.append((bid, boxes[bid], {}))

    plane.shapes.extend(artifact_shapes)
    drawn = [boxes[n] for n in ids] + [boxes[b] for b in host_of if b in boxes]
    for source, target, flow_id in flows:
        if source in boxes and target in boxes and flow_id:
            others = [b for b in drawn if b is not boxes[source] and b is not boxes[target]]
            host = boxes.get(host_of[source]) if source in host_of else None
            plane.edges.append((flow_id, route(boxes[source], boxes[target], host, others)))
    return width, height
