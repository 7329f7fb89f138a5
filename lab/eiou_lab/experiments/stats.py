"""Statistics of a study: each row's mean and spread over seeds, and its paired gain over the
baseline row with a Student t-interval over the seeds both ran.

Paired, because every seed fixes the data order and the initial weights of both rows: the
difference per seed removes what the seeds share, so its interval is far narrower than the
overlap of the two rows' spreads.
"""
import math
import statistics
from typing import Dict, Iterable, List, Optional, Sequence

from scipy import stats as scipy_stats


def finite(values: Iterable[float]) -> List[float]:
    """The values that are numbers (NaN marks "not measured" in a run's metrics)."""
    return [v for v in values if v is not None and not math.isnan(v)]


def mean_spread(values: Iterable[float]) -> dict:
    """``{'mean', 'std', 'n'}`` over the finite values; ``std`` is the sample standard deviation
    (0 for one value), ``mean`` NaN for none."""
    values = finite(values)
    return dict(mean=statistics.fmean(values) if values else math.nan,
                std=statistics.stdev(values) if len(values) > 1 else 0.0, n=len(values))


def t_half_width(differences: Sequence[float], confidence: float = 0.95) -> float:
    """Half-width of the two-sided ``confidence`` t-interval of the mean of ``differences``
    (NaN below two values: one difference has no spread to measure)."""
    n = len(differences)
    if n < 2:
        return math.nan
    quantile = scipy_stats.t.ppf(0.5 + confidence / 2, n - 1)
    return float(quantile * statistics.stdev(differences) / math.sqrt(n))


def paired_gain(row: Dict[int, float], baseline: Dict[int, float],
                confidence: float = 0.95) -> dict:
    """``{'mean', 'half', 'n', 'per_seed'}``: the row's gain over the baseline on the seeds where
    both have a finite value, its t-interval half-width and the per-seed differences."""
    seeds = sorted(s for s in set(row) & set(baseline) if len(finite([row[s], baseline[s]])) == 2)
    diffs = [row[s] - baseline[s] for s in seeds]
    return dict(mean=statistics.fmean(diffs) if diffs else math.nan,
                half=t_half_width(diffs, confidence), n=len(diffs),
                per_seed={s: d for s, d in zip(seeds, diffs)})


def column(runs: Dict[int, dict], key: str, index: Optional[int] = None) -> Dict[int, float]:
    """``{seed: value}`` of one metric over a row's runs; ``index`` picks one entry of a list
    metric (the AP curve); a run without the metric gives NaN."""
    out = {}
    for seed, metrics in runs.items():
        value = metrics.get(key, math.nan)
        out[seed] = value[index] if index is not None else value
    return out


def pairs_within_iterations(summary: dict) -> bool:
    """Whether some row of the summary is paired with another row than the study's baseline
    (a point scored at an earlier iteration against the baseline at that iteration)."""
    return any(against != summary['baseline'] for against in summary['paired_with'].values())
