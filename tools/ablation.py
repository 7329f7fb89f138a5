"""Train and evaluate ablation rows x seeds on the synthetic set; write a table and plots.

    python tools/ablation.py                                 # every configs/synthetic row, seed 0
    python tools/ablation.py --seeds 0 1 --out docs/ablation  # the recorded full run
    python tools/ablation.py --rows configs/synthetic/faster-rcnn_r18_1-smoothl1_synthetic.py \\
        configs/synthetic/faster-rcnn_r18_8-eiou-ct-sot-iouhead_synthetic.py   # the main job

Resumable: a run whose ``metrics.json`` exists is skipped, and a run that was killed resumes
from its last checkpoint (``tools/train.py --resume``). Each run trains with
``tools/train.py``, then ``tools/test.py --out`` dumps its predictions on the validation set;
the predictions are scored here with pycocotools at every IoU threshold 0.50:0.95, which gives
AP, AP50, AP75, AP90, APs/m/l and the AP-against-IoU curve (the paper's Fig. 7 is the same
curve for recall). Timing: training seconds per iteration (median over the logged iterations
after the first fifth) and inference milliseconds per image (test loop, data loading
included). Outputs in ``--out``: ``results.md`` (mean and spread over seeds), ``results.json``,
``ap_vs_iou.png`` and ``predictions.png`` (ground truth solid, predictions dashed, as Fig. 8).
"""
import argparse
import contextlib
import glob
import io
import json
import os
import os.path as osp
import statistics
import subprocess
import sys
import time

import numpy as np

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
IOU_THRS = np.linspace(0.5, 0.95, 10)
COLUMNS = ('AP', 'AP50', 'AP75', 'AP90', 'APs', 'APm', 'APl')


def row_name(config):
    return osp.splitext(osp.basename(config))[0]


def run(cmd, log_path):
    """Run ``cmd``, its output into ``log_path`` and its progress lines (mmengine's
    ``Iter(train) [k/N] ... eta``) onto the console; raise with the log's tail if it fails."""
    with open(log_path, 'a') as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, bufsize=1)
        for line in proc.stdout:
            log.write(line)
            if 'Iter(train)' in line or 'Iter(test)' in line:
                print('    ' + line.split(' - ')[-1].strip()[:110], flush=True)
        proc.wait()
    if proc.returncode != 0:
        with open(log_path) as log:
            tail = log.read()[-3000:]
        raise RuntimeError(f'{" ".join(cmd)} failed ({proc.returncode}); log {log_path}:\n{tail}')


def data_options(data_root):
    if data_root is None:
        return []
    data_root = data_root.rstrip('/') + '/'
    return [f'{split}.dataset.data_root={data_root}'
            for split in ('train_dataloader', 'val_dataloader', 'test_dataloader')] + [
                f'{e}.ann_file={data_root}val.json' for e in ('val_evaluator', 'test_evaluator')]


def train_and_test(config, seed, work_dir, data_root=None, max_iters=None):
    """One run: train (resuming if a checkpoint exists), dump predictions, return metrics."""
    metrics_file = osp.join(work_dir, 'metrics.json')
    if osp.isfile(metrics_file):
        with open(metrics_file) as f:
            return json.load(f), 'done before'
    os.makedirs(work_dir, exist_ok=True)
    log = osp.join(work_dir, 'run.log')
    options = [f'randomness.seed={seed}', 'train_cfg.val_interval=1000000000',
               *data_options(data_root)]
    if max_iters:  # short runs: log every iteration so that s/iter is still measured
        options += [f'train_cfg.max_iters={max_iters}', 'default_hooks.logger.interval=1']
    cmd = [sys.executable, 'tools/train.py', config, '--work-dir', work_dir]
    if osp.isfile(osp.join(work_dir, 'last_checkpoint')):
        cmd.append('--resume')
    run(cmd + ['--cfg-options', *options], log)
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        checkpoint = f.read().strip()
    preds = osp.join(work_dir, 'predictions.pkl')
    test_options = data_options(data_root)
    run([sys.executable, 'tools/test.py', config, checkpoint, '--work-dir',
         osp.join(work_dir, 'test'), '--out', preds] +
        (['--cfg-options', *test_options] if test_options else []), log)
    ann_file = (data_root.rstrip('/') + '/' if data_root else _config_data_root(config)) + \
        'val.json'
    metrics = score_predictions(preds, ann_file)
    metrics.update(train_s_per_iter=_train_seconds_per_iter(work_dir),
                   infer_ms_per_img=_inference_ms_per_image(work_dir, config))
    with open(metrics_file, 'w') as f:
        json.dump(metrics, f, indent=1)
    return metrics, 'trained'


def _config_data_root(config):
    from mmengine.config import Config
    return Config.fromfile(osp.join(ROOT, config)).test_evaluator.ann_file.rsplit('/', 1)[0] + '/'


def _scalars(pattern):
    records = []
    for path in sorted(glob.glob(pattern)):
        with open(path) as f:
            records += [json.loads(line) for line in f if line.strip()]
    return records


def _train_seconds_per_iter(work_dir):
    times = [r['time'] for r in _scalars(osp.join(work_dir, '2*', 'vis_data', 'scalars.json'))
             if 'loss' in r and 'time' in r]
    return statistics.median(times[len(times) // 5:]) if times else float('nan')


def _inference_ms_per_image(work_dir, config):
    from mmengine.config import Config
    batch = Config.fromfile(osp.join(ROOT, config)).test_dataloader.batch_size
    records = [r for r in _scalars(osp.join(work_dir, 'test', '2*', '2*.json')) if 'time' in r]
    return 1000 * records[-1]['time'] / batch if records else float('nan')


def score_predictions(pred_file, ann_file):
    """COCO box AP of dumped predictions, plus AP at each IoU threshold 0.50:0.95."""
    import mmengine
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval
    with contextlib.redirect_stdout(io.StringIO()):
        coco = COCO(ann_file)
    cat_ids = sorted(coco.getCatIds())
    dets = []
    for pred in mmengine.load(pred_file):
        inst = pred['pred_instances']
        for box, score, label in zip(inst['bboxes'].tolist(), inst['scores'].tolist(),
                                     inst['labels'].tolist()):
            dets.append(dict(image_id=pred['img_id'], category_id=cat_ids[label], score=score,
                             bbox=[box[0], box[1], box[2] - box[0], box[3] - box[1]]))
    out = dict(zip(COLUMNS, [0.0] * len(COLUMNS)), ap_at_iou=[0.0] * len(IOU_THRS))
    if not dets:
        return out
    with contextlib.redirect_stdout(io.StringIO()):
        evaluator = COCOeval(coco, coco.loadRes(dets), 'bbox')
        evaluator.params.iouThrs = IOU_THRS
        evaluator.evaluate()
        evaluator.accumulate()
        evaluator.summarize()
    precision = evaluator.eval['precision'][:, :, :, 0, -1]  # (iou, recall, class), all areas

    def ap(p):
        p = p[p > -1]
        return float(p.mean()) * 100 if p.size else float('nan')

    stats = evaluator.stats * 100
    out.update(AP=stats[0], AP50=stats[1], AP75=stats[2], APs=stats[3], APm=stats[4],
               APl=stats[5], AP90=ap(precision[8]), ap_at_iou=[ap(p) for p in precision])
    return {k: (float(v) if not isinstance(v, list) else v) for k, v in out.items()}


# ----------------------------------------------------------------------------- reporting
def summarise(results):
    """{row: {column: (mean, spread, n)}}; spread is the sample std over seeds (0 for one)."""
    table = {}
    for row, per_seed in results.items():
        runs = list(per_seed.values())
        table[row] = {}
        for key in (*COLUMNS, 'train_s_per_iter', 'infer_ms_per_img'):
            values = [r[key] for r in runs if r[key] == r[key] and r[key] >= 0]
            table[row][key] = (statistics.fmean(values) if values else float('nan'),
                               statistics.stdev(values) if len(values) > 1 else 0.0, len(values))
        curves = np.array([r['ap_at_iou'] for r in runs], dtype=float)
        table[row]['ap_at_iou'] = curves.mean(0).tolist()
    return table


def markdown(table, seeds):
    head = ('| row | ' + ' | '.join(COLUMNS) + ' | train s/iter | infer ms/img |\n'
            '|---|' + '---:|' * (len(COLUMNS) + 2) + '\n')
    lines = []
    for row, cols in table.items():
        cells = []
        for key in (*COLUMNS, 'train_s_per_iter', 'infer_ms_per_img'):
            mean, spread, n = cols[key]
            digits = 3 if key == 'train_s_per_iter' else 1
            cells.append('n/a' if n == 0 else f'{mean:.{digits}f}' +
                         (f' ± {spread:.{digits}f}' if len(seeds) > 1 else ''))
        lines.append(f'| {row} | ' + ' | '.join(cells) + ' |')
    note = (f'\nMean ± sample standard deviation over seeds {list(seeds)}; AP in %, COCO style; '
            'n/a: no ground truth in that size range.\n' if len(seeds) > 1 else
            f'\nSeed {seeds[0]}; AP in %, COCO style; n/a: no ground truth in that size range.\n')
    return head + '\n'.join(lines) + '\n' + note


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
                        label=row.split('_', 2)[-1].replace('_synthetic', ''))
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
                ax.set_ylabel(name.split('_', 2)[-1].replace('_synthetic', ''), fontsize=8)
    fig.suptitle(f'ground truth solid, predictions (score > {score_thr}) dashed', fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rows', nargs='+', help='configs (default: configs/synthetic/*.py)')
    parser.add_argument('--seeds', nargs='+', type=int, default=[0])
    parser.add_argument('--work-dir', default='work_dirs/ablation', help='runs go here')
    parser.add_argument('--out', help='table and plots (default: the work dir)')
    parser.add_argument('--data-root', help='synthetic data (default: the configs\' own)')
    parser.add_argument('--max-iters', type=int,
                        help='override the configs\' iterations (and log every iteration)')
    parser.add_argument('--report-only', action='store_true',
                        help='train nothing: tabulate the runs that have finished')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    rows = args.rows or sorted(glob.glob(osp.join(ROOT, 'configs', 'synthetic', '*.py')))
    rows = [osp.relpath(osp.abspath(r), ROOT) for r in rows]
    out = args.out or args.work_dir
    os.makedirs(out, exist_ok=True)
    # seed-major: a partial run already has every row once
    results, todo, failed = {}, [(r, s) for s in args.seeds for r in rows], []
    start = time.time()
    for i, (config, seed) in enumerate(todo, 1):
        name = row_name(config)
        work_dir = osp.join(args.work_dir, name, f'seed{seed}')
        print(f'[{i}/{len(todo)}] {name} seed {seed} ...', flush=True)
        t0 = time.time()
        if args.report_only and not osp.isfile(osp.join(work_dir, 'metrics.json')):
            continue
        try:
            metrics, how = train_and_test(config, seed, work_dir, args.data_root,
                                          args.max_iters)
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
        raise SystemExit(f'every run failed: {failed}')
    table = summarise(results)
    text = markdown(table, args.seeds)
    with open(osp.join(out, 'results.md'), 'w') as f:
        f.write(text)
    with open(osp.join(out, 'results.json'), 'w') as f:
        json.dump(dict(rows=rows, seeds=args.seeds, runs=results), f, indent=1)
    plot_ap_vs_iou(table, osp.join(out, 'ap_vs_iou.png'))
    ann_file = (args.data_root.rstrip('/') + '/' if args.data_root else
                _config_data_root(rows[0])) + 'val.json'
    plot_predictions(
        {row_name(c): osp.join(args.work_dir, row_name(c), f'seed{args.seeds[0]}',
                               'predictions.pkl') for c in rows if row_name(c) in results},
        ann_file, osp.join(out, 'predictions.png'))
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
