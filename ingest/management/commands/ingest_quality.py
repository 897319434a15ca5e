"""manage.py ingest_quality [--people N] [--rows M] [--seed S] [--mix heldout|training] [--train]
manage.py ingest_quality --febrl4 FOLDER

Measures how well the daily import links people, on synthetic registries and files with
the errors real exports have: typos, swapped first and last names, nicknames and replaced
first names, new surnames, day and month swapped, a digit of the birthday wrong, missing
cells, people who moved, twins (same surname, birthday and address) and namesakes born the
same day, and ids of the source reused for another person. A new person drawn with
exactly a client's names and birthday is redrawn, and so is a returning person whose
error made them exactly another client's (both counted in the first line): that record is
the other client's, whatever matching is used. Everything happens in one transaction
that is rolled back: the registry is left as it was.

Prints, with names + date of birth only and with the optional fields as well: wrong links
(goal 0), automatic links (% of returning people without an id; goals 90% and 98%),
review items with the right candidate ranked first, duplicates created (goal <= 1%), and
the share of rows needing a person (goal <= 8%).

Each synthetic measurement prints two files from one registry: the mix as drawn (every
returning row but the "exact" kind carries an error), then one where half the returning
rows are exactly right, as in real exports.

``--febrl4 FOLDER`` measures on FEBRL 4 instead, a public benchmark (ingest/febrl.py):
dataset4a.csv as the registry, dataset4b.csv through the real import; held-out, never
tuned on.

``--train`` estimates the linkage's parameters (identity/linkage/) on a *training* file
(seed 1, the training mix) and writes parameters.json; the figures in docs/ingest.md are
then measured on the held-out mix with another seed, never tuned on.
"""

import csv
import random
import re
import tempfile
import uuid
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from identity.linkage import parameters as linkage_parameters
from identity.linkage import training
from ingest import febrl, synthetic
from ingest.services import daily_file_import
from snippets import demo_data
from snippets.models import Client, SourceSystem

SOURCE = "QUALITY"
OPTIONAL = ["middle_name", "postal_code", "street_address", "phone"]
# Of returning people, the share whose row is exactly right in the second held-out file:
# real exports of a person already known mostly repeat what the source system holds; half
# is a cautious share (the errors stay the mix's, in the other half).
CLEAN_SHARE = 0.5

# Kinds of returning rows, with their weight in each mix. The held-out mix has more of
# the hard cases and kinds the training mix lacks (a digit wrong with a typo, a first-name
# typo by someone who moved, a double-barrelled surname; among new people, twins sharing
# the household phone). Nicknames are in both: EM cannot estimate the weight of a level
# it never sees.
MIXES = {
    "training": {
        "exact": 30,
        "capitals and accents": 10,
        "typo in first name": 10,
        "typo in last name": 10,
        "first and last swapped": 5,
        "replaced first name": 4,
        "new surname": 5,
        "day and month swapped": 5,
        "digit of birthday wrong": 5,
        "nickname": 3,
        "moved": 6,
    },
    "heldout": {
        "exact": 20,
        "capitals and accents": 8,
        "typo in first name": 10,
        "typo in last name": 10,
        "first and last swapped": 6,
        "nickname": 6,
        "replaced first name": 4,
        "new surname": 7,
        "day and month swapped": 7,
        "digit of birthday wrong": 6,
        "typo and birthday wrong": 4,
        "typo in first name and moved": 3,
        "surname joined by a second": 2,
        "moved": 8,
    },
}


def _apply(kind, rng, row):
    first, last, dob = row["first_name"], row["last_name"], row["dob"]
    if kind == "capitals and accents":
        row["first_name"] = synthetic.strip_accents(first).upper()
        row["last_name"] = f"  {last.upper()} "
    elif kind == "typo in first name":
        row["first_name"] = synthetic.typo(rng, first)
    elif kind == "typo in last name":
        row["last_name"] = synthetic.typo(rng, last)
    elif kind == "first and last swapped":
        row["first_name"], row["last_name"] = last, first
    elif kind == "nickname":
        row["first_name"] = synthetic.nickname(rng, first)
    elif kind == "replaced first name":
        row["first_name"] = rng.choice(synthetic.FIRST_NAMES)
    elif kind == "new surname":
        row["last_name"] = rng.choice(synthetic.LAST_NAMES)
    elif kind == "day and month swapped":
        row["dob"] = synthetic.swap_day_month(dob) or dob
    elif kind == "digit of birthday wrong":
        row["dob"] = synthetic.digit_typo(rng, dob) or dob
    elif kind == "typo and birthday wrong":
        row["last_name"] = synthetic.typo(rng, last)
        row["dob"] = synthetic.digit_typo(rng, dob) or dob
    elif kind == "typo in first name and moved":
        row["first_name"] = synthetic.typo(rng, first)
        contact = synthetic.random_contact(rng)
        row["postal_code"], row["street_address"] = contact.postal_code, contact.street_address
        row["phone"] = contact.phone
    elif kind == "surname joined by a second":
        row["last_name"] = f"{last}-{rng.choice(synthetic.LAST_NAMES)}"
    elif kind == "moved":
        contact = synthetic.random_contact(rng)
        row["postal_code"], row["street_address"] = contact.postal_code, contact.street_address
        row["phone"] = contact.phone
    return row


def _folded(name: str) -> str:
    """The name as the matching compares it (registry_fold_name, spaces dropped)."""
    return re.sub(r"[-.,'’`\s]+", "", synthetic.strip_accents(name).lower())


def _identity(first: str, last: str, dob) -> frozenset:
    # First and last swapped count as the same names (the comparison recognises them).
    return frozenset({(_folded(first), _folded(last), dob), (_folded(last), _folded(first), dob)})


class Command(BaseCommand):
    help = "Score the import's matching on synthetic duplicates (rolled back afterwards)."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=5_000, help="Registry size.")
        parser.add_argument("--rows", type=int, default=5_000, help="Rows in the daily file.")
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument("--mix", choices=sorted(MIXES), default=None)
        parser.add_argument(
            "--train", action="store_true", help="Estimate and save the linkage parameters."
        )
        parser.add_argument(
            "--febrl4",
            metavar="FOLDER",
            default=None,
            help=(
                "Measure on FEBRL 4 instead (held-out: never tuned on): the folder holding "
                "dataset4a.csv (the registry) and dataset4b.csv (the nightly file)."
            ),
        )

    def handle(self, *args, people, rows, seed, mix, train, febrl4, **options):
        if Client.objects.exists():
            raise CommandError(
                "ingest_quality needs a registry without clients: point DATABASE_URL at an "
                "empty, migrated database (everything it writes is rolled back)."
            )
        if febrl4:
            if train:
                raise CommandError("--febrl4 is held-out data: it cannot be combined with --train.")
            self._febrl4(Path(febrl4))
            return
        mix = mix or ("training" if train else "heldout")
        seed = seed if seed is not None else (1 if train else 7)
        rng = random.Random(seed)
        with transaction.atomic():
            # Its own source system, rolled back with everything else.
            SourceSystem.objects.get_or_create(code=SOURCE, defaults={"name": "Quality check"})
            population = self._population(rng, people)
            if train:
                file_rows = self._daily_rows(
                    rng, population, rows, MIXES[mix], heldout=mix == "heldout"
                )
                self._train(file_rows, seed=seed, mix=mix)
            else:
                # The mix as drawn (every returning row but the "exact" kind carries an
                # error: the hard cases), then a file as real exports are, where most
                # returning rows are exactly right (CLEAN_SHARE of them), printed apart.
                for clean_share in (0.0, CLEAN_SHARE):
                    file_rows = self._daily_rows(
                        rng,
                        population,
                        rows,
                        MIXES[mix],
                        heldout=mix == "heldout",
                        clean_share=clean_share,
                    )
                    self.stdout.write(
                        f"\nRegistry: {len(population):,} synthetic clients; daily file: "
                        f"{len(file_rows):,} rows; seed {seed}, mix {mix!r}"
                        + (
                            f" with {clean_share:.0%} of returning rows exactly right"
                            if clean_share
                            else ""
                        )
                        + f"; {self.redrawn:,} rows redrawn for having exactly another "
                        "client's names and birthday."
                    )
                    for label, columns in (
                        ("names + date of birth only", []),
                        ("with the optional fields", OPTIONAL),
                    ):
                        with transaction.atomic():
                            scores = self._run(file_rows, columns)
                            transaction.set_rollback(True)
                        self._print(label, scores)
            transaction.set_rollback(True)

    def _population(self, rng, count):
        """Distinct people with contact details; 5% have a twin (same surname, birthday
        and address) and 2% a namesake born the same day elsewhere: different people."""
        people = []
        while len(people) < count:
            person = synthetic.random_person(rng)
            contact = synthetic.random_contact(rng)
            people.append([uuid.uuid4(), person, contact, None])
            roll = rng.random()
            if roll < 0.05:
                twin = synthetic.Person(
                    rng.choice(synthetic.FIRST_NAMES), person.last_name, person.dob
                )
                people.append([uuid.uuid4(), twin, synthetic.random_contact(rng), None])
                people[-1][2].postal_code, people[-1][2].street_address = (
                    contact.postal_code,
                    contact.street_address,
                )
            elif roll < 0.07:
                people.append([uuid.uuid4(), person, synthetic.random_contact(rng), None])
        for entry in people:
            if rng.random() < 0.3:
                entry[3] = f"Q{rng.randrange(10**9):09d}"
        demo_data.copy_records(
            "snippets_client",
            (*demo_data.CLIENT_COPY_COLUMNS, *OPTIONAL),
            (
                (
                    pk,
                    p.first_name,
                    p.last_name,
                    p.dob,
                    "",
                    [],
                    "",
                    "",
                    "{}",
                    c.middle_name,
                    c.postal_code,
                    c.street_address,
                    c.phone,
                )
                for pk, p, c, _uid in people
            ),
        )
        demo_data.copy_plain(
            "snippets_clientsourceid",
            ("client_id", "source", "uid_external", "sort_order"),
            ((pk, SOURCE, uid, 0) for pk, _p, _c, uid in people if uid),
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE snippets_client")
        return people

    def _daily_rows(self, rng, population, count, weights, *, heldout, clean_share=0.0):
        """80% returning people (one kind of error each, a third with some optional cells
        missing, half of those with an id carry it), 20% new people: random, near-namesakes
        of a client, twins of a client at the same address, or a reused id."""
        kinds, kind_weights = list(weights), list(weights.values())
        # A new person whose names and birthday are a client's exactly (a typo that swaps
        # two equal letters, a twin drawn with the name of a client's twin) is the same
        # record as that client: nothing in a names-and-birthday file tells them apart,
        # and it is not the near-namesake or twin it claims to be. Such draws are
        # redrawn, and counted (self.redrawn).
        known, owners = set(), {}
        for pk, p, _c, _u in population:
            for key in _identity(p.first_name, p.last_name, p.dob):
                known.add(key)
                owners.setdefault(key, set()).add(pk)
        self.redrawn = 0
        rows = []
        while len(rows) < count:
            if rng.random() < 0.8:
                pk, person, contact, uid = rng.choice(population)
                if clean_share and rng.random() < clean_share:
                    kind = "clean row (exactly right)"
                else:
                    kind = rng.choices(kinds, kind_weights)[0]
                truth = pk
                carry_uid = uid if uid and rng.random() < 0.5 else ""
            else:
                truth, carry_uid = None, ""
                _pk, other, contact, other_uid = rng.choice(population)
                roll = rng.random()
                # Near-namesakes (a first name one typo from a client's, same surname and
                # birthday) are the one kind names and a birthday cannot tell apart from a
                # typo: kept at a plausible rate, not a third of new people.
                if roll < 0.7:
                    kind = "new person"
                    person, contact = synthetic.random_person(rng), synthetic.random_contact(rng)
                elif roll < 0.75:
                    kind = "new: near-namesake of a client"
                    person = synthetic.Person(
                        synthetic.typo(rng, other.first_name),
                        other.last_name,
                        other.dob,
                    )
                    contact = synthetic.random_contact(rng)
                elif roll < 0.95:
                    # A twin: the household's address, a middle name of their own, and
                    # (held-out only, half of them) the household's phone.
                    kind = "new: twin of a client, same address"
                    person = synthetic.Person(
                        rng.choice(synthetic.FIRST_NAMES),
                        other.last_name,
                        other.dob,
                    )
                    own = synthetic.random_contact(rng)
                    phone = own.phone
                    if heldout and rng.random() < 0.5:
                        kind, phone = "new: twin of a client, same address and phone", contact.phone
                    contact = synthetic.Contact(
                        own.middle_name, contact.postal_code, contact.street_address, phone
                    )
                else:
                    kind = "new: reused id of a client"
                    person, contact = synthetic.random_person(rng), synthetic.random_contact(rng)
                    carry_uid = other_uid or ""
                    if not carry_uid:
                        continue
            if truth is None and _identity(person.first_name, person.last_name, person.dob) & known:
                self.redrawn += 1
                continue
            row = {
                "uid_external": carry_uid,
                "first_name": person.first_name,
                "last_name": person.last_name,
                "dob": person.dob,
                "middle_name": contact.middle_name,
                "postal_code": contact.postal_code,
                "street_address": contact.street_address,
                "phone": contact.phone,
            }
            row = _apply(kind, rng, row) if truth else row
            if truth:
                # Likewise a returning person whose error made the names and birthday
                # exactly another client's (a first name replaced by the one of a twin).
                keys = _identity(row["first_name"], row["last_name"], row["dob"])
                if any(owners.get(key, {truth}) - {truth} for key in keys):
                    self.redrawn += 1
                    continue
            if truth and kind != "clean row (exactly right)" and rng.random() < 0.33:
                for name in rng.sample(OPTIONAL, rng.randrange(1, 4)):
                    row[name] = ""
            rows.append((kind, truth, row))
        return rows

    def _febrl4(self, folder: Path):
        try:
            registry, nightly = febrl.load(folder)
        except febrl.FebrlError as error:
            raise CommandError(str(error)) from error
        with transaction.atomic():
            SourceSystem.objects.get_or_create(code=SOURCE, defaults={"name": "Quality check"})
            clients = febrl.registry_clients(registry)
            demo_data.copy_records(
                "snippets_client",
                (*demo_data.CLIENT_COPY_COLUMNS, *OPTIONAL),
                (
                    (
                        c.pk,
                        c.first_name,
                        c.last_name,
                        c.dob,
                        "",
                        [],
                        "",
                        "",
                        "{}",
                        "",
                        c.postal_code,
                        c.street_address,
                        "",
                    )
                    for c in clients.values()
                ),
            )
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE snippets_client")
            file_rows = febrl.file_rows(nightly, clients)
            self.stdout.write(
                f"FEBRL 4 (held-out, never tuned on): registry {len(clients):,} clients of "
                f"{len(registry):,} records (the others lack a name or a valid birthday, which "
                f"a client must have); nightly file {len(file_rows):,} rows, "
                f"{sum(1 for _k, t, _r in file_rows if t):,} of them people in the registry."
            )
            for label, columns in (
                ("names + date of birth only", []),
                ("with postal code and street address", ["postal_code", "street_address"]),
            ):
                with transaction.atomic():
                    scores = self._run(file_rows, columns)
                    transaction.set_rollback(True)
                self._print(label, scores)
            transaction.set_rollback(True)

    def _write(self, file_rows, columns, path):
        header = ["uid_external", "first_name", "last_name", "dob", *columns]
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for _kind, _truth, row in file_rows:
                writer.writerow(
                    [row[c].isoformat() if hasattr(row[c], "isoformat") else row[c] for c in header]
                )

    def _run(self, file_rows, columns) -> Counter:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "quality.csv"
            self._write(file_rows, columns, path)
            result = daily_file_import(
                path=str(path),
                source=SOURCE,
                rejects_path=str(Path(folder) / "rejects.csv"),
                collect_outcomes=True,
            )
        scores = Counter()
        for index, (kind, truth, row) in enumerate(file_rows):
            client_id, matched_by, reason, candidates = result.outcomes[index + 2]
            if reason not in (None, "ambiguous", "possible_match"):
                # Bad input (a required cell empty, a date that does not exist): the
                # rejects file, not the matching.
                scores["rejected as bad input"] += 1
                scores["returning, rejected as bad input"] += truth is not None
                continue
            scores["rows"] += 1
            returning_without_id = truth is not None and not row["uid_external"]
            scores["returning"] += truth is not None
            scores["returning without id"] += returning_without_id
            if reason in ("ambiguous", "possible_match"):
                scores["for review"] += 1
                scores[f"REVIEW: {kind}"] += 1
                if truth is not None:
                    scores["review, returning"] += 1
                    scores["review, right candidate first"] += bool(
                        candidates and candidates[0] == truth
                    )
            elif reason is None and matched_by is not None:
                if client_id != truth:
                    scores["WRONG links"] += 1
                    scores[f"WRONG: {kind}"] += 1
                elif returning_without_id:
                    scores["automatic links"] += 1
            elif reason is None and truth is not None:
                scores["duplicates created"] += 1
                scores[f"DUPLICATE: {kind}"] += 1
        return scores

    def _print(self, label, s):
        def share(a, b):
            return f"{100 * a / b:.1f}%" if b else "n/a"

        self.stdout.write(f"\n{label}:")
        if s["rejected as bad input"]:
            self.stdout.write(
                f"  rejected as bad input (not matched): {s['rejected as bad input']:,} rows "
                f"({s['returning, rejected as bad input']:,} of them people in the registry); "
                "the figures below are over the other rows"
            )
        self.stdout.write(f"  wrong links: {s['WRONG links']:,}")
        for key in sorted(k for k in s if k.startswith("WRONG: ")):
            self.stdout.write(f"    {key[7:]}: {s[key]:,}")
        self.stdout.write(
            f"  automatic links: {s['automatic links']:,} of {s['returning without id']:,} "
            "returning people without an id "
            f"({share(s['automatic links'], s['returning without id'])})"
        )
        self.stdout.write(
            f"  review items with the right candidate first: "
            f"{s['review, right candidate first']:,} of {s['review, returning']:,} "
            f"({share(s['review, right candidate first'], s['review, returning'])})"
        )
        self.stdout.write(
            f"  duplicates created: {s['duplicates created']:,} "
            f"({share(s['duplicates created'], s['returning'])} of returning people)"
        )
        for key in sorted(k for k in s if k.startswith("DUPLICATE: ")):
            self.stdout.write(f"    {key[11:]}: {s[key]:,}")
        self.stdout.write(
            f"  rows needing a person: {s['for review']:,} ({share(s['for review'], s['rows'])})"
        )
        for key in sorted(k for k in s if k.startswith("REVIEW: ")):
            self.stdout.write(f"    {key[8:]}: {s[key]:,}")

    def _train(self, file_rows, *, seed, mix):
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE linkage_train_input (rid integer, first_name text, "
                "middle_name text, last_name text, dob date, postal_code text, "
                "street_address text, phone text) ON COMMIT DROP"
            )
            with cursor.copy("COPY linkage_train_input FROM STDIN") as copy:
                for rid, (_k, _t, row) in enumerate(file_rows):
                    copy.write_row(
                        (
                            rid,
                            row["first_name"],
                            row["middle_name"] or None,
                            row["last_name"],
                            row["dob"],
                            row["postal_code"] or None,
                            row["street_address"] or None,
                            row["phone"] or None,
                        )
                    )
            params = training.train(
                cursor,
                records_select="SELECT * FROM linkage_train_input",
                description=(
                    f"ingest_quality --train: synthetic registry and daily file, seed {seed}, "
                    f"mix {mix!r} (not the held-out evaluation)"
                ),
            )
            # Thresholds from the same training file, whose truth is known: names and
            # birthday only, and with the optional fields.
            cursor.execute(
                "CREATE TEMP TABLE linkage_train_truth (rid integer PRIMARY KEY, client_id uuid) "
                "ON COMMIT DROP"
            )
            with cursor.copy("COPY linkage_train_truth FROM STDIN") as copy:
                for rid, (_k, truth, _row) in enumerate(file_rows):
                    copy.write_row((rid, truth))
            names_only = (
                "SELECT rid, first_name, NULL::text AS middle_name, last_name, dob, "
                "NULL::text AS postal_code, NULL::text AS street_address, NULL::text AS phone "
                "FROM linkage_train_input"
            )
            params.thresholds, figures = training.choose_thresholds(
                cursor,
                params,
                record_sets={
                    "names + date of birth only": names_only,
                    "with the optional fields": "SELECT * FROM linkage_train_input",
                },
                truth_table="linkage_train_truth",
            )
            params.provenance["thresholds_chosen_on"] = {
                "data": "the same training file, truth known",
                "rule": (
                    "link: most probable wrong link the guards let through + 3 bits, at least "
                    "0.99; review: highest at which duplicates grow by <= 0.5% of returning people"
                ),
                **figures,
            }
        path = linkage_parameters.save(params)
        self.stdout.write(f"Parameters written to {path}; thresholds {params.thresholds}.")
        for label, figure in figures.items():
            # The kinds of the most probable wrong links (kinds only, never the rows).
            wrong = [
                (file_rows[rid][0], bits, levels)
                for rid, bits, levels in figure.pop("most_probable_wrong")
            ]
            self.stdout.write(f"  {label}: {figure}; most probable wrong links: {wrong}")
        for name, m in params.m.items():
            self.stdout.write(
                f"  {name}: m {[round(x, 3) for x in m]} u {[round(x, 4) for x in params.u[name]]}"
            )
