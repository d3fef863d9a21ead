"""Reading input: tidy tables now; survey formats and participation records in later modules."""

from .load import load_network
from .names import normalise_name, reconcile_names
from .survey import load_survey, read_name_generator, read_register, read_roster, read_survey, survey_network
from .tables import Table, read_table

__all__ = ["load_network", "read_table", "Table", "normalise_name", "reconcile_names", "load_survey",
           "read_survey", "survey_network", "read_name_generator", "read_roster", "read_register"]
