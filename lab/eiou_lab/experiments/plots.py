"""A study's plots: AP against IoU threshold, the paired gain at each threshold with its
interval, and predictions against ground truth on the same images (as the paper's Fig. 8)."""
import contextlib
import io
import math
import os.path as osp
from typing import Dict


def _pyplot():
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    return plt


def ap_vs_iou(summary: dict, path: str) -> None:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    for name, row in summary['rows'].items():
        ax.plot(summary['iou_thrs'], row['ap_at_iou'], marker='o', ms=3,
                label=summary.get('titles', {}).get(name, name))
    ax.set(title='AP against IoU threshold (mean over seeds)', xlabel='IoU threshold',
           ylabel='AP (%)')
    ax.grid(alpha=0.3)
    ax.legend(fontsize=6)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def gain_vs_iou(summary: dict, path: str) -> None:
    """Each row's paired gain over its baseline at every threshold, bars the 95 % interval."""
    plt = _pyplot()
    thrs = summary['iou_thrs']
    rows = list(summary['gains'])
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    width = 0.8 * (thrs[1] - thrs[0] if len(thrs) > 1 else 0.05) / max(len(rows), 1)
    for k, name in enumerate(rows):
        gains = [summary['gains'][name][f'ap@{t:g}'] for t in thrs]
        x = [t + (k - (len(rows) - 1) / 2) * width for t in thrs]
        half = [0 if math.isnan(g['half']) else g['half'] for g in gains]
        ax.errorbar(x, [g['mean'] for g in gains], yerr=half, fmt='o', ms=3, capsize=2,
                    label=f'{summary.get("titles", {}).get(name, name)} (n={gains[0]["n"]})')
    ax.axhline(0, color='k', lw=0.8)
    from .stats import pairs_within_iterations
    title = f'paired gain over {summary["baseline"]}' + (
        ' (at the same iteration)' if pairs_within_iterations(summary) else '')
    ax.set(title=f'{title}, 95 % t-interval',
           xlabel='IoU threshold', ylabel='AP gain (points)')
    ax.title.set_fontsize(8)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=6)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def predictions(runs: Dict[str, str], ann_file: str, path: str, num_images: int = 4,
                score_thr: float = 0.3) -> None:
    """Ground truth (solid) and each run's predictions (dashed) on the same images."""
    import mmengine
    from pycocotools.coco import COCO
    plt = _pyplot()
    with contextlib.redirect_stdout(io.StringIO()):
        coco = COCO(ann_file)
    img_ids = sorted(coco.getImgIds())[:num_images]
    fig, axes = plt.subplots(len(runs), num_images, figsize=(3 * num_images, 3.1 * len(runs)),
                             squeeze=False)
    for r, (name, pred_file) in enumerate(runs.items()):
        records = mmengine.load(pred_file)
        preds = {p['img_id']: p['pred_instances'] for p in records}
        loaded_from = {p['img_id']: p.get('img_path') for p in records}
        for c, img_id in enumerate(img_ids):
            ax = axes[r][c]
            ax.imshow(plt.imread(image_path(coco, img_id, loaded_from, ann_file)))
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


def image_path(coco, img_id: int, loaded_from: Dict[int, str], ann_file: str) -> str:
    """Where image ``img_id`` is: the path the dataset loaded it from, as mmdet's dumped
    predictions record it (``loaded_from``: ``img_path`` by image id; the config's
    ``data_root`` and ``data_prefix``, whatever the layout), else its ``file_name`` beside the
    annotation file."""
    return loaded_from.get(img_id) or osp.join(osp.dirname(ann_file),
                                               coco.loadImgs(img_id)[0]['file_name'])
