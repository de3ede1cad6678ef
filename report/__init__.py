"""The output ends: what the dashboard hands out (the Excel template of a report, …)."""
