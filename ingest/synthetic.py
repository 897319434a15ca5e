"""Synthetic daily files for the benchmark and the matching-quality measurement.

Nothing here is real personal data: names come from the demo pools (snippets/demo_data.py)
plus a few accented and non-Latin ones, dates of birth are random. Each generated row
carries the truth (which client it really is, or nobody), so the import's decisions can be
scored: a wrong link is a row linked to anyone but its true client.
"""

import datetime
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from snippets import demo_data

# Names whose accents, hyphens and scripts exercise the matching; added to the demo pools.
ACCENTED_FIRST = (
    "José",
    "María José",
    "Zoë",
    "Hélène",
    "François",
    "Søren",
    "Małgorzata",
    "Łukasz",
    "Ayşe",
    "Siobhán",
    "Seán",
    "Jean-Pierre",
    "Thị Ánh",
    "Ngozi",
    "Oluwaséun",
    "Cabdiraxmaan",
    "Олександр",
    "Ірина",
    "Γιώργος",
)
ACCENTED_LAST = (
    "Núñez",
    "Müller",
    "Çelik",
    "Şahin",
    "Nguyễn",
    "Đặng",
    "O'Brien",
    "Lévesque",
    "Côté",
    "Gagné",
    "Wójcik",
    "Dąbrowski",
    "Ó Súilleabháin",
    "Abd al-Rahman",
    "Шевченко",
    "Коваленко",
    "Παπαδόπουλος",
)
# Given names with usual short forms (NICKNAMES below), common in Toronto's registries:
# without them the "nickname" error would almost always be a replaced name instead.
FORMAL_FIRST = (
    "Robert",
    "William",
    "Elizabeth",
    "Katherine",
    "Margaret",
    "Joseph",
    "Thomas",
    "Alexander",
    "Samuel",
    "Patricia",
    "Nicholas",
    "Christopher",
    "Jennifer",
)
FIRST_NAMES = tuple(demo_data.FIRST_NAMES) + ACCENTED_FIRST + FORMAL_FIRST
LAST_NAMES = tuple(demo_data.LAST_NAMES) + ACCENTED_LAST
EARLIEST_DOB, LATEST_DOB = datetime.date(1935, 1, 1), datetime.date(2009, 12, 31)
LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class Person:
    first_name: str
    last_name: str
    dob: datetime.date


def random_person(rng: random.Random) -> Person:
    return Person(
        rng.choice(FIRST_NAMES),
        rng.choice(LAST_NAMES),
        demo_data.random_date(rng, EARLIEST_DOB, LATEST_DOB),
    )


def name_key(name: str) -> str:
    """Python's idea of the registry's name key (for the generator only: the import uses
    registry_name_key in PostgreSQL)."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return " ".join(folded.lower().split())


# --- Errors a person makes typing a name or a date ------------------------------------


def typo(rng: random.Random, name: str) -> str:
    """One keystroke wrong: a letter replaced, dropped, doubled in, or two swapped."""
    if len(name) < 3:
        return name + rng.choice(LETTERS)
    i = rng.randrange(1, len(name) - 1)
    kind = rng.choice(("replace", "drop", "insert", "swap"))
    if kind == "replace":
        return name[:i] + rng.choice(LETTERS.replace(name[i].lower(), "")) + name[i + 1 :]
    if kind == "drop":
        return name[:i] + name[i + 1 :]
    if kind == "insert":
        return name[:i] + rng.choice(LETTERS) + name[i:]
    return name[: i - 1] + name[i] + name[i - 1] + name[i + 1 :]


def strip_accents(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def swap_day_month(dob: datetime.date) -> datetime.date | None:
    if dob.day > 12 or dob.day == dob.month:
        return None
    return dob.replace(month=dob.day, day=dob.month)


def transpose_day(dob: datetime.date) -> datetime.date | None:
    digits = f"{dob.day:02d}"
    try:
        return dob.replace(day=int(digits[::-1]))
    except ValueError:
        return None


# Each variant: (label, what the import should do, function person -> (first, last, dob)).
# "link": same person, differences the exact rule ignores (case, spacing, accents).
# "review": same person with a real error: flag with the right candidate (or, failing
# that, a duplicate; never a link).
Variant = tuple[str, str, Callable]


def _with(first=None, last=None, dob=None):
    return lambda p: (
        first(p) if first else p.first_name,
        last(p) if last else p.last_name,
        dob(p) if dob else p.dob,
    )


def variants(rng: random.Random) -> list[Variant]:
    return [
        ("exact", "link", _with()),
        (
            "capitals and spaces",
            "link",
            _with(first=lambda p: f"  {p.first_name.upper()} ", last=lambda p: p.last_name.upper()),
        ),
        (
            "accents dropped",
            "link",
            _with(
                first=lambda p: strip_accents(p.first_name),
                last=lambda p: strip_accents(p.last_name),
            ),
        ),
        ("typo in last name", "review", _with(last=lambda p: typo(rng, p.last_name))),
        ("typo in first name", "review", _with(first=lambda p: typo(rng, p.first_name))),
        ("first and last swapped", "review", lambda p: (p.last_name, p.first_name, p.dob)),
        ("day and month swapped", "review", _with(dob=lambda p: swap_day_month(p.dob))),
        ("day digits transposed", "review", _with(dob=lambda p: transpose_day(p.dob))),
        (
            "accents dropped and a typo",
            "review",
            _with(last=lambda p: typo(rng, strip_accents(p.last_name))),
        ),
        (
            "hyphen for a space",
            "review",
            _with(
                last=lambda p: (
                    p.last_name.replace(" ", "-")
                    if " " in p.last_name
                    else p.last_name + "-" + rng.choice(LAST_NAMES)
                )
            ),
        ),
    ]


# --- Contact details and the errors of real exports (issue 11) -------------------------

# The short forms the generator writes (its own list, kept apart from the matcher's
# identity/linkage/nicknames.csv so that the measurement does not grade its own answers).
NICKNAMES = {
    "Robert": ("Bob", "Rob", "Bobby"),
    "William": ("Bill", "Will", "Billy"),
    "Elizabeth": ("Liz", "Beth", "Betty"),
    "Katherine": ("Kate", "Katie", "Kathy"),
    "Michael": ("Mike",),
    "Jennifer": ("Jen", "Jenny"),
    "Daniel": ("Dan", "Danny"),
    "Christopher": ("Chris",),
    "Margaret": ("Maggie", "Peggy", "Meg"),
    "Joseph": ("Joe",),
    "Thomas": ("Tom", "Tommy"),
    "Alexander": ("Alex", "Sasha"),
    "Samuel": ("Sam",),
    "Patricia": ("Pat", "Trish"),
    "Nicholas": ("Nick",),
    "Jessica": ("Jess",),
    "Mohamed": ("Mohammed", "Muhammad"),
    "Oleksandr": ("Sasha",),
    "Katarzyna": ("Kasia",),
    "Abdirahman": ("Abdi",),
}
STREETS = (
    "Queen St W",
    "King St E",
    "Dundas St W",
    "Bloor St W",
    "Yonge St",
    "Jarvis St",
    "Sherbourne St",
    "Parliament St",
    "Gerrard St E",
    "College St",
    "Spadina Ave",
    "Bathurst St",
    "Danforth Ave",
    "Eglinton Ave W",
    "Lawrence Ave E",
    "Finch Ave W",
    "Kingston Rd",
    "Weston Rd",
    "Jane St",
    "Keele St",
)


@dataclass
class Contact:
    middle_name: str
    postal_code: str
    street_address: str
    phone: str


def random_postal_code(rng: random.Random) -> str:
    letters = "ABCEGHJKLMNPRSTVXY"
    return (
        f"M{rng.randrange(10)}{rng.choice(letters)} "
        f"{rng.randrange(10)}{rng.choice(letters)}{rng.randrange(10)}"
    )


def random_contact(rng: random.Random) -> Contact:
    return Contact(
        middle_name=rng.choice(FIRST_NAMES) if rng.random() < 0.4 else "",
        postal_code=random_postal_code(rng),
        street_address=f"{rng.randrange(1, 2500)} {rng.choice(STREETS)}",
        phone=f"416555{rng.randrange(10000):04d}",
    )


def nickname(rng: random.Random, first: str) -> str:
    """A nickname when the name has a usual one, else another first name altogether."""
    forms = NICKNAMES.get(first)
    return rng.choice(forms) if forms else rng.choice(FIRST_NAMES)


def digit_typo(rng: random.Random, dob: datetime.date) -> datetime.date | None:
    """One digit of the date typed wrong."""
    text = dob.strftime("%Y%m%d")
    i = rng.choice((3, 5, 7))
    digit = str((int(text[i]) + rng.choice((1, -1))) % 10)
    try:
        return datetime.datetime.strptime(text[:i] + digit + text[i + 1 :], "%Y%m%d").date()
    except ValueError:
        return None
