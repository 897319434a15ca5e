"""English (Canada), as Django has it, but figures grouped "1,234" as staff write them."""

from django.conf.locale.en_CA.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
