"""Which process of a file deploys: a collaboration's executable pool, the others being documentation."""

from __future__ import annotations

from lxml import etree

from service.platform.engine.xmlsafe import line_of
from service.platform.errors import DeployProblem


def own_process_ids(tree: etree._ElementTree) -> list[str]:
    """The processes this file may deploy: its executable ones, or all of them when none is.

    A collaboration's other pools drawn for outside parties (parents, a ministry, a vendor) are
    documentation: a collapsed pool has no process, an expanded one an empty or non-executable process
    (`isExecutable="false"`, bpmn.io's default for a new pool). When the file has no executable process at
    all, every process stays, so that the one the admin meant is refused as not executable.
    """
    processes = [p for p in tree.iter("{*}process") if p.get("id")]
    # The engine's own reading: a process without the attribute is executable (ProcessParser).
    executable = [p for p in processes if p.get("isExecutable", "true") == "true"]
    return [str(p.get("id")) for p in executable or processes]


def several_processes(tree: etree._ElementTree, process_ids: list[str]) -> list[DeployProblem]:
    """One refusal on each top-level process after the first, on its pool when it is drawn in one."""
    pools = {str(p.get("processRef")): p for p in tree.iter("{*}participant") if p.get("processRef")}
    drawn = {pid: rank for rank, pid in enumerate(pools)}
    # The pools' order as drawn in the collaboration; processes without a pool after them.
    ordered = sorted(process_ids, key=lambda pid: drawn.get(pid, len(drawn)))
    process_names = {str(p.get("id")): p.get("name") for p in tree.iter("{*}process")}

    def named(pid: str) -> tuple[str, str]:
        """(the element to name: the pool or the process, its name as drawn or its id)"""
        pool = pools.get(pid)
        if pool is None:
            return pid, str(process_names.get(pid) or pid)
        return str(pool.get("id")), str(pool.get("name") or process_names.get(pid) or pool.get("id"))

    _, first = named(ordered[0])
    problems = []
    for pid in ordered[1:]:
        element, name = named(pid)
        problems.append(
            DeployProblem(
                f"'{name}' is another executable process beside '{first}'; a file deploys one process: "
                "deploy each pool as its own file, or make this pool a black box (collapse it, or set "
                'isExecutable="false" on its process)',
                element,
                line_of(tree, element),
                "several_processes",
                {"name": name, "first": first},
            )
        )
    return problems
