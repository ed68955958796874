"""Columns of the auto-layout: each flow node's rank in flow order, loops broken deterministically."""

from __future__ import annotations


def ranks(nodes: list[str], flows: list[tuple[str, str]]) -> dict[str, int]:
    """Columns by longest path from the sources, back edges (loops) ignored; deterministic."""
    succ: dict[str, list[str]] = {n: [] for n in nodes}
    indeg: dict[str, int] = dict.fromkeys(nodes, 0)
    for s, t in flows:
        if s in succ and t in succ:
            succ[s].append(t)
            indeg[t] += 1
    back: set[tuple[str, str]] = set()
    state: dict[str, int] = {}
    roots = [n for n in nodes if indeg[n] == 0] + nodes  # unreachable cycles still get visited

    for root in roots:
        if root in state:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            node, i = stack[-1]
            if i < len(succ[node]):
                stack[-1] = (node, i + 1)
                nxt = succ[node][i]
                if state.get(nxt) == 1:
                    back.add((node, nxt))
                elif nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                stack.pop()
    rank: dict[str, int] = dict.fromkeys(nodes, 0)
    order = topological(nodes, [(s, t) for s, t in flows if (s, t) not in back and s in succ and t in succ])
    for node in order:
        for s, t in flows:
            if s == node and (s, t) not in back and t in rank:
                rank[t] = max(rank[t], rank[s] + 1)
    return rank


def topological(nodes: list[str], edges: list[tuple[str, str]]) -> list[str]:
    indeg = dict.fromkeys(nodes, 0)
    for _s, t in edges:
        indeg[t] += 1
    ready = [n for n in nodes if indeg[n] == 0]
    out: list[str] = []
    while ready:
        node = ready.pop(0)
        out.append(node)
        for s, t in edges:
            if s == node:
                indeg[t] -= 1
                if indeg[t] == 0:
                    ready.append(t)
    return out + [n for n in nodes if n not in out]
