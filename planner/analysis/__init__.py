"""Analysis: what is done with plans and scenarios beyond one solve — why targets conflict (explain),
each office's path (office_explain), marginal values, compare and sweep, rolling a scenario on
(advance), stable re-plans and churn (replan, churn, churn_causes), input diagnostics, milestones,
synthetic scenarios (generate).

Owns: explain, office_explain, marginal, compare, sweep, advance, replan, churn, churn_causes,
diagnose, milestones, generate. May import: planner.io, planner.rules, planner.solver,
planner.pipeline, planner.plan, planner.reports (names and tables), planner.errors, planner.i18n.
"""
