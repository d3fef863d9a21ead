"""Reading input: tidy tables, surveys (name generator, roster, register) and participation records."""

from .load import load_network
from .names import normalise_name, reconcile_names
from .participation import Participations, load_participation_network, make_participations, project, read_participations
from .survey import load_survey, read_name_generator, read_register, read_roster, read_survey, survey_network
from .tables import Table, read_table

__all__ = ["load_network", "read_table", "Table", "normalise_name", "reconcile_names", "load_survey",
           "read_survey", "survey_network", "read_name_generator", "read_roster", "read_register",
           "Participations", "read_participations", "make_participations", "project",
           "load_participation_network"]
