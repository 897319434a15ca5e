"""The linkage's parameters: m and u per field and level, name frequencies, thresholds.

Stored in parameters.json beside this file (or the file named by the LINKAGE_PARAMETERS
setting), written by ``manage.py ingest_quality --train`` with its provenance (when, on what data,
how many pairs, EM iterations). A JSON file rather than a table: it is small, reviewed in
version control like code, and the nightly import reads the same figures the
measurements in docs/ingest.md were made with. The name frequencies it holds keep only
names shared by at least MIN_NAME_COUNT clients, so the file names no one in particular.
"""

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from .fields import FIELDS

DEFAULT_PATH = Path(__file__).with_name("parameters.json")
MIN_NAME_COUNT = 20
# Smallest probability kept, so no level gets an infinite weight.
FLOOR = 1e-6


def parameters_path() -> Path:
    return Path(getattr(settings, "LINKAGE_PARAMETERS", DEFAULT_PATH))


@dataclass
class Parameters:
    m: dict  # field -> [p per level]
    u: dict
    term_frequencies: dict  # field -> {folded name: share of clients}
    rare_share: dict  # field -> share assumed for a name not in term_frequencies
    matches_per_row: float  # of an import row, among the registry's clients
    duplicate_share: float  # of a client, having another record in the registry
    thresholds: dict  # "link", "review", "candidate": posterior probabilities
    provenance: dict

    def weight(self, field: str, level: int) -> float:
        """log2(m/u): the match weight (bits of evidence) of one field at one level."""
        m = max(self.m[field][level], FLOOR)
        u = max(self.u[field][level], FLOOR)
        return math.log2(m / u)

    def prior_log2_odds(self, *, clients: int, per_record: float) -> float:
        """log2 of the prior odds that one candidate pair is the same person: each record
        has ``per_record`` true partners spread over ``clients`` clients, so the odds fall
        as the registry grows (a 5,000-client registry needs about 7.6 bits less evidence
        than a 1,000,000-client one for the same certainty)."""
        p = min(max(per_record, 1e-9), 0.999999) / max(clients, 1)
        return math.log2(p / (1 - p))

    def to_json(self) -> dict:
        return {
            "provenance": self.provenance,
            "m": self.m,
            "u": self.u,
            "matches_per_row": self.matches_per_row,
            "duplicate_share": self.duplicate_share,
            "thresholds": self.thresholds,
            "rare_share": self.rare_share,
            "term_frequencies": self.term_frequencies,
        }

    @classmethod
    def from_json(cls, data: dict) -> "Parameters":
        return cls(
            m=data["m"],
            u=data["u"],
            term_frequencies=data.get("term_frequencies", {}),
            rare_share=data.get("rare_share", {}),
            matches_per_row=data.get("matches_per_row", 0.8),
            duplicate_share=data.get("duplicate_share", 0.01),
            thresholds=data["thresholds"],
            provenance=data.get("provenance", {}),
        )


# Chosen on the training mix of ingest_quality (seed 1): at 0.999 an exact row with a twin
# in the registry (same surname and birthday) stayed just below the line.
DEFAULT_THRESHOLDS = {"link": 0.99, "review": 0.02, "candidate": 0.001}


def untrained() -> Parameters:
    """Hand-set starting values (EM starts here): used only before any training."""
    m, u = {}, {}
    for field in FIELDS:
        n = len(field.levels)
        # m: mostly exact; u: mostly different.
        m[field.name] = [0.04] + [0.06 / (n - 2)] * (n - 2) + [0.9]
        u[field.name] = [0.9] + [0.09 / (n - 2)] * (n - 2) + [0.01]
    return Parameters(
        m=m,
        u=u,
        term_frequencies={},
        rare_share={},
        matches_per_row=0.8,
        duplicate_share=0.01,
        thresholds=dict(DEFAULT_THRESHOLDS),
        provenance={"trained": False},
    )


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> Parameters:
    with open(path, encoding="utf-8") as handle:
        return Parameters.from_json(json.load(handle))


def load() -> Parameters:
    """The stored parameters (re-read when the file changes); untrained ones if none."""
    path = parameters_path()
    if not path.exists():
        return untrained()
    return _load(str(path), path.stat().st_mtime)


def save(params: Parameters, path: Path | None = None) -> Path:
    path = Path(path or parameters_path())
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(params.to_json(), handle, indent=1, sort_keys=False, ensure_ascii=False)
        handle.write("\n")
    _load.cache_clear()
    return path
