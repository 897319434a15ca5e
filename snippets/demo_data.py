"""Synthetic demo data: multilingual names as a Toronto agency sees them, programs, and a
bulk loader (PostgreSQL COPY) that reaches city scale in minutes.

Nothing here is real personal data: names are drawn at random from common-name pools and
combined, dates of birth are random.
"""

import datetime
import random
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection
from django.utils import timezone

from .models import CLIENT_FIELDS, ImmigrationStatus

FIRST_NAMES = (
    # English / Canadian
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Charlotte",
    "James",
    "Amelia",
    "Lucas",
    "Ava",
    "Ethan",
    "Sarah",
    "Michael",
    "Jessica",
    "Daniel",
    "Ashley",
    "Tyler",
    "Brittany",
    "Kyle",
    "Megan",
    # French
    "Zoé",
    "Léa",
    "Chloé",
    "Élodie",
    "Gabriel",
    "Mathéo",
    "Benoît",
    "François",
    "Hélène",
    "Jean-Luc",
    "Marie-Ève",
    "Anaïs",
    "Loïc",
    # Chinese (Mandarin and Cantonese romanisations)
    "Wei",
    "Xin",
    "Jia Hui",
    "Zhi Hao",
    "Mei Ling",
    "Ka Wai",
    "Wing Yan",
    "Chun Kit",
    "Yu Ting",
    # South Asian
    "Harpreet",
    "Gurpreet",
    "Manpreet",
    "Simran",
    "Arjun",
    "Priya",
    "Rohan",
    "Ananya",
    "Aarav",
    "Kavya",
    "Tharshan",
    "Nirosha",
    "Sivakumar",
    "Thenmozhi",
    "Ayesha",
    "Imran",
    "Fatima",
    # Filipino
    "Maricel",
    "Jericho",
    "Rowena",
    "Joselito",
    "Analyn",
    "Rhea Mae",
    # Somali, Eritrean, Ethiopian
    "Abdirahman",
    "Hodan",
    "Farhiya",
    "Mohamed",
    "Ayaan",
    "Yonas",
    "Selam",
    "Tesfaye",
    "Hiwot",
    # Arabic, Persian, Turkish
    "Omar",
    "Layla",
    "Yousef",
    "Noor",
    "Khaled",
    "Rania",
    "Reza",
    "Shirin",
    "Dariush",
    "Elif",
    # Spanish, Portuguese
    "José",
    "María José",
    "Sofía",
    "Mateo",
    "Valentina",
    "Joaquín",
    "João",
    "Inês",
    "Conceição",
    # Ukrainian, Polish, Russian
    "Oleksandr",
    "Olena",
    "Mykola",
    "Iryna",
    "Katarzyna",
    "Wojciech",
    "Dmitri",
    "Svetlana",
    # Vietnamese, Korean
    "Minh",
    "Thảo",
    "Quỳnh",
    "Hoàng",
    "Ji-woo",
    "Seo-yeon",
    "Min-jun",
    # Caribbean, West African
    "Shanice",
    "Jermaine",
    "Tamika",
    "Kwame",
    "Adwoa",
    "Chidi",
    "Ngozi",
    "Oluwaseun",
    # Indigenous (Anishinaabe, Cree, Inuit names in common use)
    "Nodin",
    "Migizi",
    "Ziigwan",
    "Wapun",
    "Ahanu",
    "Nuna",
    "Sila",
)

LAST_NAMES = (
    "Smith",
    "Brown",
    "Tremblay",
    "Martin",
    "Roy",
    "Wilson",
    "MacDonald",
    "Taylor",
    "Campbell",
    "Anderson",
    "O'Brien",
    "McLeod",
    "Gagnon",
    "Côté",
    "Bélanger",
    "Lévesque",
    "Bouchard",
    "Wang",
    "Li",
    "Zhang",
    "Chen",
    "Liu",
    "Wong",
    "Chan",
    "Leung",
    "Ng",
    "Cheung",
    "Lam",
    "Singh",
    "Kaur",
    "Gill",
    "Sandhu",
    "Dhillon",
    "Patel",
    "Shah",
    "Sharma",
    "Gupta",
    "Sivarajah",
    "Thambirajah",
    "Kanagaratnam",
    "Khan",
    "Hussain",
    "Ahmed",
    "Siddiqui",
    "Santos",
    "Reyes",
    "Dela Cruz",
    "Bautista",
    "Garcia",
    "Mendoza",
    "Hassan",
    "Abdi",
    "Warsame",
    "Farah",
    "Tesfamariam",
    "Gebremedhin",
    "Haile",
    "Bekele",
    "Al-Sayed",
    "Haddad",
    "Khoury",
    "Mansour",
    "Hosseini",
    "Rahimi",
    "Karimi",
    "Yılmaz",
    "Rodríguez",
    "González",
    "Hernández",
    "Pérez",
    "da Silva",
    "Ferreira",
    "Gonçalves",
    "Kovalenko",
    "Shevchenko",
    "Bondarenko",
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Ivanov",
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Kim",
    "Park",
    "Lee",
    "Choi",
    "Campbell-Brown",
    "Thompson",
    "Clarke",
    "Mensah",
    "Owusu",
    "Okafor",
    "Adeyemi",
    "N'Diaye",
    "Whitehead",
    "Commanda",
    "Cheechoo",
    "Kakegamic",
    "Meeches",
    "Okalik",
    "Kilabuk",
)

GENDERS = (
    ("Woman", 44),
    ("Man", 46),
    ("Non-binary", 3),
    ("Two-Spirit", 1),
    ("Transgender woman", 1),
    ("Transgender man", 1),
    ("Prefers not to say", 2),
    ("", 2),
)
SEXUAL_ORIENTATIONS = (
    ("Straight / heterosexual", 70),
    ("Gay", 4),
    ("Lesbian", 3),
    ("Bisexual", 5),
    ("Queer", 2),
    ("Two-Spirit", 1),
    ("Asexual", 1),
    ("Prefers not to say", 6),
    ("", 8),
)
IMMIGRATION_STATUSES = (
    (ImmigrationStatus.CANADIAN_CITIZEN, 52),
    (ImmigrationStatus.PERMANENT_RESIDENT, 16),
    (ImmigrationStatus.REFUGEE_CLAIMANT, 10),
    (ImmigrationStatus.PROTECTED_PERSON, 5),
    (ImmigrationStatus.GOVERNMENT_ASSISTED_REFUGEE, 2),
    (ImmigrationStatus.PRIVATELY_SPONSORED_REFUGEE, 1),
    (ImmigrationStatus.TEMPORARY_RESIDENT, 4),
    (ImmigrationStatus.NO_STATUS, 3),
    (ImmigrationStatus.PREFER_NOT_TO_SAY, 2),
    ("", 5),
)
LANGUAGES = (
    ("English", 60),
    ("French", 6),
    ("Mandarin", 5),
    ("Cantonese", 4),
    ("Punjabi", 4),
    ("Tamil", 3),
    ("Tagalog", 3),
    ("Spanish", 3),
    ("Arabic", 3),
    ("Farsi", 2),
    ("Somali", 2),
    ("Tigrinya", 1),
    ("Portuguese", 2),
    ("Ukrainian", 2),
    ("Vietnamese", 1),
    ("Urdu", 2),
    ("Ojibwe", 1),
    ("Cree", 1),
)

DEPARTMENTS = {
    "Shelter Services": [
        ("Men's Shelter", 120),
        ("Women's Shelter", 80),
        ("Family Shelter", 60),
        ("Youth Shelter", 40),
        ("Winter Respite Site", 150),
    ],
    "Drop-in Services": [
        ("Queen West Drop-in", 60),
        ("Parkdale Women's Drop-in", 35),
        ("Scarborough Drop-in", 50),
    ],
    "Counselling": [
        ("Individual Counselling", 45),
        ("Trauma Counselling Group", 12),
        ("Addictions Counselling", 30),
        ("Family Counselling", None),
    ],
    "Housing Help": [
        ("Housing Help Desk", None),
        ("Rent Bank", None),
        ("Transitional Housing", 24),
    ],
    "Newcomer Services": [
        ("Settlement Counselling", None),
        ("Refugee Claimant Support", 70),
        ("Language Classes", 25),
        ("Employment Bridging", 20),
    ],
}
LOCATIONS = (
    "129 Peter St, Toronto",
    "1651 Sheppard Ave W, Toronto",
    "339 George St, Toronto",
    "67 Adelaide St E, Toronto",
    "1229 Queen St W, Toronto",
    "3100 Eglinton Ave E, Toronto",
    "20 Gladstone Ave, Toronto",
    "4 Spadina Rd, Toronto",
    "2808 Dundas St W, Toronto",
)
DISCHARGE_REASONS = (
    "Moved to permanent housing",
    "Moved to another program",
    "Completed the program",
    "Left without notice",
    "Returned home",
    "Hospitalised",
    "Service restriction",
)
RESTRICTION_REASONS = (
    "Threatened staff",
    "Violence toward another client",
    "Repeated theft",
    "Weapon on premises",
    "Drug dealing on premises",
)
SOURCES = (("SMIS", 0.6), ("EMH", 0.2), ("FFAI", 0.1))


def weighted(rng: random.Random, pairs: Sequence[tuple[str, int]], k: int = 1) -> list[str]:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=k)


class Weighted:
    """Fast repeated weighted draws (cumulative weights computed once)."""

    def __init__(self, pairs: Sequence[tuple[str, int]]):
        self.values = [v for v, _ in pairs]
        total, self.cum = 0, []
        for _, w in pairs:
            total += w
            self.cum.append(total)

    def __call__(self, rng: random.Random) -> str:
        return rng.choices(self.values, cum_weights=self.cum)[0]


# The client columns bulk loaders fill (COPY); Wagtail's state columns are added to them.
CLIENT_COPY_COLUMNS = ("id", *CLIENT_FIELDS, "extra_demographics")

STATE_COLUMNS = (
    "live",
    "has_unpublished_changes",
    "expired",
    "locked",
    "first_published_at",
    "last_published_at",
    "created_at",
    "updated_at",
)


@contextmanager
def indexes_rebuilt_after(tables: Sequence[str]):
    """Drop the tables' plain indexes and foreign keys for a bulk load; rebuild them after.

    Building an index once over millions of rows is several times faster than updating it
    row by row, and re-adding a foreign key checks every row in one join instead of one
    lookup per row. Primary keys, unique indexes and CHECK constraints stay throughout, and
    the foreign keys are checked in full when re-added, so nothing invalid can slip in.
    Use inside a transaction: a failed load leaves the tables as they were.
    """
    with connection.cursor() as cursor:
        # PostgreSQL won't alter a table with foreign-key checks still pending from earlier
        # writes in this transaction: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisunique AND NOT i.indisprimary
            """,
            [list(tables)],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE conrelid = ANY(%s::regclass[]) AND contype = 'f'
            """,
            [list(tables)],
        )
        foreign_keys = cursor.fetchall()
        for table, name, _ in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def copy_records(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY published registry rows into ``table``; returns how many were written.

    Each row gives ``columns``; Wagtail's draft-state columns are filled in as for a
    record published now (live, no pending changes, unlocked).
    """
    now = timezone.now()
    state = (True, False, False, False, now, now, now, now)
    count = 0
    sql = f"COPY {table} ({', '.join((*columns, *STATE_COLUMNS))}) FROM STDIN"
    with connection.cursor() as cursor, cursor.connection.cursor().copy(sql) as copy:
        for row in rows:
            copy.write_row((*row, *state))
            count += 1
    return count


def copy_plain(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY rows of a table without draft state (child rows such as source ids)."""
    count = 0
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.connection.cursor().copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def random_date(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def client_rows(rng: random.Random, count: int, ids: list) -> Iterator[tuple]:
    """Clients: (id, first_name, last_name, dob, gender, languages, orientation, status, {})."""
    gender, orientation = Weighted(GENDERS), Weighted(SEXUAL_ORIENTATIONS)
    status, language = Weighted(IMMIGRATION_STATUSES), Weighted(LANGUAGES)
    first_dob, last_dob = datetime.date(1935, 1, 1), datetime.date(2009, 12, 31)
    for _ in range(count):
        client_id = uuid.uuid4()
        ids.append(client_id)
        languages = {language(rng)}
        if rng.random() < 0.3:
            languages.add(language(rng))
        yield (
            client_id,
            rng.choice(FIRST_NAMES),
            rng.choice(LAST_NAMES),
            random_date(rng, first_dob, last_dob),
            gender(rng),
            sorted(languages),
            orientation(rng),
            status(rng),
            "{}",
        )


def source_id_rows(rng: random.Random, client_ids: Sequence, start_number: int) -> Iterator[tuple]:
    """Source ids (client_id, source, uid_external, sort_order), unique per source."""
    for offset, client_id in enumerate(client_ids):
        for position, (source, share) in enumerate(SOURCES):
            if rng.random() < share:
                yield (client_id, source, f"{source[0]}{start_number + offset:08d}", position)


def enrollment_rows(
    rng: random.Random,
    client_ids: Sequence,
    program_ids: Sequence,
    count: int,
    today: datetime.date,
) -> Iterator[tuple]:
    """Enrollments (id, client, program, start, end) over the last ten years.

    Stays last about three months (exponentially distributed); a stay still running today
    is open-ended, so occupancy today looks like a real agency's, not ten years of
    never-closed records.
    """
    first_day = today - datetime.timedelta(days=3650)
    for _ in range(count):
        start = random_date(rng, first_day, today)
        end = start + datetime.timedelta(days=int(rng.expovariate(1 / 90)))
        if end >= today:
            end = None if rng.random() < 0.9 else today
        yield (uuid.uuid4(), rng.choice(client_ids), rng.choice(program_ids), start, end)
