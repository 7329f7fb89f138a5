"""A study's report for one split, from its runs' metrics alone: tables (markdown), numbers
(JSON) and plots.

* the headline table: per row AP, AP75, AP90 as mean ± standard deviation over its seeds and
  its paired gain over the baseline with the 95 % t-interval half-width (README shows it);
* the detail table: every column the runs measured (APs/m/l, localisation, speed, the loss's
  disjoint pairs and SOT factor);
* the gain over the baseline at each IoU threshold of the AP curve, with its interval (says
  more than two overlapping AP curves) as a table and a plot;
* on val, the tuning points of each swept hyper-parameter, the value chosen and why.
"""
import json
import math
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

from .plan import Run
from .stats import column, mean_spread, paired_gain, pairs_within_iterations
from .study import Study

COLUMNS = ('AP', 'AP50', 'AP75', 'AP90', 'APs', 'APm', 'APl')
HEADLINE = ('AP', 'AP75', 'AP90')
EXTRAS = {  # key: (header, digits)
    'loc_median_iou': ('median IoU found', 3), 'loc_iou_ge_0.9': ('found IoU>=0.9 %', 1),
    'train_s_per_iter': ('train s/iter', 3), 'infer_ms_per_img': ('infer ms/img', 1),
    'disjoint_frac': ('disjoint pairs', 3), 'sot_scale': ('SOT factor', 3)}


def collect_results(study: Study, runs: List[Run], split: str) -> Dict[str, Dict[int, dict]]:
    """``{row name: {seed: metrics}}`` of the study's rows on ``split``, in row order, from
    each run's record (store, else work dir); rows with no scored run are left out."""
    by_key = {run.key: run for run in runs}
    results = {}
    for row in study.rows:
        per_seed = {}
        for seed in study.seeds_of(row):
            run = by_key.get((row.name, seed, split))
            metrics = run.metrics() if run else None
            if metrics is not None:
                per_seed[seed] = metrics
        if per_seed:
            results[row.name] = per_seed
    return results


def iou_thresholds(results: Dict[str, Dict[int, dict]]) -> List[float]:
    """The thresholds of the AP curve, the same in every run (refuses a mix)."""
    seen = {tuple(m['iou_thrs']) for runs in results.values() for m in runs.values()}
    if len(seen) != 1:
        raise ValueError(f'the runs were scored at different IoU thresholds: {sorted(seen)}')
    return list(seen.pop())


def summarise(results: Dict[str, Dict[int, dict]], baseline: str,
              steps: Sequence[Tuple[str, str]] = (),
              baselines: Optional[Dict[str, str]] = None) -> dict:
    """``{'rows': {row: {column: {mean, std, n}, 'ap_at_iou': mean curve, 'seeds'}},
    'gains': {row: {column or 'ap@T': {mean, half, n, per_seed}}} (over the row's baseline),
    'steps': [{'row', 'against', column: gain}] (of the ``steps`` both rows of which ran),
    'iou_thrs', 'baseline', 'paired_with': {row: its baseline}}``. ``baselines``: a row's
    own baseline where it is not ``baseline`` (:meth:`Study.baselines`)."""
    thrs = iou_thresholds(results)
    rows = {}
    for name, runs in results.items():
        summary = {key: mean_spread(column(runs, key).values())
                   for key in (*COLUMNS, *EXTRAS)}
        summary['ap_at_iou'] = [mean_spread(column(runs, 'ap_at_iou', i).values())['mean']
                                for i in range(len(thrs))]
        summary['seeds'] = sorted(runs)
        rows[name] = summary
    gains, paired_with = {}, {}
    for name, runs in results.items():
        against = (baselines or {}).get(name, baseline)
        if name == against or against not in results:
            continue
        base, paired_with[name] = results[against], against
        gains[name] = {key: paired_gain(column(runs, key), column(base, key))
                       for key in COLUMNS}
        for i, t in enumerate(thrs):
            gains[name][f'ap@{t:g}'] = paired_gain(column(runs, 'ap_at_iou', i),
                                                   column(base, 'ap_at_iou', i))
    step_gains = [dict(row=row, against=against,
                       **{key: paired_gain(column(results[row], key),
                                           column(results[against], key)) for key in COLUMNS})
                  for row, against in steps if row in results and against in results]
    return dict(rows=rows, gains=gains, steps=step_gains, iou_thrs=thrs, baseline=baseline,
                paired_with=paired_with)


def study_summary(study: Study, runs: List[Run], split: str) -> Optional[dict]:
    """:func:`summarise` of the study's recorded runs on ``split`` (each row paired with its
    baseline, :meth:`Study.baselines`), with ``'results'`` (:func:`collect_results`) added;
    None when no run of the split was scored."""
    results = collect_results(study, runs, split)
    if not results:
        return None
    return dict(summarise(results, study.baseline, study.steps, study.baselines()),
                results=results)


# ------------------------------------------------------------------------------ markdown
def fmt(stat: dict, digits: int = 1, key: str = 'std') -> str:
    """``mean ± spread`` (no spread for one value; n/a for none)."""
    if stat['n'] == 0 or math.isnan(stat['mean']):
        return 'n/a'
    spread = stat[key]
    sign = '+' if key == 'half' else ''
    text = f'{stat["mean"]:{sign}.{digits}f}'
    return text if stat['n'] < 2 or math.isnan(spread) else f'{text} ± {spread:.{digits}f}'


def headline_table(study: Study, summary: dict, rows: Sequence[str] = ()) -> str:
    """Rows x (AP, AP75, AP90 as mean ± std; gains over the baseline ± 95 % half-width; n);
    ``rows``: only these (by name), default all."""
    titles = {r.name: r.title for r in study.rows}
    head = ('| row | ' + ' | '.join(HEADLINE) + ' | ' +
            ' | '.join(f'gain {k}' for k in HEADLINE) + ' | n |\n|---|' +
            '---:|' * (2 * len(HEADLINE) + 1) + '\n')
    lines = []
    for name, row in summary['rows'].items():
        if rows and name not in rows:
            continue
        gain = summary['gains'].get(name)
        cells = [fmt(row[k]) for k in HEADLINE]
        cells += [fmt(gain[k], key='half') if gain else 'baseline' for k in HEADLINE]
        lines.append(f'| {titles.get(name, name)} | ' + ' | '.join(cells) +
                     f' | {len(row["seeds"])} |')
    return head + '\n'.join(lines) + '\n'


def detail_table(summary: dict) -> str:
    keys = (*COLUMNS, *EXTRAS)
    head = ('| row | ' + ' | '.join(COLUMNS) + ' | ' +
            ' | '.join(h for h, _ in EXTRAS.values()) + ' |\n|---|' + '---:|' * len(keys) + '\n')
    lines = [f'| {name} | ' + ' | '.join(fmt(row[k], EXTRAS.get(k, (0, 1))[1]) for k in keys) +
             ' |' for name, row in summary['rows'].items()]
    return head + '\n'.join(lines) + '\n'


def gain_table(summary: dict) -> str:
    keys = [f'ap@{t:g}' for t in summary['iou_thrs']]
    head = ('| row | ' + ' | '.join(keys) + ' | n |\n|---|' + '---:|' * (len(keys) + 1) + '\n')
    lines = [f'| {name} | ' + ' | '.join(fmt(g[k], key='half') for k in keys) +
             f' | {g["AP"]["n"]} |' for name, g in summary['gains'].items()]
    return head + '\n'.join(lines) + '\n'


def steps_table(study: Study, summary: dict) -> str:
    """Each step (row against the row before it): paired gains, per-seed AP90 differences."""
    titles = {r.name: r.title for r in study.rows}
    head = ('| step | ' + ' | '.join(f'gain {k}' for k in HEADLINE) +
            ' | per seed, AP90 | n |\n|---|' + '---:|' * len(HEADLINE) + '---|---:|\n')
    lines = []
    for step in summary['steps']:
        per_seed = ', '.join(f'{d:+.1f}' for d in step['AP90']['per_seed'].values())
        lines.append(f'| {titles[step["against"]]} -> {titles[step["row"]]} | ' +
                     ' | '.join(fmt(step[k], key='half') for k in HEADLINE) +
                     f' | {per_seed} | {step["AP"]["n"]} |')
    return head + '\n'.join(lines) + '\n'


def tuning_tables(study: Study, runs: List[Run]) -> str:
    """Each swept hyper-parameter on val (the study's first seed): its points, chosen, why."""
    by_key = {run.key: run for run in runs}
    seed = study.seeds[0]
    parts = []
    for group in study.tuning:
        lines = [f'**{group.param}**' + (f', chosen {group.chosen}' if group.chosen else '') +
                 (f': {group.why}' if group.why else '') + '\n',
                 '| value | run | AP | AP50 | AP75 | AP90 |', '|---|---|---:|---:|---:|---:|']
        for point in group.points:
            run = by_key.get((point.row.name, seed, 'val'))
            metrics = run.metrics() if run else None
            cells = ([f'{metrics[k]:.1f}' for k in ('AP', 'AP50', 'AP75', 'AP90')] if metrics
                     else ['not run'] * 4)
            value = f'**{point.value}**' if point.value == group.chosen else point.value
            lines.append(f'| {value} | {point.row.name} | ' + ' | '.join(cells) + ' |')
        parts.append('\n'.join(lines) + '\n')
    return '\n'.join(parts)


def markdown(study: Study, summary: dict, split: str, runs: List[Run]) -> str:
    seeds = sorted({s for row in summary['rows'].values() for s in row['seeds']})
    early = ''
    if pairs_within_iterations(summary):
        early = (', a row scored at an earlier iteration against the baseline scored at that '
                 'iteration')
    text = [f'# {study.name}: {split} split\n',
            f'Generated by `eiou_lab.experiments` from the runs\' recorded metrics '
            f'(seeds {seeds}; baseline `{summary["baseline"]}`{early}). AP in %, COCO style; '
            'mean ± sample standard deviation over the seeds a row ran; gains are paired '
            '(the same seeds), mean ± 95 % Student t-interval half-width.\n',
            headline_table(study, summary), '\n## All columns\n', detail_table(summary),
            '\nMedian IoU found / found IoU>=0.9: over the objects found at IoU >= 0.5, the IoU '
            'of the best-scoring detection of their class; train s/iter n/a: trained side by '
            'side with another run, not a speed measurement; disjoint pairs: fraction of '
            'positive pairs with EIoU <= 0 seen by mmdet_eiou.EIoULoss (n/a: another loss).\n']
    if summary['gains']:
        text += [f'\n## Gain over `{summary["baseline"]}`{early} at each IoU threshold\n',
                 gain_table(summary)]
    if summary['steps']:
        text += ['\n## One part at a time: each step against the row before it\n',
                 steps_table(study, summary)]
    if split == 'val' and study.tuning:
        text += ['\n## Tuning on val (one seed; the chosen value in bold)\n',
                 tuning_tables(study, runs)]
    return '\n'.join(text)


# ------------------------------------------------------------------------------ writing
def write_report(study: Study, runs: List[Run], split: str, out: str) -> Optional[dict]:
    """``out/results.md``, ``out/results.json``, ``out/ap_vs_iou.png``,
    ``out/gain_vs_iou.png`` (and ``out/predictions.png`` when the first seed's predictions
    are in the work dir); the summary, or None when no run of the split was scored."""
    from . import plots
    summary = study_summary(study, runs, split)
    if summary is None:
        return None
    results = summary['results']
    summary['titles'] = {r.name: r.title for r in study.rows}
    os.makedirs(out, exist_ok=True)
    with open(osp.join(out, 'results.md'), 'w') as f:
        f.write(markdown(study, summary, split, runs))
    with open(osp.join(out, 'results.json'), 'w') as f:
        json.dump(dict(study=study.name, split=split, baseline=study.baseline,
                       rows=[r.name for r in study.rows if r.name in results], runs=results,
                       summary=summary['rows'], gains=summary['gains'],
                       paired_with=summary['paired_with'], steps=summary['steps'],
                       iou_thrs=summary['iou_thrs']), f, indent=1)
    plots.ap_vs_iou(summary, osp.join(out, 'ap_vs_iou.png'))
    if summary['gains']:
        plots.gain_vs_iou(summary, osp.join(out, 'gain_vs_iou.png'))
    first = [run for run in runs if run.split == split and run.row.name in results and
             run.seed == min(results[run.row.name]) and osp.isfile(run.predictions)]
    if first:  # predictions stay in the work dir: a report from the store alone draws none
        plots.predictions({run.row.name: run.predictions for run in first},
                          ann_file_of(first[0]), osp.join(out, 'predictions.png'))
    return summary


def ann_file_of(run: Run) -> str:
    from .run_config import load_config
    return load_config(osp.join(run.work_dir, f'score_{run.split}.py')).test_evaluator.ann_file
