"""French (Canada), as Django has it, but figures grouped with a narrow no-break space
("1 234"), as the Office québécois de la langue française recommends."""

from django.conf.locale.fr_CA.formats import *  # noqa: F403

THOUSAND_SEPARATOR = "\u202f"
