"""Rules: docs/reference.md §3–§7 in plain Python — classification, what a standard asks (needs), the
requirements the model is built from (derive), the attainment checker, the action vocabulary and
pricing, a plan's figures (evaluate), verify and its own recount, target cells and scopes.

Owns: classify, needs, requirements, attainment, actions, evaluate, verify, recount, targets, scopes.
May import: planner.io, planner.plan, planner.errors, planner.i18n, planner.solver.status (status
and level names only) and planner.analysis.churn (verify's check of a churn section). Never the
model or the solve: the checker and the CP-SAT model encode §4 independently (and recount imports
neither evaluate nor attainment).
"""
