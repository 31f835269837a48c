"""Figures of the plan itself (hires over time, role costs, utilisation), exact and pure.

Both the checks (OPS409, OPS607) and the report read them, so they live below both: they
import only the model.
"""
