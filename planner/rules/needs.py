"""What a standard asks of one office (docs/reference.md §4 rules 1, 2 and 4), in one place.

`derive` (the model's requirements), `attainment.gaps` (the checker) and the task list's
"requirement it closes" all read the need here. (`recount`, verify's own recount, keeps its
independent copy on purpose.)
"""

from __future__ import annotations

from planner.io.scenario import Office
from planner.io.standards import Standard


def staff_need(std: Standard, tier: str, office: Office, role: str, year: int) -> int:
    """Rules 1–2: the tier's minimum for the role or what its caseload ratio asks that year,
    whichever is larger (the ratio rounded up to whole people)."""
    need = std.tiers[tier].min_staff.get(role, 0)  # type: ignore[index]
    ratio = std.caseload_ratios.get(role)
    if ratio is not None:
        need = max(need, -(-office.caseload_in(ratio.field, year) // ratio.per_worker))
    return need


def area_need(std: Standard, tier: str, office: Office) -> int:
    """Rule 4: the tier's floor area for the office's kind (township or subdistrict), m²."""
    return std.tiers[tier].min_floor_area_m2[office.kind]  # type: ignore[index]
