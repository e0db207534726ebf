"""Solver: the CP-SAT model (one function per constraint family in model/constraints.py), what a
solve is asked and returns (params), CP-SAT set-up (cpsat) and statuses (status), components and
the conflict search, the lexicographic solve by component (solve, solve_churn), HiGHS for
large coupled components and their first plan by county when time is short (mip, shared_fund,
county_split), process pools and Dask (pool, remote), memory limits, and the
outcome → plan.json (result).

Owns: model, params, cpsat, components, conflict, solve, solve_churn, status, mip, shared_fund, county_split,
result,
pool, remote, limits. May import:
planner.io, planner.rules, planner.plan, planner.errors, planner.i18n, and from analysis only replan
and churn (result's churn section against an earlier plan); never reports.
"""
