"""How well a detector localises the objects it finds: the IoU of each recalled object.

AP mixes recognition (is there an object, which class, how confident) with localisation (how
tight is the box). To see what a box loss changes, take every ground-truth box, the
highest-scoring detection of its class that overlaps it by at least ``min_iou`` (the one COCO
matching would most likely give it), and look at the distribution of those IoUs: a better
box loss moves it towards 1 whatever it does to the scores. The other side: does the score
rank the detections by how tight they are (what an IoU head that guides NMS has to improve)?
Needs torch, numpy and pycocotools (no mmdet).
"""
import contextlib
import io
from typing import Dict, Sequence, Tuple

import numpy as np
import torch

from mmdet_eiou.ops import box_iou


def pairwise_iou(boxes_a: np.ndarray, boxes_b: np.ndarray) -> np.ndarray:
    """IoU (Eq. 1-9, :func:`mmdet_eiou.ops.box_iou`) of every box in ``boxes_a`` ``(A, 4)``
    with every box in ``boxes_b`` ``(B, 4)``, ``(x1, y1, x2, y2)``: numpy in, numpy out."""
    return box_iou(torch.from_numpy(boxes_a), torch.from_numpy(boxes_b)).numpy()


def _load_coco(ann_file: str):
    from pycocotools.coco import COCO
    with contextlib.redirect_stdout(io.StringIO()):
        return COCO(ann_file)


def _image_boxes(coco, img_id: int, instances, cat_ids):
    """Ground truth ``(gt, gt_cls)`` and detections ``(boxes, scores, cls)`` of one image."""
    anns = coco.loadAnns(coco.getAnnIds(imgIds=img_id, iscrowd=False))
    gt = np.array([[a['bbox'][0], a['bbox'][1], a['bbox'][0] + a['bbox'][2],
                    a['bbox'][1] + a['bbox'][3]] for a in anns], dtype=np.float64).reshape(-1, 4)
    gt_cls = np.array([a['category_id'] for a in anns], dtype=np.int64)
    if instances is None or len(instances['scores']) == 0:
        empty = np.zeros(0)
        return gt, gt_cls, empty.reshape(0, 4), empty, empty.astype(np.int64)
    boxes = np.asarray(instances['bboxes'], dtype=np.float64).reshape(-1, 4)
    scores = np.asarray(instances['scores'], dtype=np.float64)
    cls = np.array(cat_ids)[np.asarray(instances['labels'], dtype=np.int64)]
    return gt, gt_cls, boxes, scores, cls


def recalled_ious(predictions: Sequence[dict], ann_file: str, min_iou: float = 0.5,
                  score_thr: float = 0.05) -> np.ndarray:
    """For every ground-truth box of ``ann_file`` (COCO json), the IoU of the highest-scoring
    detection of its class with IoU >= ``min_iou`` and score >= ``score_thr``; NaN where there
    is none (the object was missed).

    ``predictions`` are mmdet's dumped results (``tools/test.py --out``): dicts with
    ``img_id`` and ``pred_instances`` (``bboxes``, ``scores``, ``labels``; label ``k`` is the
    ``k``-th category id in ascending order, as mmdet's ``CocoDataset`` maps them).
    """
    coco = _load_coco(ann_file)
    cat_ids = sorted(coco.getCatIds())
    by_image = {p['img_id']: p['pred_instances'] for p in predictions}
    out = []
    for img_id in sorted(coco.getImgIds()):
        gt, gt_cls, boxes, scores, cls = _image_boxes(coco, img_id, by_image.get(img_id), cat_ids)
        if not len(scores):
            out += [np.nan] * len(gt)
            continue
        ious = pairwise_iou(gt, boxes)
        for g in range(len(gt)):
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


def detection_ious(predictions: Sequence[dict], ann_file: str,
                   score_thr: float = 0.05) -> Tuple[np.ndarray, np.ndarray]:
    """``(scores, ious)`` of every detection with score >= ``score_thr``: its score and its
    IoU with the ground-truth box of its class it overlaps most (0 where none)."""
    coco = _load_coco(ann_file)
    cat_ids = sorted(coco.getCatIds())
    by_image = {p['img_id']: p['pred_instances'] for p in predictions}
    all_scores, all_ious = [], []
    for img_id in sorted(coco.getImgIds()):
        gt, gt_cls, boxes, scores, cls = _image_boxes(coco, img_id, by_image.get(img_id), cat_ids)
        keep = scores >= score_thr
        boxes, scores, cls = boxes[keep], scores[keep], cls[keep]
        ious = pairwise_iou(boxes, gt) * (cls[:, None] == gt_cls[None, :])
        all_scores.append(scores)
        all_ious.append(ious.max(1) if gt.size else np.zeros(len(scores)))
    return np.concatenate(all_scores), np.concatenate(all_ious)


def rank_correlation(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rank correlation of ``x`` and ``y`` (average ranks for ties); NaN below two
    points or for a constant input."""
    if len(x) < 2:
        return float('nan')
    rx, ry = _ranks(np.asarray(x, dtype=np.float64)), _ranks(np.asarray(y, dtype=np.float64))
    if rx.std() == 0 or ry.std() == 0:
        return float('nan')
    return float(np.corrcoef(rx, ry)[0, 1])


def _ranks(v: np.ndarray) -> np.ndarray:
    order = np.argsort(v, kind='mergesort')
    ranks = np.empty(len(v))
    ranks[order] = np.arange(len(v), dtype=np.float64)
    _, inverse, counts = np.unique(v, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=ranks)
    return (sums / counts)[inverse]  # ties share their mean rank


def score_iou_ranking(predictions: Sequence[dict], ann_file: str, min_iou: float = 0.5,
                      score_thr: float = 0.05) -> Dict[str, float]:
    """How well the scores rank the detections by tightness: Spearman's correlation of score
    and IoU over the detections that found an object (IoU >= ``min_iou``), ``rho_found``, and
    over all of them, ``rho_all``; with their counts."""
    scores, ious = detection_ious(predictions, ann_file, score_thr)
    found = ious >= min_iou
    return dict(rho_found=rank_correlation(scores[found], ious[found]),
                rho_all=rank_correlation(scores, ious), found=int(found.sum()),
                detections=int(len(scores)))
