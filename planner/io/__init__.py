"""Input: reading and checking a scenario (YAML, CSV/XLSX office tables, the Excel scenario workbook)
and the standards it names, into a `LoadedScenario`; errors name file:line: field.

Owns: yamlsrc, spreadsheet, office_columns, office_table, validation, crosscheck, loading, scenario
(the file's schema), standards (the shipped standards), workbook_scenario, workbook_read, workbook_write,
workbook_keep. May import: planner.errors, planner.i18n, planner.plan (the plan
format, for `keep:`), planner.rules.scopes and planner.rules.actions (scope names, the action
vocabulary) and planner.reports.cells (safe cell text in the workbook); nothing else of rules, and
never solver or analysis.
"""
