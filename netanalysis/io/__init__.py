"""Reading input: tidy tables now; survey formats and participation records in later modules."""

from .load import load_network
from .tables import Table, read_table

__all__ = ["load_network", "read_table", "Table"]
