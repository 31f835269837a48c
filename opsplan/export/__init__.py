"""`opsplan export`: the plan (and the report's figures) as tables a spreadsheet opens."""
