"""Estimating the parameters from the registry's own data (``manage.py ingest_quality --train``).

- u: from random pairs of a record and a live client (almost never the same person);
- m and the share of matches: EM over the blocked candidate pairs of the records;
- name frequencies: the share of live clients with each folded first and last name,
  kept for names at least MIN_NAME_COUNT clients share.
"""

import datetime
import math

from . import em
from . import sql as linkage_sql
from .fields import BY_NAME, FIELDS
from .parameters import DEFAULT_THRESHOLDS, MIN_NAME_COUNT, Parameters, untrained

RANDOM_PAIRS = 50_000
LEVEL_COLUMNS = ", ".join(f"coalesce({f.name}, -1)" for f in FIELDS)


def _patterns(cursor, records: str, pairs: str) -> tuple[list, list]:
    cursor.execute(
        f"SELECT {LEVEL_COLUMNS}, count(*) FROM ({linkage_sql.levels_select(records, pairs)}) lv "  # noqa: S608
        f"GROUP BY {', '.join(str(i + 1) for i in range(len(FIELDS)))}"
    )
    rows = cursor.fetchall()
    return [tuple(int(x) for x in row[:-1]) for row in rows], [float(row[-1]) for row in rows]


def train(cursor, *, records_select: str, description: str, duplicates: bool = False):
    """Estimate Parameters from the records ``records_select`` gives (rid and the record
    columns) against the registry's live clients. Returns (Parameters, figures)."""
    start = untrained()
    cursor.execute(*linkage_sql.create_nicknames())
    cursor.execute(linkage_sql.prepare_records(records_select, "linkage_train_records"))
    cursor.execute("SELECT count(*) FROM linkage_train_records")
    records = cursor.fetchone()[0]
    cursor.execute("SELECT count(*) FROM snippets_client WHERE live")
    clients = cursor.fetchone()[0]

    # u: random pairs, drawn the same way each time (the same data give the same
    # parameters: a measurement can be repeated).
    cursor.execute("SELECT setseed(0.5)")
    cursor.execute(
        f"""
DROP TABLE IF EXISTS linkage_train_random;
CREATE TEMP TABLE linkage_train_random ON COMMIT DROP AS
SELECT r.rid, c.id AS client_id
FROM (SELECT rid, row_number() OVER () AS n
      FROM (SELECT rid FROM linkage_train_records ORDER BY random()) x) r
JOIN (SELECT id, row_number() OVER () AS n
      FROM (SELECT id FROM snippets_client WHERE live ORDER BY random() LIMIT {RANDOM_PAIRS}) y) c
  ON c.n = (r.n - 1) % {RANDOM_PAIRS} + 1
{"WHERE r.rid <> c.id" if duplicates else ""}
LIMIT {RANDOM_PAIRS};
"""  # noqa: S608
    )
    random_patterns, random_counts = _patterns(
        cursor, "linkage_train_records", "linkage_train_random"
    )
    u = {}
    for f, field in enumerate(FIELDS):
        totals = [0.5] * len(field.levels)  # a level never seen is rare, not impossible
        for pattern, count in zip(random_patterns, random_counts, strict=True):
            if pattern[f] >= 0:
                totals[pattern[f]] += count
        u[field.name] = [t / sum(totals) for t in totals]

    # m: EM over the blocked pairs.
    cursor.execute(
        linkage_sql.block_pairs(
            "linkage_train_records", "linkage_train_pairs", duplicates=duplicates
        )
    )
    patterns, counts = _patterns(cursor, "linkage_train_records", "linkage_train_pairs")
    # Most candidate pairs were found *because* their birthdays agree, so within them the
    # birthday's agreement says little about being the same person (random pairs' u
    # would make every blocked pair look like a match). EM therefore runs without the
    # birthday; its m is then the birthday levels of the pairs EM judged matches.
    dob = [f.name for f in FIELDS].index("dob")
    without_dob = [tuple(-1 if i == dob else x for i, x in enumerate(p)) for p in patterns]
    u_list = [u[f.name] for f in FIELDS]
    m_list, share, iterations = em.estimate_m(
        without_dob, counts, u_list, [start.m[f.name] for f in FIELDS], share_start=0.3
    )
    weights = [
        w * c
        for w, c in zip(em.posteriors(without_dob, m_list, u_list, share), counts, strict=True)
    ]
    totals = [0.5] * len(FIELDS[dob].levels)
    for p, w in zip(patterns, weights, strict=True):
        totals[p[dob]] += w
    m_list[dob] = [t / sum(totals) for t in totals]
    m = {f.name: [round(float(x), 6) for x in m_list[i]] for i, f in enumerate(FIELDS)}
    pairs = float(sum(counts))

    # Name frequencies.
    term_frequencies, rare_share = {}, {}
    for field in ("first_name", "last_name"):
        cursor.execute(
            f"SELECT registry_fold_name({field}), count(*) FROM snippets_client WHERE live "  # noqa: S608
            f"GROUP BY 1 HAVING count(*) >= %s",
            [MIN_NAME_COUNT],
        )
        term_frequencies[field] = {
            key: round(n / clients, 8) for key, n in cursor.fetchall() if key
        }
        exact = len(BY_NAME[field].levels) - 1
        rare_share[field] = round(min(u[field][exact], MIN_NAME_COUNT / 2 / max(clients, 1)), 8)

    matches = share * pairs
    params = Parameters(
        m=m,
        u={k: [round(x, 6) for x in v] for k, v in u.items()},
        term_frequencies=term_frequencies,
        rare_share=rare_share,
        matches_per_row=round(matches / max(records, 1), 4) if not duplicates else 0.8,
        duplicate_share=round(matches / max(records, 1), 4) if duplicates else 0.01,
        thresholds=dict(DEFAULT_THRESHOLDS),
        provenance={
            "trained": True,
            "trained_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "data": description,
            "records": records,
            "clients": clients,
            "candidate_pairs": int(pairs),
            "random_pairs_for_u": int(sum(random_counts)),
            "em_iterations": iterations,
            "estimated_matching_share_of_pairs": round(share, 4),
            "name_frequencies_kept_from": f"names shared by at least {MIN_NAME_COUNT} clients",
        },
    )
    return params


def choose_thresholds(
    cursor,
    params: Parameters,
    *,
    record_sets: dict[str, str],
    truth_table: str,
    margin_bits: float = 3.0,
    duplicate_budget: float = 0.005,
) -> tuple[dict, dict]:
    """The link and review thresholds, from evaluation data whose truth is known.

    ``record_sets``: label -> a records SELECT (rid and the record columns), e.g. names
    and birthday only, and with the optional fields; ``truth_table`` has (rid, client_id),
    client_id NULL for a new person. Each set is scored against the registry as the
    import scores it. The link threshold is the posterior log-odds of the most probable
    wrong best candidate the guards of rules.py let through, plus ``margin_bits`` (8x
    the odds), over all sets, and never below 0.99. The review threshold is the highest
    at which returning people whose best candidate falls below it (and so would become a
    duplicate) grow by at most ``duplicate_budget`` of returning people. Returns
    (thresholds, figures per set) and writes nothing."""
    from . import scoring
    from .rules import link_rule_sql

    link_bits = math.log2(0.99 / 0.01)
    grid = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
    review = grid[-1]
    figures = {}
    for label, select in record_sets.items():
        scoring.score(cursor, records_select=select, prefix="calibrate", params=params)
        # The posterior log2-odds of the best candidate, without cancellation when it
        # dominates: log2(o) - log2(1 + the other candidates' odds).
        cursor.execute(
            f"""
SELECT t.rid, t.client_id IS NOT NULL, coalesce(r.client_id = t.client_id, false),
  coalesce({link_rule_sql("r", "rec.first_name")} IS NOT NULL, false),
  ln(r.o) / ln(2.0) - ln(1 + coalesce(r.others, 0)) / ln(2.0), r.probability,
  concat_ws(' ', r.first_name, r.last_name, r.dob, r.middle_name, r.postal_code,
            r.street_address, r.phone) AS levels
FROM {truth_table} t
LEFT JOIN (
  SELECT *, sum(o) OVER (PARTITION BY rid ORDER BY rank
    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW) AS others
  FROM calibrate_ranked) r ON r.rid = t.rid AND r.rank = 1
LEFT JOIN calibrate_records rec ON rec.rid = t.rid
"""  # noqa: S608
        )
        rows = cursor.fetchall()
        wrong = sorted(
            (
                (bits, rid, levels)
                for rid, _ret, right, allowed, bits, _p, levels in rows
                if allowed and not right
            ),
            reverse=True,
        )
        top_wrong = wrong[0][0] if wrong else None
        if top_wrong is not None:
            link_bits = max(link_bits, top_wrong + margin_bits)
        returning = [(right, p or 0.0) for _rid, ret, right, _a, _b, p, _lv in rows if ret]
        base = sum(1 for _right, p in returning if p <= 0)
        chosen = grid[0]
        for t in grid:
            if sum(1 for _right, p in returning if p < t) - base <= duplicate_budget * len(
                returning
            ):
                chosen = t
        review = min(review, chosen)
        figures[label] = {
            "rows": len(rows),
            "most_probable_wrong_log2_odds": None if top_wrong is None else round(top_wrong, 2),
            "review_threshold_alone": chosen,
            "most_probable_wrong": [(rid, round(bits, 1), lv) for bits, rid, lv in wrong[:5]],
        }
    link = 1 - 1 / (1 + 2**link_bits)
    thresholds = {
        "link": float(f"{link:.12g}"),
        "review": min(review, link),
        "candidate": min(DEFAULT_THRESHOLDS["candidate"], review),
    }
    return thresholds, figures
