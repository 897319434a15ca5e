"""Expectation-maximisation of the m probabilities, with u fixed from random pairs.

Works on comparison *patterns* (one level per field, -1 when a field is missing) with
their counts, as PostgreSQL groups them: a few hundred patterns stand for millions of
pairs, so plain Python is enough (milliseconds). Fields are assumed independent given
match status (the Fellegi-Sunter model); a missing field contributes nothing.
"""

import math


def estimate_m(
    patterns: list[tuple[int, ...]],
    counts: list[float],
    u: list[list[float]],
    m_start: list[list[float]],
    *,
    share_start: float = 0.1,
    iterations: int = 200,
    tolerance: float = 1e-7,
) -> tuple[list[list[float]], float, int]:
    """Returns (m per field, share of pairs that match, iterations run)."""
    m = [list(x) for x in m_start]
    share = share_start
    total = sum(counts) or 1.0
    log_u = [
        sum(math.log(max(u[f][level], 1e-12)) for f, level in enumerate(p) if level >= 0)
        for p in patterns
    ]
    run = 0
    while run < iterations:
        run += 1
        weighted = []
        for p, count, lu in zip(patterns, counts, log_u, strict=True):
            lm = sum(math.log(max(m[f][level], 1e-12)) for f, level in enumerate(p) if level >= 0)
            a, b = math.log(share) + lm, math.log(1 - share) + lu
            top = max(a, b)
            posterior = math.exp(a - top) / (math.exp(a - top) + math.exp(b - top))
            weighted.append(posterior * count)
        new_share = min(max(sum(weighted) / total, 1e-9), 1 - 1e-9)
        new_m = []
        for f, probs in enumerate(m):
            totals = [0.0] * len(probs)
            for p, w in zip(patterns, weighted, strict=True):
                if p[f] >= 0:
                    totals[p[f]] += w
            # A small pseudo-count per level keeps unseen levels possible.
            pseudo = 1e-3 * max(sum(totals), 1.0) / len(probs)
            totals = [t + pseudo for t in totals]
            new_m.append([t / sum(totals) for t in totals])
        change = abs(new_share - share) + max(
            abs(x - y)
            for new, old in zip(new_m, m, strict=True)
            for x, y in zip(new, old, strict=True)
        )
        m, share = new_m, new_share
        if change < tolerance:
            break
    return m, share, run


def posteriors(patterns, m, u, share) -> list[float]:
    """The probability that each pattern is a match, under (m, u, share)."""
    out = []
    for p in patterns:
        lm = sum(math.log(max(m[f][level], 1e-12)) for f, level in enumerate(p) if level >= 0)
        lu = sum(math.log(max(u[f][level], 1e-12)) for f, level in enumerate(p) if level >= 0)
        a, b = math.log(share) + lm, math.log(1 - share) + lu
        top = max(a, b)
        out.append(math.exp(a - top) / (math.exp(a - top) + math.exp(b - top)))
    return out
