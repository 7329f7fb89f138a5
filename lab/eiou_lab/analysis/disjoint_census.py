"""The disjoint-pair census: where, in which detector family and when in training, positive
pairs start apart, the only regime in which EIoU differs from IoU (Eq. 16-20).

Each census run is a training with :class:`~eiou_lab.disjoint_census_hook.DisjointCensusHook`, which
writes one JSON line per iteration (positive pairs, disjoint pairs, touching pairs and the
disjoint pairs' EIoU, per source: DETR-style decoder layers, encoder proposals, denoising
queries). This module reads those lines and turns them into the census: per family and
source, the disjoint fraction per iteration (a curve) and over iteration ranges, and the
median EIoU of the disjoint pairs. ``tools/census.py`` trains the runs (a study, through the
study runner) and writes the report with :func:`write_report`.

A fraction over a range is pooled: the range's disjoint pairs over its positive pairs (the
pair-weighted mean of the per-iteration fractions).
"""
import json
import math
import os
import os.path as osp
import statistics
from typing import Dict, List, Optional, Sequence, Tuple

from eiou_lab.disjoint_census_hook import ALL, CENSUS_FILE

# Range edges (last iteration of each range); the last range ends at the run's budget.
RANGE_ENDS = (50, 250, 500, 1000, 2000, 5000)
TOTAL = 'total'  # every source of a run together
SOURCE_ORDER = ('decoder', 'encoder', 'denoising', ALL)


def read_census(path: str) -> List[dict]:
    """The per-iteration records of a census file, in iteration order; an iteration written
    twice (a resumed training re-runs the iterations after its last checkpoint) keeps its last
    line."""
    by_iter: Dict[int, dict] = {}
    with open(path) as f:
        for line in f:
            if line.strip():
                record = json.loads(line)
                by_iter[int(record['iter'])] = record
    return [by_iter[i] for i in sorted(by_iter)]


def sources(records: Sequence[dict]) -> List[str]:
    """The sources seen in a run, in report order, then :data:`TOTAL` when there are
    several."""
    seen = {s for r in records for s in r['sources']}
    names = [s for s in SOURCE_ORDER if s in seen] + sorted(seen - set(SOURCE_ORDER))
    return names + [TOTAL] if len(names) > 1 else names


def _counts(record: dict, source: str) -> dict:
    if source != TOTAL:
        return record['sources'].get(source, dict(pairs=0, disjoint=0, touching=0, eiou=[]))
    parts = record['sources'].values()
    return dict(pairs=sum(p['pairs'] for p in parts),
                disjoint=sum(p['disjoint'] for p in parts),
                touching=sum(p.get('touching', 0) for p in parts),
                eiou=[v for p in parts for v in p['eiou']])


def curve(records: Sequence[dict], source: str = TOTAL) -> Tuple[List[int], List[float]]:
    """Iterations and their disjoint fraction for ``source`` (iterations without a positive
    pair of that source are left out)."""
    iters, fractions = [], []
    for record in records:
        counts = _counts(record, source)
        if counts['pairs']:
            iters.append(int(record['iter']))
            fractions.append(counts['disjoint'] / counts['pairs'])
    return iters, fractions


def ranges_of(budget: int, ends: Sequence[int] = RANGE_ENDS) -> List[Tuple[int, int]]:
    """``[(first, last), ...]`` iteration ranges covering ``1..budget``."""
    edges = [e for e in ends if e < budget] + [budget]
    return [(lo + 1, hi) for lo, hi in zip([0] + edges[:-1], edges)]


def summarise(records: Sequence[dict], source: str, first: int, last: int) -> dict:
    """Pairs per iteration, the pooled disjoint and touching fractions and the median EIoU of
    the disjoint pairs of ``source`` over iterations ``first..last``."""
    picked = [_counts(r, source) for r in records if first <= int(r['iter']) <= last]
    pairs = sum(c['pairs'] for c in picked)
    disjoint = sum(c['disjoint'] for c in picked)
    values = [v for c in picked for v in c['eiou']]
    return dict(
        iters=len(picked), pairs_per_iter=pairs / len(picked) if picked else math.nan,
        disjoint=disjoint, disjoint_frac=disjoint / pairs if pairs else math.nan,
        touching_frac=sum(c.get('touching', 0) for c in picked) / pairs if pairs else math.nan,
        median_eiou=statistics.median(values) if values else math.nan)


def last_disjoint_iter(records: Sequence[dict], source: str = TOTAL) -> Optional[int]:
    """The last iteration in which ``source`` had a disjoint pair (None: never)."""
    hits = [int(r['iter']) for r in records if _counts(r, source)['disjoint']]
    return hits[-1] if hits else None


def census(runs: Dict[str, List[dict]]) -> Dict[str, dict]:
    """``{family: {'budget', 'ranges', 'sources': {source: {'ranges': [summary per range],
    'whole': summary, 'last_disjoint_iter'}}}}`` for runs ``{family: records}``."""
    out = {}
    for family, records in runs.items():
        budget = int(records[-1]['iter']) if records else 0
        spans = ranges_of(budget) if budget else []
        out[family] = dict(budget=budget, ranges=spans, sources={
            source: dict(ranges=[summarise(records, source, lo, hi) for lo, hi in spans],
                         whole=summarise(records, source, 1, budget),
                         last_disjoint_iter=last_disjoint_iter(records, source))
            for source in sources(records)})
    return out


def _pct(x: float) -> str:
    if math.isnan(x):
        return 'n/a'
    return '0' if x == 0 else f'{100 * x:.2f}' if x >= 0.0001 else f'{100 * x:.1e}'


def _num(x: float, digits: int = 3) -> str:
    return 'n/a' if math.isnan(x) else f'{x:.{digits}f}'


def markdown(summary: Dict[str, dict], labels: Dict[str, str],
             metrics: Optional[Dict[str, Optional[dict]]] = None) -> str:
    """The census table: one line per family and source, the disjoint fraction (%) in each
    iteration range and the median EIoU of the disjoint pairs over the run; with
    ``metrics`` (``{family: {'AP': ..., 'AP50': ...}}``) the family's AP at the end."""
    metrics = metrics or {}
    spans = max((s['ranges'] for s in summary.values()), key=len, default=[])
    heads = [f'{lo}-{hi}' for lo, hi in spans]
    lines = ['| family | AP / AP50 at the end | source | pairs/iter | ' +
             ' | '.join(f'disjoint % {h}' for h in heads) +
             ' | whole run | touching % (EIoU = 0) | median EIoU of disjoint | last iter '
             'with one |',
             '|---|---:|---|---:|' + '---:|' * (len(heads) + 4)]
    for family, entry in summary.items():
        scored = metrics.get(family)
        ap = f'{scored["AP"]:.1f} / {scored["AP50"]:.1f}' if scored else 'n/a'
        for k, (source, stats) in enumerate(entry['sources'].items()):
            by_span = {(lo, hi): r for (lo, hi), r in zip(entry['ranges'], stats['ranges'])}
            cells = []
            for lo, hi in spans:
                r = by_span.get((lo, hi))
                cells.append(_pct(r['disjoint_frac']) if r else '')
            whole = stats['whole']
            last = stats['last_disjoint_iter']
            name = (f'{labels.get(family, family)} ({entry["budget"]} iters)', ap) if k == 0 \
                else ('', '')
            lines.append(
                f'| {name[0]} | {name[1]} | {source} | {_num(whole["pairs_per_iter"], 1)} '
                f'| ' + ' | '.join(cells) + f' | {_pct(whole["disjoint_frac"])} | '
                f'{_pct(whole["touching_frac"])} | {_num(whole["median_eiou"])} | '
                f'{last if last is not None else "never"} |')
    return '\n'.join(lines)


def plot(runs: Dict[str, List[dict]], labels: Dict[str, str], path: str,
         window: int = 10) -> None:
    """Disjoint fraction against iteration, one line per family (a DETR-style family's
    matched queries, whose denoising queries, a majority of its pairs, are almost never apart;
    every pair of the others), each point the pooled fraction of ``window`` consecutive
    iterations."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7, 4.8))
    for family, records in runs.items():
        matched = any('decoder' in r['sources'] for r in records)
        source = 'decoder' if matched else TOTAL
        xs, ys = [], []
        for start in range(0, len(records), window):
            last = int(records[min(start + window, len(records)) - 1]['iter'])
            fraction = summarise(records, source, int(records[start]['iter']), last)[
                'disjoint_frac']
            if not math.isnan(fraction):
                xs.append(last)
                ys.append(100 * fraction)
        label = labels.get(family, family) + (' (matched queries)' if matched else '')
        ax.plot(xs, ys, label=label, lw=1.2)
    ax.set_xlabel('training iteration')
    ax.set_ylabel(f'disjoint positive pairs (%), per {window} iterations')
    ax.set_yscale('symlog', linthresh=0.1)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, ncol=3, loc='upper center', bbox_to_anchor=(0.5, -0.16))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def census_file(folder: str) -> str:
    return osp.join(folder, CENSUS_FILE)


def write_report(runs: Dict[str, List[dict]], labels: Dict[str, str], out_dir: str,
                 command: str, metrics: Optional[Dict[str, Optional[dict]]] = None
                 ) -> Dict[str, dict]:
    """``out_dir/results.md`` (the table and the command that made it), ``census.json`` (the
    summary) and ``census.png`` (the curves); returns the summary. ``metrics``: each family's
    scores at the end of its run (context: how far the model learned)."""
    os.makedirs(out_dir, exist_ok=True)
    summary = census(runs)
    with open(osp.join(out_dir, 'census.json'), 'w') as f:
        json.dump(summary, f, indent=1)
    plot(runs, labels, osp.join(out_dir, 'census.png'))
    text = [
        '# Disjoint-pair census (generated)', '',
        f'Made by `{command}`; the per-iteration records (and each run\'s val metrics at the '
        'end of its budget) are in `runs/`; this page, `census.json` and `census.png` are '
        'generated from them (`eiou_lab.analysis.disjoint_census`).', '',
        'Disjoint: a positive pair (a predicted box and the ground truth it is trained '
        'towards) with EIoU < 0, i.e. apart: the only pairs where EIoU differs from IoU. '
        'Touching: EIoU = 0 (no overlap and no gap, or a zero-area box). Fractions are pooled '
        'over each range (its disjoint pairs over its positive pairs), in %; sources of '
        'DETR-style heads: `decoder` (matched queries, every decoder layer), `encoder` '
        '(two-stage proposals), `denoising` (denoising queries).', '',
        markdown(summary, labels, metrics), '', '![disjoint fraction per iteration](census.png)', '']
    with open(osp.join(out_dir, 'results.md'), 'w') as f:
        f.write('\n'.join(text))
    return summary
