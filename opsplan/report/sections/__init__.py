"""The report's sections, one module each: its figures (frozen dataclasses), how they are built
from the plan and its actuals, and the gaps they show. ``shared`` holds what every section uses."""
