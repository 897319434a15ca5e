"""Scoring records against the registry in one go: the entry point the import and
find_duplicates use (both inside their caller's transaction)."""

from . import parameters, rules
from . import sql as linkage_sql


def score(
    cursor,
    *,
    records_select: str,
    prefix: str,
    params: parameters.Parameters | None = None,
    per_record: float | None = None,
    duplicates: bool = False,
    extra_pairs: str | None = None,
    select_args: dict | None = None,
) -> parameters.Parameters:
    """Block, compare, weigh and rank: leaves ``{prefix}_ranked`` (rid, client_id, levels,
    w_<field>, score, probability, rank) for the records ``records_select`` gives (rid and
    the record columns). ``extra_pairs`` is a SELECT of (rid, client_id) pairs to score
    as well (a client named by a source id, say). Returns the parameters used."""
    params = params or parameters.load()
    records, pairs = f"{prefix}_records", f"{prefix}_pairs"
    scored, ranked = f"{prefix}_scored", f"{prefix}_ranked"
    cursor.execute(linkage_sql.prepare_records(records_select, records), select_args or None)
    cursor.execute(linkage_sql.block_pairs(records, pairs, duplicates=duplicates))
    if extra_pairs:
        cursor.execute(
            f"INSERT INTO {pairs} (rid, client_id) SELECT rid, client_id FROM ({extra_pairs}) x "  # noqa: S608
            f"WHERE NOT EXISTS (SELECT 1 FROM {pairs} p WHERE p.rid = x.rid "
            f"AND p.client_id = x.client_id)"
        )
    tf_sql, tf_args = linkage_sql.create_term_frequencies(params)
    cursor.execute(tf_sql, tf_args)
    cursor.execute(*linkage_sql.create_nicknames())
    # For the rules' given-name test (rules.link_rule_sql), read after scoring.
    cursor.execute(*rules.create_given_names())
    cursor.execute(linkage_sql.score_pairs(records, pairs, scored, params))
    cursor.execute(linkage_sql.registry_size_sql())
    clients = cursor.fetchone()[0]
    if per_record is None:
        per_record = params.duplicate_share if duplicates else params.matches_per_row
    prior = params.prior_log2_odds(clients=clients, per_record=per_record)
    cursor.execute(linkage_sql.rank_candidates(scored, ranked, prior))
    return params
