"""When a score may link a row to a client without a person: the one declaration.

The Fellegi-Sunter probability decides (``Parameters.thresholds["link"]``, chosen on the
training data so that no wrong link passes it, with a margin: ingest_quality --train).
Three guards stand beside it, for the one place where the fields are not independent given
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
   exact agreement needs none; rule 3's slips are backed by the household instead.
3. A first name one keystroke from the client's (the typo level) that is *not a given
   name* links when the surname and the birthday are exact and the household backs it:
   the postal code or the street address agrees exactly and the other is alike (an
   address typed with a slip) or left empty, no middle name or phone disagrees, the
   names are not swapped and the first name has as many words as the client's. A twin
   or a sibling carries a real name (Amira beside Amina); a keyboard slip mostly makes a
   word nobody is called (Jonh, Mraia). A given name is a word of the United States
   1990 Census first names (given_names.txt, public domain), a usual short form of
   nicknames.csv, or the whole first name of any client of the registry: a name the
   list lacks counts once the registry has met it, and a larger registry knows more
   names, so the rule gets more careful as the registry grows, never less. What it
   cannot tell: a twin whose real name is in neither (Aminat beside Amina, at the same
   address, no middle name or phone in the row); an agency can add its communities'
   names to given_names.txt. With names and a birthday only, a typo still goes to a
   person: a near-namesake born the same day with a slip of a name (the generator's
   "near-namesake of a client") has the same evidence, and nothing then tells them apart.

A middle name that differs (both sides have one, not even the initials agree) blocks an
automatic link whatever else agrees: it is what tells apart twins or namesakes given the
same first name.

Everything else the probability decides: a typo in the surname, a new surname, first and
last swapped, day and month swapped, a digit of the birthday wrong, with or without the
optional fields. Namesakes born the same day share the probability between them and stay
below the threshold.
"""

from functools import lru_cache
from pathlib import Path

from .fields import BY_NAME
from .sql import _nickname_groups

GIVEN_NAMES_PATH = Path(__file__).with_name("given_names.txt")

# Levels, by their names in fields.py (index = level).
FIRST_EXACT = BY_NAME["first_name"].levels.index("exact")
FIRST_NEAR = BY_NAME["first_name"].levels.index("sounds alike")  # or typo
FIRST_TYPO = BY_NAME["first_name"].levels.index("typo")
LAST_EXACT = BY_NAME["last_name"].levels.index("exact")
DOB_EXACT = BY_NAME["dob"].levels.index("exact")
STREET_ALIKE = BY_NAME["street_address"].levels.index("alike")
POSTAL_AREA = BY_NAME["postal_code"].levels.index("same area")
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
    "first_name_typo_not_a_name": (
        "first name one keystroke off and not a given name, surname and birthday exact, "
        "the same postal code or street address, the other alike or empty"
    ),
}


@lru_cache(maxsize=1)
def _given_names() -> list[str]:
    # Plain lower-case ASCII letters, one word a line: already as registry_fold_name folds
    # them (checked by tests/identity/test_linkage.py), so only the short forms are folded
    # in SQL; folding the 5,000 census names there took half a second per import.
    with open(GIVEN_NAMES_PATH, encoding="utf-8") as handle:
        return [line.strip() for line in handle if line.strip() and not line.startswith("#")]


def create_given_names() -> tuple[str, list]:
    """SQL and arguments to fill linkage_given_names (name) from given_names.txt and the
    forms of nicknames.csv, folded as registry_fold_name folds them."""
    return (
        """
DROP TABLE IF EXISTS linkage_given_names;
CREATE TEMP TABLE linkage_given_names ON COMMIT DROP AS
SELECT n AS name FROM unnest(%s::text[]) AS t(n)
UNION
SELECT registry_fold_name(n) FROM unnest(%s::text[]) AS t(n)
WHERE registry_fold_name(n) IS NOT NULL;
ALTER TABLE linkage_given_names ADD PRIMARY KEY (name);
ANALYZE linkage_given_names;
""",
        [_given_names(), _nickname_groups()[0]],
    )


def given_name_sql(name: str) -> str:
    """A SQL condition: the first name ``name`` (an expression) is a given name, i.e. the
    whole of it is a client's first name or a listed name (a short form such as J-F), or
    each of its words is a listed name (linkage_given_names, create_given_names) or a
    client's whole first name. Served by client_first_key_dob (its first column is the
    first name's key); clients of every state count: a name is a name whoever carries
    it."""
    return f"""(EXISTS (SELECT 1 FROM snippets_client k
          WHERE registry_name_key(k.first_name) = registry_name_key({name}))
  OR EXISTS (SELECT 1 FROM linkage_given_names g WHERE g.name = registry_fold_name({name}))
  OR NOT EXISTS (
    SELECT 1 FROM unnest(string_to_array(registry_fold_name({name}), ' ')) AS w(word)
    WHERE NOT EXISTS (SELECT 1 FROM linkage_given_names g WHERE g.name = w.word)
      AND NOT EXISTS (SELECT 1 FROM snippets_client k
                      WHERE registry_name_key(k.first_name) = w.word)))"""


def link_rule_sql(alias: str, first_name: str) -> str:
    """A SQL expression over a scored or ranked pair (``alias``) and the record's own first
    name (``first_name``, an expression): the name of the rule in RULES that allows an
    automatic link (the probability must also reach the link threshold), or NULL when none
    does (the pair needs a person). Missing optional fields (level NULL) never back a
    link. The given-name test runs last, only for the pairs every other condition of its
    rule lets through (CASE evaluates in order)."""
    a = alias
    backed = (
        f"(coalesce({a}.middle_name = {MIDDLE_EXACT}, false) "
        f"AND (coalesce({a}.phone = {PHONE_EXACT}, false) "
        f"OR coalesce({a}.street_address = {STREET_EXACT} AND {a}.postal_code = {POSTAL_EXACT}, "
        "false)))"
    )
    # One of postal code and street exact, the other alike or not in the row (a third of
    # real rows leave some contact cells empty): never both missing, never one different.
    household = (
        f"coalesce(({a}.postal_code = {POSTAL_EXACT} "
        f"AND coalesce({a}.street_address >= {STREET_ALIKE}, true)) "
        f"OR ({a}.street_address = {STREET_EXACT} "
        f"AND coalesce({a}.postal_code >= {POSTAL_AREA}, true)), false)"
    )
    # A slip changes letters, not words: a first name with a word added or dropped
    # ("Amina Hodan" for Amina) is a second given name, perhaps a sibling's, not a slip.
    words = "array_length(string_to_array({}, ' '), 1)"
    typo_in_household = (
        f"({a}.first_name = {FIRST_TYPO} AND NOT {a}.swapped "
        f"AND {words.format(a + '.first_key')} "
        f"= {words.format('registry_fold_name(' + first_name + ')')} "
        f"AND {a}.last_name = {LAST_EXACT} AND {a}.dob = {DOB_EXACT} "
        f"AND coalesce({a}.middle_name = {MIDDLE_EXACT}, true) "
        f"AND coalesce({a}.phone = {PHONE_EXACT}, true) AND {household})"
    )
    return f"""(CASE
  WHEN coalesce({a}.middle_name = {MIDDLE_DIFFERENT}, false) THEN NULL
  WHEN {a}.first_name = {FIRST_EXACT} THEN 'first_name_agrees'
  WHEN {a}.first_name >= {FIRST_NEAR} AND {backed} THEN 'first_name_near_backed'
  WHEN {typo_in_household} THEN
    CASE WHEN NOT {given_name_sql(first_name)} THEN 'first_name_typo_not_a_name' END
END)"""
