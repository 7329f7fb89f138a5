"""Train and evaluate ablation rows x seeds; write a table, paired gains and plots.

    python tools/ablation.py --rows configs/synthetic/*_precision.py --seeds 0 1 2 --split test
    python tools/ablation.py --rows A.py B.py --split val --cfg-options \\
        model.roi_head.bbox_head.loss_bbox.loss_weight=5.0 --tag w5     # one tuning point
    python tools/ablation.py --rows B.py --split val --test-options \\
        model.test_cfg.rcnn.iou_guided.mode=nms --tag nms    # one at inference: B's checkpoint
    python tools/ablation.py --rows A.py B.py --split test --jobs 2   # two trainings at a time
    python tools/ablation.py --rows A.py --tag w5 ... --jobs 2 --train-only &   # two tuning
    python tools/ablation.py --rows B.py --tag w20 ... --jobs 2 --train-only &  # points side
    wait    # by side; then each call again without --train-only scores its point alone

Resumable: a run whose metrics for the split exist is skipped, and a training that was killed
resumes from its last checkpoint (``tools/train.py --resume``); with ``--skip-if-done`` a call
whose runs have all been scored returns at once (``tools/precision_track.sh`` run again). Each
run trains with ``tools/train.py`` on a derived config (``run_config.py`` in its work dir: seed,
data root, iterations with the LR milestones scaled alike, extra options), then
``tools/test.py`` scores the checkpoint on ``--split`` (``val`` to choose hyper-parameters,
``test`` to report) with ``mmdet_eiou.CocoAP90Metric`` at every IoU threshold 0.50:0.95: AP,
AP50, AP75, AP90, APs/m/l and the AP-against-IoU curve, all from that one metric. Also recorded:
training seconds per iteration (not for runs trained side by side, ``--jobs``), inference
milliseconds per image (median over the logged test windows, so start-up does not count; runs
are scored one at a time, after the trainings of the call), and what ``mmdet_eiou.EIoULoss``
logged (the fraction of positive pairs that did not overlap, the mean SOT factor).

Outputs in ``--out``: ``results.md`` (mean +- std over seeds, and each row's paired gain over
its detector's baseline with a 95 % t-interval over the seeds both ran), ``results.json``,
``ap_vs_iou.png`` and ``predictions.png`` (ground truth solid, predictions dashed, as Fig. 8).
"""
import argparse
import contextlib
import glob
import io
import json
import os
import os.path as osp
import re
import statistics
import subprocess
import sys
import time
import warnings

# setuptools < 81 (pinned: mmcv and mim need pkg_resources) warns on every import of it, as
# mmengine's when it resolves `mmdet::` configs; not ours to act on, so silence exactly that.
warnings.filterwarnings('ignore', message='pkg_resources is deprecated', category=UserWarning)

import numpy as np  # noqa: E402

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
IOU_THRS = [round(t, 2) for t in np.linspace(0.5, 0.95, 10)]
COLUMNS = ('AP', 'AP50', 'AP75', 'AP90', 'APs', 'APm', 'APl')
SIDE_BY_SIDE = 'side_by_side'  # marks a run trained beside another (--jobs): no speed measured
EXTRAS = ('loc_median_iou', 'loc_iou_ge_0.9', 'train_s_per_iter', 'infer_ms_per_img',
          'disjoint_frac', 'sot_scale')
# Two-sided 95 % Student t quantiles by degrees of freedom (n seeds - 1).
T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
       9: 2.262, 10: 2.228}


def row_name(config):
    return osp.splitext(osp.basename(config))[0]


def run(cmd, log_path, env=None):
    """Run ``cmd``, its output into ``log_path`` and its progress lines (mmengine's
    ``Iter(train) [k/N] ... eta``) onto the console; raise with the log's tail if it fails."""
    with open(log_path, 'a') as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, bufsize=1, env=env)
        for line in proc.stdout:
            log.write(line)
            if 'Iter(train)' in line or 'Iter(test)' in line:
                print('    ' + line.split(' - ')[-1].strip()[:110], flush=True)
        proc.wait()
    if proc.returncode != 0:
        with open(log_path) as log:
            tail = log.read()[-3000:]
        raise RuntimeError(f'{" ".join(cmd)} failed ({proc.returncode}); log {log_path}:\n{tail}')


# ----------------------------------------------------------------------------- one run
def write_run_config(config, seed, work_dir, data_root=None, max_iters=None):
    """``work_dir/run_config.py``: ``config`` with this run's seed, data and schedule.

    ``max_iters`` also scales the iteration-based LR milestones and ends, so a longer run keeps
    the schedule's shape (not the old milestones, which would train mostly at the last LR).
    """
    from mmengine.config import Config
    cfg = Config.fromfile(osp.join(ROOT, config))
    train_cfg = 'dict(val_interval=1000000000)'  # scored once, at the end, by tools/test.py
    lines = [f'_base_ = {osp.join(ROOT, config)!r}', f'randomness = dict(seed={seed})']
    if data_root:
        root = data_root.rstrip('/') + '/'
        for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
            lines.append(f'{loader} = dict(dataset=dict(data_root={root!r}))')
        for evaluator in ('val_evaluator', 'test_evaluator'):
            ann = osp.basename(cfg[evaluator].ann_file)
            lines.append(f'{evaluator} = dict(ann_file={root + ann!r})')
    if max_iters:
        old = cfg.train_cfg.max_iters
        schedulers = []
        for sched in cfg.param_scheduler:
            sched = dict(sched)
            if 'milestones' in sched:
                sched['milestones'] = [round(m * max_iters / old) for m in sched['milestones']]
            if sched.get('end') == old:
                sched['end'] = max_iters
            schedulers.append(sched)
        train_cfg = f'dict(val_interval=1000000000, max_iters={max_iters})'
        lines.append(f'param_scheduler = {schedulers!r}')
        if max_iters < 20:  # short runs: log every iteration so that s/iter is still measured
            lines.append('default_hooks = dict(logger=dict(interval=1))')
    lines.append(f'train_cfg = {train_cfg}')
    path = osp.join(work_dir, 'run_config.py')
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return path


def split_options(config, split):
    """``tools/test.py`` options that score ``split`` (its json beside the config's val json)
    at every IoU threshold of the AP curve."""
    from mmengine.config import Config
    cfg = Config.fromfile(config)
    ann = osp.join(osp.dirname(cfg.val_evaluator.ann_file), f'{split}.json')
    thrs = ','.join(f'{t:g}' for t in IOU_THRS)
    return [f'test_dataloader.dataset.ann_file={split}.json', f'test_evaluator.ann_file={ann}',
            f'test_evaluator.ap_iou_thrs=[{thrs}]']


def is_trained(train_dir):
    return all(osp.isfile(osp.join(train_dir, f)) for f in ('last_checkpoint', 'trained'))


def training_command(config, seed, train_dir, data_root=None, max_iters=None, options=None):
    """The ``tools/train.py`` command that trains ``config`` in ``train_dir`` (resuming a
    killed training from its checkpoint), or None if that training has finished."""
    if is_trained(train_dir):
        return None
    os.makedirs(train_dir, exist_ok=True)
    train_config = write_run_config(config, seed, train_dir, data_root, max_iters)
    cmd = [sys.executable, 'tools/train.py', train_config, '--work-dir', train_dir]
    if osp.isfile(osp.join(train_dir, 'last_checkpoint')):
        cmd.append('--resume')
    return cmd + (['--cfg-options', *options] if options else [])


def train(train_dir, cmd, threads=None):
    """Run the training ``cmd`` of ``training_command`` and mark ``train_dir`` finished.

    ``threads`` limits its torch threads, for runs trained side by side (``--jobs``): its
    logged s/iter then measures a shared machine, so the run is marked and its training time
    is not reported (``train_statistics``)."""
    env = None
    if threads:
        env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
        with open(osp.join(train_dir, SIDE_BY_SIDE), 'w') as f:
            f.write(f'{threads} torch threads\n')
    run(cmd, osp.join(train_dir, 'run.log'), env)
    open(osp.join(train_dir, 'trained'), 'w').close()


def train_side_by_side(runs, jobs):
    """Train ``runs`` (``(key, train_dir, cmd)``) ``jobs`` at a time, each with its share of
    the cores: on a 2-core CPU two such trainings finish in about 60 % of the time of the two
    one after the other (``jobs`` 1: one after the other, on all the cores). Return
    ``{key: error}`` of those that failed."""
    from concurrent.futures import ThreadPoolExecutor
    threads = max(1, (os.cpu_count() or 1) // jobs) if jobs > 1 else None
    failed = {}

    def one(key, train_dir, cmd):
        try:
            train(train_dir, cmd, threads)
        except RuntimeError as err:  # one broken run must not lose the others
            failed[key] = err

    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(lambda r: one(*r), runs))
    return failed


def train_and_test(config, seed, work_dir, data_root=None, max_iters=None, split='val',
                   options=None, test_options=None, train_dir=None):
    """One run: train in ``train_dir`` (default ``work_dir``; resuming if a checkpoint exists),
    score ``split`` into ``work_dir`` with ``test_options`` added, return metrics.

    A ``train_dir`` apart from ``work_dir`` makes an inference-only tuning point: the
    checkpoint of another run, scored with other test-time settings."""
    train_dir = train_dir or work_dir
    metrics_file = osp.join(work_dir, f'metrics_{split}.json')
    preds = osp.join(work_dir, f'predictions_{split}.pkl')
    if osp.isfile(metrics_file):
        with open(metrics_file) as f:
            metrics = json.load(f)
        if 'loc_median_iou' not in metrics:  # scored before this statistic existed
            metrics.update(localisation(preds, work_dir, split))
            with open(metrics_file, 'w') as f:
                json.dump(metrics, f, indent=1)
        return metrics, 'done before'
    os.makedirs(work_dir, exist_ok=True)
    log = osp.join(work_dir, 'run.log')
    run_config = write_run_config(config, seed, work_dir, data_root, max_iters)
    cmd = training_command(config, seed, train_dir, data_root, max_iters, options)
    if cmd:
        train(train_dir, cmd)
    with open(osp.join(train_dir, 'last_checkpoint')) as f:
        checkpoint = f.read().strip()
    test_dir = osp.join(work_dir, f'test_{split}')
    run([sys.executable, 'tools/test.py', run_config, checkpoint, '--work-dir', test_dir,
         '--out', preds, '--cfg-options', *split_options(run_config, split), *(options or []),
         *(test_options or [])], log)
    metrics = test_metrics(test_dir)
    metrics.update(train_statistics(train_dir))
    metrics['infer_ms_per_img'] = inference_ms_per_image(test_dir, run_config)
    metrics.update(localisation(preds, work_dir, split))
    with open(metrics_file, 'w') as f:
        json.dump(metrics, f, indent=1)
    return metrics, 'trained' if cmd else 'scored'


def _records(pattern):
    records = []
    for path in sorted(glob.glob(pattern)):
        with open(path) as f:
            records += [json.loads(line) for line in f if line.strip()]
    return records


def test_metrics(test_dir):
    """AP columns (%) and the AP curve from what ``CocoAP90Metric`` logged in the test run."""
    scores = [r for r in _records(osp.join(test_dir, '2*', '2*.json')) if 'coco/bbox_mAP' in r]
    if not scores:
        raise RuntimeError(f'no COCO metrics logged under {test_dir}')
    m = scores[-1]
    pct = (lambda key: 100 * m[key] if m[key] >= 0 else float('nan'))  # -1: no GT that size
    out = dict(AP=pct('coco/bbox_mAP'), AP50=pct('coco/bbox_mAP_50'),
               AP75=pct('coco/bbox_mAP_75'), AP90=pct('coco/bbox_mAP_90'),
               APs=pct('coco/bbox_mAP_s'), APm=pct('coco/bbox_mAP_m'),
               APl=pct('coco/bbox_mAP_l'))
    out['ap_at_iou'] = [pct(f'coco/bbox_mAP_{t * 100:g}') for t in IOU_THRS]
    return out


def localisation(preds, work_dir, split):
    """How tightly the recalled objects are boxed (``mmdet_eiou.analysis.localisation``): the
    median IoU and the share (%) at IoU >= 0.9 of each object's best-scoring detection."""
    import mmengine
    from mmengine.config import Config
    from mmdet_eiou.analysis.localisation import recalled_ious, summarise_ious
    cfg = Config.fromfile(osp.join(work_dir, 'run_config.py'))
    ann_file = osp.join(osp.dirname(cfg.val_evaluator.ann_file), f'{split}.json')
    stats = summarise_ious(recalled_ious(mmengine.load(preds), ann_file))
    return {'loc_median_iou': stats['median_iou'], 'loc_iou_ge_0.9': stats['iou_ge_0_9']}


def train_statistics(work_dir):
    """Training s/iter (median over logged iterations after the first fifth) and the means of
    what our loss logged: ``disjoint_frac`` and ``sot_scale`` (NaN where not logged; s/iter
    also NaN for a run trained side by side, whose time measures a shared machine)."""
    train = [r for r in _records(osp.join(work_dir, '2*', 'vis_data', 'scalars.json'))
             if 'loss' in r]
    times = [r['time'] for r in train if 'time' in r]

    def mean_of(key):
        values = [r[key] for r in train if key in r]
        return statistics.fmean(values) if values else float('nan')

    shared = osp.isfile(osp.join(work_dir, SIDE_BY_SIDE))  # s/iter of a shared machine
    s_per_iter = (statistics.median(times[len(times) // 5:]) if times and not shared else
                  float('nan'))
    return dict(train_s_per_iter=s_per_iter, disjoint_frac=mean_of('eiou_disjoint_frac'),
                sot_scale=mean_of('sot_scale'))


def inference_ms_per_image(test_dir, config):
    """Median of the logged test-iteration times (smoothed windows), per image; the first
    window, which holds start-up (workers, first allocations), is left out."""
    from mmengine.config import Config
    batch = Config.fromfile(config).test_dataloader.batch_size
    times = []
    for path in sorted(glob.glob(osp.join(test_dir, '2*', '2*.log'))):
        with open(path) as f:
            times += [float(m.group(1)) for m in re.finditer(
                r'Iter\(test\) \[\s*\d+/\d+\].*?\btime: ([0-9.]+)', f.read())]
    times = times[1:] or times
    return 1000 * statistics.median(times) / batch if times else float('nan')


# ----------------------------------------------------------------------------- reporting
def _finite(values):
    return [v for v in values if v == v]


def summarise(results):
    """{row: {column: (mean, std, n)}, 'ap_at_iou': mean curve}; std is the sample std over
    seeds (0 for one)."""
    table = {}
    for row, per_seed in results.items():
        runs = list(per_seed.values())
        table[row] = {}
        for key in (*COLUMNS, *EXTRAS):
            values = _finite([r.get(key, float('nan')) for r in runs])
            table[row][key] = (statistics.fmean(values) if values else float('nan'),
                               statistics.stdev(values) if len(values) > 1 else 0.0, len(values))
        curves = np.array([r['ap_at_iou'] for r in runs], dtype=float)
        table[row]['ap_at_iou'] = curves.mean(0).tolist()
    return table


def baseline_of(row, rows):
    """The row's detector baseline: the first row of the same detector whose name has '_1-'."""
    det = row.split('_')[0]
    return next((r for r in rows if r.split('_')[0] == det and '_1-' in r), None)


def paired_gains(results, columns=COLUMNS):
    """{row: {column: (mean gain, half-width of the 95 % interval, n)}} over the seeds that
    both the row and its baseline ran; the interval is Student's t on the paired differences."""
    rows = list(results)
    gains = {}
    for row in rows:
        base = baseline_of(row, rows)
        if base is None or base == row:
            continue
        seeds = sorted(set(results[row]) & set(results[base]))
        gains[row] = {'baseline': base}
        for key in (*columns, *(f'ap@{t:g}' for t in IOU_THRS)):
            if key.startswith('ap@'):
                i = IOU_THRS.index(float(key[3:]))
                diffs = [results[row][s]['ap_at_iou'][i] - results[base][s]['ap_at_iou'][i]
                         for s in seeds]
            else:
                diffs = [results[row][s][key] - results[base][s][key] for s in seeds]
            diffs = _finite(diffs)
            n = len(diffs)
            mean = statistics.fmean(diffs) if diffs else float('nan')
            half = T95.get(n - 1, 1.96) * statistics.stdev(diffs) / n**0.5 if n > 1 else \
                float('nan')
            gains[row][key] = (mean, half, n)
    return gains


def markdown(table, gains, seeds, split):
    keys = (*COLUMNS, *EXTRAS)
    head = ('| row | ' + ' | '.join(COLUMNS) +
            ' | median IoU found | found IoU>=0.9 % | train s/iter | infer ms/img | disjoint pairs'
            ' | SOT factor |\n'
            '|---|' + '---:|' * len(keys) + '\n')
    lines = []
    for row, cols in table.items():
        cells = []
        for key in keys:
            mean, spread, n = cols[key]
            digits = 3 if key in ('train_s_per_iter', 'disjoint_frac', 'sot_scale',
                                  'loc_median_iou') else 1
            cells.append('n/a' if n == 0 else f'{mean:.{digits}f}' +
                         (f' ± {spread:.{digits}f}' if n > 1 else ''))
        lines.append(f'| {row} | ' + ' | '.join(cells) + ' |')
    note = (f'\nSplit `{split}`; seeds {list(seeds)}; mean ± sample standard deviation over the '
            'seeds a row ran; AP in %, COCO style; disjoint pairs: fraction of positive pairs '
            'with EIoU <= 0 seen by mmdet_eiou.EIoULoss (n/a: another loss); median IoU found / '
            'found IoU>=0.9: over the objects found at IoU >= 0.5, the IoU of the best-scoring '
            'detection of their class (mmdet_eiou.analysis.localisation); train s/iter n/a: '
            'trained side by side with another run (--jobs), not a speed measurement; '
            'n/a: none.\n')
    text = head + '\n'.join(lines) + '\n' + note
    if gains:
        gain_keys = ('AP', *(f'ap@{t:g}' for t in IOU_THRS))
        text += ('\nPaired gain over the detector\'s baseline row (same seeds), mean ± 95 % '
                 't-interval half-width, n seeds:\n\n| row | baseline | ' +
                 ' | '.join(gain_keys) + ' | n |\n|---|---|' + '---:|' * (len(gain_keys) + 1) +
                 '\n')
        for row, g in gains.items():
            cells = [f'{g[k][0]:+.1f}' + ('' if g[k][1] != g[k][1] else f' ± {g[k][1]:.1f}')
                     for k in gain_keys]
            text += f'| {row} | {g["baseline"]} | ' + ' | '.join(cells) + \
                f' | {g["AP"][2]} |\n'
    return text


def plot_ap_vs_iou(table, path):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    detectors = sorted({row.split('_')[0] for row in table})
    fig, axes = plt.subplots(1, len(detectors), figsize=(6.5 * len(detectors), 4.5),
                             squeeze=False)
    for ax, det in zip(axes[0], detectors):
        for row, cols in table.items():
            if row.split('_')[0] == det:
                ax.plot(IOU_THRS, cols['ap_at_iou'], marker='o', ms=3,
                        label=row.split('_', 2)[-1])
        ax.set(title=f'{det}: AP against IoU threshold', xlabel='IoU threshold',
               ylabel='AP (%)', xlim=(0.5, 0.95))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_predictions(runs, ann_file, path, num_images=4, score_thr=0.3):
    """Ground truth (solid) and predictions (dashed) of each run on the same images (Fig. 8)."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    import mmengine
    from pycocotools.coco import COCO
    with contextlib.redirect_stdout(io.StringIO()):
        coco = COCO(ann_file)
    img_ids = sorted(coco.getImgIds())[:num_images]
    fig, axes = plt.subplots(len(runs), num_images, figsize=(3 * num_images, 3.1 * len(runs)),
                             squeeze=False)
    root = osp.dirname(ann_file)
    for r, (name, pred_file) in enumerate(runs.items()):
        preds = {p['img_id']: p['pred_instances'] for p in mmengine.load(pred_file)}
        for c, img_id in enumerate(img_ids):
            ax = axes[r][c]
            info = coco.loadImgs(img_id)[0]
            ax.imshow(plt.imread(osp.join(root, info['file_name'])))
            for ann in coco.loadAnns(coco.getAnnIds(imgIds=img_id)):
                x, y, w, h = ann['bbox']
                ax.add_patch(plt.Rectangle((x, y), w, h, fill=False, color='lime', lw=1.2))
            inst = preds.get(img_id)
            if inst is not None:
                keep = inst['scores'] > score_thr
                for x1, y1, x2, y2 in inst['bboxes'][keep].tolist():
                    ax.add_patch(plt.Rectangle((x1, y1), x2 - x1, y2 - y1, fill=False,
                                               color='red', lw=1.2, ls='--'))
            ax.set_xticks([])
            ax.set_yticks([])
            if c == 0:
                ax.set_ylabel(name.split('_', 2)[-1], fontsize=8)
    fig.suptitle(f'ground truth solid, predictions (score > {score_thr}) dashed', fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rows', nargs='+', help='configs (default: configs/synthetic/*.py)')
    parser.add_argument('--seeds', nargs='+', type=int, default=[0])
    parser.add_argument('--split', default='val', choices=('val', 'test'),
                        help='score on val (choose hyper-parameters) or test (report)')
    parser.add_argument('--work-dir', default='work_dirs/ablation', help='runs go here')
    parser.add_argument('--out', help='table and plots (default: the work dir)')
    parser.add_argument('--data-root', help='data (default: the configs\' own)')
    parser.add_argument('--max-iters', type=int,
                        help="override the configs' iterations (LR milestones scale alike)")
    parser.add_argument('--cfg-options', nargs='+', default=[],
                        help='extra config options for every run (a tuning point)')
    parser.add_argument('--test-options', nargs='+', default=[],
                        help='config options for scoring only (an inference-time tuning point, '
                        'with --tag: it scores the checkpoint of the untagged run)')
    parser.add_argument('--from-tag', default='',
                        help='with --test-options: score the checkpoint of the run with this '
                        'tag instead (it must have finished training)')
    parser.add_argument('--tag', default='', help='suffix of the runs\' names (tuning points)')
    parser.add_argument('--jobs', type=int, default=1,
                        help='train this many runs at a time, each with its share of the cores '
                        '(their s/iter is then not reported); scoring stays one at a time, '
                        'after all trainings, so ms/img is timed on cores this call leaves free')
    parser.add_argument('--train-only', action='store_true',
                        help='train the runs and stop (score them later with the same call '
                        'without it): tuning points of different tags can then train side by '
                        'side, each call with --jobs 2, and still be scored alone')
    parser.add_argument('--report-only', action='store_true',
                        help='train nothing: tabulate the runs that have finished')
    parser.add_argument('--skip-if-done', action='store_true',
                        help='when every run of the call was scored on the split before, say '
                        'so and stop, writing no table or plots (a protocol script that is '
                        'run again reaches its first new run in seconds)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    rows = args.rows or sorted(glob.glob(osp.join(ROOT, 'configs', 'synthetic', '*.py')))
    rows = [osp.relpath(osp.abspath(r), ROOT) for r in rows]
    out = args.out or args.work_dir
    os.makedirs(out, exist_ok=True)
    tag = f'_{args.tag}' if args.tag else ''
    if args.test_options and (not args.tag or args.cfg_options):
        raise SystemExit('--test-options makes an inference-only tuning point of the rows as '
                         'they are: give it a --tag and no --cfg-options')
    if args.from_tag and not args.test_options:
        raise SystemExit('--from-tag goes with --test-options')
    from_tag = f'_{args.from_tag}' if args.from_tag else ''
    if args.jobs < 1:
        raise SystemExit('--jobs must be at least 1')
    if args.train_only and (args.report_only or args.test_options):
        raise SystemExit('--train-only trains: not with --report-only or --test-options')

    def run_dirs(config, seed):
        name = row_name(config) + tag
        work_dir = osp.join(args.work_dir, name, f'seed{seed}')
        # an inference-only point reuses (or trains) the checkpoint of the run without it
        train_dir = (osp.join(args.work_dir, row_name(config) + from_tag, f'seed{seed}')
                     if args.test_options else work_dir)
        scored = osp.isfile(osp.join(work_dir, f'metrics_{args.split}.json'))
        return name, work_dir, train_dir, scored

    # seed-major: a partial run already has every row once
    results, todo, failed = {}, [(r, s) for s in args.seeds for r in rows], []
    if args.skip_if_done and not args.report_only and all(run_dirs(*run)[3] for run in todo):
        print(f'all {len(todo)} run(s) done before ({args.split}): skipped', flush=True)
        return None
    start = time.time()
    failed_training = {}
    if (args.jobs > 1 or args.train_only) and not args.report_only and not from_tag:
        pending = []  # commands made here: mmengine's config parsing is not thread-safe
        for config, seed in todo:
            _, _, train_dir, scored = run_dirs(config, seed)
            cmd = None if scored else training_command(
                config, seed, train_dir, args.data_root, args.max_iters, args.cfg_options)
            if cmd:
                pending.append(((config, seed), train_dir, cmd))
        failed_training = train_side_by_side(pending, args.jobs)
    if args.train_only:
        for (config, seed), err in failed_training.items():
            print(f'{row_name(config)}{tag} seed {seed}: FAILED\n{err}', flush=True)
        if failed_training:
            raise SystemExit(f'{len(failed_training)} training(s) failed')
        print('trained; score with the same command without --train-only', flush=True)
        return
    for i, (config, seed) in enumerate(todo, 1):
        name, work_dir, train_dir, scored = run_dirs(config, seed)
        if args.report_only and not scored:
            continue
        if (config, seed) in failed_training:
            print(f'[{i}/{len(todo)}] {name} seed {seed}: FAILED\n'
                  f'{failed_training[config, seed]}', flush=True)
            failed.append(f'{name} seed {seed}')
            continue
        if from_tag and not scored and not is_trained(train_dir):
            print(f'[{i}/{len(todo)}] {name} seed {seed}: FAILED, {train_dir} has not '
                  'finished training', flush=True)
            failed.append(f'{name} seed {seed}')
            continue
        print(f'[{i}/{len(todo)}] {name} seed {seed} ...', flush=True)
        t0 = time.time()
        try:
            metrics, how = train_and_test(config, seed, work_dir, args.data_root,
                                          args.max_iters, args.split, args.cfg_options,
                                          args.test_options, train_dir)
        except RuntimeError as err:  # one broken run must not lose the others
            print(f'[{i}/{len(todo)}] {name} seed {seed}: FAILED\n{err}', flush=True)
            failed.append(f'{name} seed {seed}')
            continue
        results.setdefault(name, {})[seed] = metrics
        elapsed = time.time() - start
        eta = elapsed / i * (len(todo) - i)
        print(f'[{i}/{len(todo)}] {name} seed {seed}: {how} in {time.time() - t0:.0f} s, '
              f'AP {metrics["AP"]:.1f} AP50 {metrics["AP50"]:.1f} AP75 {metrics["AP75"]:.1f} '
              f'AP90 {metrics["AP90"]:.1f} | elapsed {elapsed / 60:.1f} min, '
              f'ETA {eta / 60:.1f} min', flush=True)

    if not results:
        raise SystemExit(f'no run finished: {failed}')
    table = summarise(results)
    gains = paired_gains(results)
    text = markdown(table, gains, args.seeds, args.split)
    with open(osp.join(out, 'results.md'), 'w') as f:
        f.write(text)
    with open(osp.join(out, 'results.json'), 'w') as f:
        json.dump(dict(rows=rows, seeds=args.seeds, split=args.split, tag=args.tag,
                       cfg_options=args.cfg_options, test_options=args.test_options,
                       from_tag=args.from_tag, runs=results, gains=gains), f, indent=1)
    plot_ap_vs_iou(table, osp.join(out, 'ap_vs_iou.png'))
    first = osp.join(args.work_dir, row_name(rows[0]) + tag, f'seed{args.seeds[0]}',
                     'run_config.py')
    from mmengine.config import Config
    ann_file = osp.join(
        osp.dirname(Config.fromfile(first if osp.isfile(first) else rows[0])
                    .val_evaluator.ann_file), f'{args.split}.json')
    # Runs restored from their metrics alone (tools/precision_track.sh) have no predictions.
    preds = {row_name(c) + tag: osp.join(args.work_dir, row_name(c) + tag,
                                         f'seed{args.seeds[0]}', f'predictions_{args.split}.pkl')
             for c in rows}
    preds = {k: v for k, v in preds.items() if k in results and osp.isfile(v)}
    if preds:
        plot_predictions(preds, ann_file, osp.join(out, 'predictions.png'))
    print('\n' + text)
    if failed:
        print(f'FAILED runs (see their run.log): {failed}')
    print(f'table: {osp.join(out, "results.md")}; plots: {osp.join(out, "ap_vs_iou.png")}, '
          f'{osp.join(out, "predictions.png")}')
    if failed:
        raise SystemExit(1)
    return table


if __name__ == '__main__':
    main()
