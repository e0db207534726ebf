"""Reports: the plan as tables (`tables.py` builds the rows once, `labels.py` holds their words), written
as Excel, CSV (cells), HTML (html), the frontier chart (charts) and the Word draft (document); the
writers only format rows.

Owns: tables, labels, cells, xlsx, html, charts, document. May import: planner.io, planner.rules,
planner.plan, planner.errors, planner.i18n, planner.solver.status (status names),
planner.analysis.milestones (the timetable's milestones) and planner.analysis.sweep (the frontier's
point type); never the model or the solve.
"""
