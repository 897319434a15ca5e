"""Record linkage in the Fellegi-Sunter tradition, set-based in PostgreSQL.

- fields.py: the compared fields and their levels (the SQL comparison functions are in
  identity's migration 0002).
- sql.py: blocking (candidate pairs), comparison vectors, match weights, evidence.
- parameters.py: the m and u probabilities, term frequencies and thresholds, stored in
  parameters.json (estimated by ``manage.py ingest_quality --train``), and the prior odds
  that fall as the registry grows.
- nicknames.csv: usual short forms of first names (a comparison level of their own).
- rules.py: what evidence an automatic link must rest on, beyond the probability (the
  one declaration; the import's DECIDE_BY_SCORE applies it).
- em.py: expectation-maximisation of m (u from random pairs), over comparison patterns.
- training.py: the estimation over the registry, and the thresholds chosen on evaluation
  data whose truth is known (choose_thresholds).
"""
