"""When a score may link a row to a client without a person: the one declaration.

A probability is not enough. With names and a birthday only, a near-namesake (Amina and
Amnia Warsame, born the same day: two people) has the same comparison vector as a typo of
one person, and a twin at the same address shares the surname, the birthday, the street
and the postal code. No weight tells them apart, so an automatic link must also rest on
evidence that a near-namesake or a twin cannot produce:

1. first name, last name and date of birth all exact (after folding case, accents and
   spaces; first and last swapped count, as the comparison recognises them); or
2. the first name exact and one of last name or birthday only near (a typo or a name
   that sounds alike; day and month swapped or a digit or two off), backed by optional
   fields that tell people apart: the same phone, or the same street address and postal
   code;
3. a new surname (last name otherwise different), first name and birthday exact, backed
   by the same phone and the same street address and postal code.

A first name that is not exact never links automatically, whatever backs it: a twin
shares the surname, the birthday, the address and often the household phone, and differs
by the first name; a near-namesake differs by one letter of it.

A middle name that differs (both sides have one, not even the initials agree) blocks an
automatic link whatever else agrees: it is what tells apart twins or namesakes given the
same first name.

Everything weaker (two fields off, a replaced first name or nickname, a single near field
with nothing to back it) goes to review with its candidates ranked. The probability
threshold (``Parameters.thresholds["link"]``) applies on top of this rule: twins and
namesakes already in the registry share the probability and stay below it.
"""

from .fields import BY_NAME

# Levels, by their names in fields.py (index = level).
NAME_EXACT = BY_NAME["first_name"].levels.index("exact")
NAME_NEAR = BY_NAME["first_name"].levels.index("sounds alike")  # sounds alike or typo
DOB_EXACT = BY_NAME["dob"].levels.index("exact")
DOB_NEAR = BY_NAME["dob"].levels.index("one or two digits off")  # or day and month swapped
MIDDLE_DIFFERENT = BY_NAME["middle_name"].levels.index("different")
POSTAL_EXACT = BY_NAME["postal_code"].levels.index("exact")
STREET_EXACT = BY_NAME["street_address"].levels.index("exact")
PHONE_EXACT = BY_NAME["phone"].levels.index("exact")

RULES = {
    "names_and_birthday_exact": "first name, last name and date of birth exact",
    "near_last_name_or_birthday_backed": (
        "last name or date of birth near, the rest exact, same phone or same street "
        "address and postal code"
    ),
    "new_surname_backed": (
        "new last name, first name and date of birth exact, same phone, street address "
        "and postal code"
    ),
}


def link_rule_sql(alias: str) -> str:
    """A SQL expression over a scored or ranked pair (``alias``): the name of the rule in
    RULES that allows an automatic link, or NULL when none does (the pair needs a
    person). Missing optional fields (level NULL) never back a link."""
    a = alias
    first, last, dob = f"{a}.first_name", f"{a}.last_name", f"{a}.dob"
    phone = f"coalesce({a}.phone = {PHONE_EXACT}, false)"
    address = (
        f"coalesce({a}.street_address = {STREET_EXACT} AND {a}.postal_code = {POSTAL_EXACT}, false)"
    )
    return f"""(CASE
  WHEN coalesce({a}.middle_name = {MIDDLE_DIFFERENT}, false) THEN NULL
  WHEN {first} = {NAME_EXACT} AND {last} = {NAME_EXACT} AND {dob} = {DOB_EXACT}
    THEN 'names_and_birthday_exact'
  WHEN {first} = {NAME_EXACT} AND ({phone} OR {address}) AND (
         ({last} >= {NAME_NEAR} AND {last} < {NAME_EXACT} AND {dob} = {DOB_EXACT})
      OR ({last} = {NAME_EXACT} AND {dob} >= {DOB_NEAR} AND {dob} < {DOB_EXACT}))
    THEN 'near_last_name_or_birthday_backed'
  WHEN {first} = {NAME_EXACT} AND {last} < {NAME_NEAR} AND {dob} = {DOB_EXACT}
       AND {phone} AND {address}
    THEN 'new_surname_backed'
END)"""
