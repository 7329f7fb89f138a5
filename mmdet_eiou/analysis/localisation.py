"""How well a detector localises the objects it finds: the IoU of each recalled object.

AP mixes recognition (is there an object, which class, how confident) with localisation (how
tight is the box). To see what a box loss changes, take every ground-truth box, the
highest-scoring detection of its class that overlaps it by at least ``min_iou`` (the one COCO
matching would most likely give it), and look at the distribution of those IoUs: a better
box loss moves it towards 1 whatever it does to the scores. Needs numpy and pycocotools only.
"""
import contextlib
import io
from typing import Dict, Sequence

import numpy as np


def pairwise_iou(boxes_a: np.ndarray, boxes_b: np.ndarray) -> np.ndarray:
    """IoU of every box in ``boxes_a`` ``(A, 4)`` with every box in ``boxes_b`` ``(B, 4)``,
    ``(x1, y1, x2, y2)`` (Eq. 1-9)."""
    lt = np.maximum(boxes_a[:, None, :2], boxes_b[None, :, :2])
    rb = np.minimum(boxes_a[:, None, 2:], boxes_b[None, :, 2:])
    inter = np.clip(rb - lt, 0, None).prod(-1)
    area_a = np.clip(boxes_a[:, 2:] - boxes_a[:, :2], 0, None).prod(-1)
    area_b = np.clip(boxes_b[:, 2:] - boxes_b[:, :2], 0, None).prod(-1)
    union = area_a[:, None] + area_b[None, :] - inter
    return np.where(union > 0, inter / np.maximum(union, 1e-12), 0.0)


def recalled_ious(predictions: Sequence[dict], ann_file: str, min_iou: float = 0.5,
                  score_thr: float = 0.05) -> np.ndarray:
    """For every ground-truth box of ``ann_file`` (COCO json), the IoU of the highest-scoring
    detection of its class with IoU >= ``min_iou`` and score >= ``score_thr``; NaN where there
    is none (the object was missed).

    ``predictions`` are mmdet's dumped results (``tools/test.py --out``): dicts with
    ``img_id`` and ``pred_instances`` (``bboxes``, ``scores``, ``labels``; label ``k`` is the
    ``k``-th category id in ascending order, as mmdet's ``CocoDataset`` maps them).
    """
    from pycocotools.coco import COCO
    with contextlib.redirect_stdout(io.StringIO()):
        coco = COCO(ann_file)
    cat_ids = sorted(coco.getCatIds())
    by_image = {p['img_id']: p['pred_instances'] for p in predictions}
    out = []
    for img_id in sorted(coco.getImgIds()):
        anns = coco.loadAnns(coco.getAnnIds(imgIds=img_id, iscrowd=False))
        if not anns:
            continue
        gt = np.array([[a['bbox'][0], a['bbox'][1], a['bbox'][0] + a['bbox'][2],
                        a['bbox'][1] + a['bbox'][3]] for a in anns], dtype=np.float64)
        gt_cls = np.array([a['category_id'] for a in anns])
        inst = by_image.get(img_id)
        if inst is None or len(inst['scores']) == 0:
            out += [np.nan] * len(anns)
            continue
        boxes = np.asarray(inst['bboxes'], dtype=np.float64).reshape(-1, 4)
        scores = np.asarray(inst['scores'], dtype=np.float64)
        cls = np.array(cat_ids)[np.asarray(inst['labels'], dtype=np.int64)]
        ious = pairwise_iou(gt, boxes)
        for g in range(len(anns)):
            ok = (cls == gt_cls[g]) & (ious[g] >= min_iou) & (scores >= score_thr)
            out.append(float(ious[g][ok][np.argmax(scores[ok])]) if ok.any() else np.nan)
    return np.array(out, dtype=np.float64)


def summarise_ious(ious: np.ndarray) -> Dict[str, float]:
    """``recall`` (share of objects found at IoU >= min_iou) and, over those found, the median
    IoU and the share at IoU >= 0.9 (in %)."""
    found = ious[~np.isnan(ious)]
    if not found.size:
        return dict(recall=0.0, median_iou=float('nan'), iou_ge_0_9=float('nan'))
    return dict(recall=100.0 * found.size / ious.size, median_iou=float(np.median(found)),
                iou_ge_0_9=100.0 * float((found >= 0.9).mean()))
