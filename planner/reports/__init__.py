"""Outputs planners hand on: the task list (任务清单), timetable (时间进度表), attainment and spending
tables, as Excel or CSV. `tables.py` builds the rows once; the writers only format them."""
