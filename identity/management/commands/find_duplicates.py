"""manage.py find_duplicates: pairs of live clients that may be one person, into the
"Possible matches" queue (nightly, deploy/crontab).

Scores pairs of existing clients as the import scores rows (identity/linkage/), and
inserts each pair whose probability reaches the review threshold as a PossibleMatch
(kind existing_client, client = one) with one MatchCandidate (the other). Idempotent: a
pair already open, or already decided (a pair decided "different people" above all), is
never inserted again. Prints counts only.
"""

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils.translation import gettext

from identity.linkage import scoring
from identity.linkage import sql as linkage_sql

RECORDS = """
SELECT id AS rid, first_name, middle_name, last_name, dob, postal_code, street_address, phone
FROM snippets_client WHERE live
"""

INSERT_PAIRS = """
DROP TABLE IF EXISTS duplicates_new;
CREATE TEMP TABLE duplicates_new ON COMMIT DROP AS
SELECT gen_random_uuid() AS id, r.rid AS client_id, r.client_id AS other_id, r.score,
  r.probability, {evidence} AS evidence
FROM duplicates_ranked r
WHERE r.probability >= %(review)s
  AND NOT EXISTS (
    SELECT 1 FROM identity_possiblematch m
    JOIN identity_matchcandidate c ON c.possible_match_id = m.id
    WHERE m.kind = 'existing_client'
      AND ((m.client_id = r.rid AND c.client_id = r.client_id)
        OR (m.client_id = r.client_id AND c.client_id = r.rid)));

INSERT INTO identity_possiblematch (id, kind, status, created_at, source, row_key, row_values,
  client_id, top_score, decision_note)
SELECT id, 'existing_client', 'open', now(), '', '', '{{}}', client_id, score, ''
FROM duplicates_new;

INSERT INTO identity_matchcandidate (possible_match_id, client_id, rank, score, probability,
  evidence)
SELECT id, other_id, 1, score, probability, evidence FROM duplicates_new;
"""


class Command(BaseCommand):
    help = "Find pairs of clients that may be the same person (for Possible matches)."

    def handle(self, *args, **options):
        began = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '64MB'")
            # Pairs score as a single probability each: the prior is the share of clients
            # with a duplicate (parameters.duplicate_share) over the registry's size.
            params = scoring.score(
                cursor, records_select=RECORDS, prefix="duplicates", duplicates=True
            )
            cursor.execute("SELECT count(*) FROM duplicates_pairs")
            pairs = cursor.fetchone()[0]
            cursor.execute(
                INSERT_PAIRS.format(evidence=linkage_sql.evidence_sql(params, "r")),
                {"review": params.thresholds["review"]},
            )
            cursor.execute("SELECT count(*) FROM duplicates_new")
            added = cursor.fetchone()[0]
        self.stdout.write(
            gettext(
                "Compared %(pairs)s candidate pairs; %(added)s new possible duplicates in "
                "Possible matches (%(seconds)s s)."
            )
            % {
                "pairs": f"{pairs:,}",
                "added": f"{added:,}",
                "seconds": f"{time.monotonic() - began:.1f}",
            }
        )
