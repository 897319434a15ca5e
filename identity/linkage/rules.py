"""When a score may link a row to a client without a person: the one declaration.

The Fellegi-Sunter probability decides (``Parameters.thresholds["link"]``, chosen on the
training data so that no wrong link passes it, with a margin: ingest_quality --train).
Two guards stand beside it, for the one place where the fields are not independent given
non-match and no weight estimated from the data can be trusted: the family.

1. A first name that differs (different, or only the same initial) never links
   automatically, whatever the probability: a twin shares the surname, the birthday, the
   address and often the household phone, and differs by the first name. A returning
   person whose first name was replaced looks exactly like that twin; a Coordinator
   decides (the right candidate is ranked first).
2. A first name that is only near (a typo, or a name that sounds alike) links only when
   the same middle name *and* the same phone or street address and postal code back it:
   a near-namesake (Amina and Amnia Warsame, born the same day) has the same
   names-and-birthday evidence as a typo of one person; a twin so named shares the
   address and often the household phone, rarely the middle name; and a middle name alone
   is shared by chance (the training file had a near-namesake with the same middle name
   at 11 bits). A usual short form (Bob for Robert, nicknames.csv) is backed the same
   way: a name in two spellings (Alexander and Oleksandr) is a short form of itself,
   and a held-out twin drawn so was linked when short forms needed no backing. Only
   exact agreement needs none.

A middle name that differs (both sides have one, not even the initials agree) blocks an
automatic link whatever else agrees: it is what tells apart twins or namesakes given the
same first name.

Everything else the probability decides: a typo in the surname, a new surname, first and
last swapped, day and month swapped, a digit of the birthday wrong, with or without the
optional fields. Namesakes born the same day share the probability between them and stay
below the threshold.
"""

from .fields import BY_NAME

# Levels, by their names in fields.py (index = level).
FIRST_EXACT = BY_NAME["first_name"].levels.index("exact")
FIRST_NEAR = BY_NAME["first_name"].levels.index("sounds alike")  # or typo
MIDDLE_DIFFERENT = BY_NAME["middle_name"].levels.index("different")
MIDDLE_EXACT = BY_NAME["middle_name"].levels.index("exact")
PHONE_EXACT = BY_NAME["phone"].levels.index("exact")
STREET_EXACT = BY_NAME["street_address"].levels.index("exact")
POSTAL_EXACT = BY_NAME["postal_code"].levels.index("exact")

RULES = {
    "first_name_agrees": "first name exact; the probability decides",
    "first_name_near_backed": (
        "first name a short form, a typo or sounding alike, the same middle name and phone "
        "or address"
    ),
}


def link_rule_sql(alias: str) -> str:
    """A SQL expression over a scored or ranked pair (``alias``): the name of the rule in
    RULES that allows an automatic link (the probability must also reach the link
    threshold), or NULL when none does (the pair needs a person). Missing optional fields
    (level NULL) never back a link."""
    a = alias
    backed = (
        f"(coalesce({a}.middle_name = {MIDDLE_EXACT}, false) "
        f"AND (coalesce({a}.phone = {PHONE_EXACT}, false) "
        f"OR coalesce({a}.street_address = {STREET_EXACT} AND {a}.postal_code = {POSTAL_EXACT}, "
        "false)))"
    )
    return f"""(CASE
  WHEN coalesce({a}.middle_name = {MIDDLE_DIFFERENT}, false) THEN NULL
  WHEN {a}.first_name = {FIRST_EXACT} THEN 'first_name_agrees'
  WHEN {a}.first_name >= {FIRST_NEAR} AND {backed} THEN 'first_name_near_backed'
END)"""
