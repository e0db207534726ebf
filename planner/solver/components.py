"""Independent components of a scenario: offices linked by a shared budget entry, quota entry or
target cell are solved together; the rest apart (docs/solver.md)."""

from __future__ import annotations

from dataclasses import replace

from planner.io.loading import BudgetEntry, QuotaEntry
from planner.rules.requirements import Requirements
from planner.rules.targets import TargetCell


def components(req: Requirements) -> list[list[int]]:
    """Groups of office indices linked by a shared budget entry, quota entry or target cell."""
    parent = list(range(len(req.offices)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def link(members: list[int]) -> None:
        for j in members[1:]:
            a, b = find(members[0]), find(j)
            if a != b:
                parent[b] = a

    members = req.scope_members()
    index = req.office_index()
    for scope in {b.scope for b in req.budgets} | {q.scope for q in req.quotas}:
        link(list(members.get(scope, ())))
    for cell in req.targets:
        link([index[i] for i in cell.office_ids])
    groups: dict[int, list[int]] = {}
    for i in range(len(req.offices)):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def split_requirements(req: Requirements, parts: list[list[int]]) -> list[Requirements]:
    """Each component's requirements: its offices and the limits and cells that touch them.

    One pass over budgets, quotas and cells (grouped by scope), not one pass per component."""
    comp_of_office = {req.offices[i].id: k for k, idx in enumerate(parts) for i in idx}
    comp_of_index = {i: k for k, idx in enumerate(parts) for i in idx}
    comps_of_scope = {scope: sorted({comp_of_index[i] for i in members if i in comp_of_index})
                      for scope, members in req.scope_members().items()}
    budgets: list[list[BudgetEntry]] = [[] for _ in parts]
    quotas: list[list[QuotaEntry]] = [[] for _ in parts]
    cells: list[list[TargetCell]] = [[] for _ in parts]
    for b in req.budgets:
        for k in comps_of_scope.get(b.scope, ()):
            budgets[k].append(b)
    for q in req.quotas:
        for k in comps_of_scope.get(q.scope, ()):
            quotas[k].append(q)
    for c in req.targets:
        kc = comp_of_office.get(c.office_ids[0])  # a cell never spans components
        if kc is not None:
            cells[kc].append(c)
    return [replace(req, offices=tuple(req.offices[i] for i in idx), budgets=tuple(budgets[k]),
                    quotas=tuple(quotas[k]), targets=tuple(cells[k])) for k, idx in enumerate(parts)]
