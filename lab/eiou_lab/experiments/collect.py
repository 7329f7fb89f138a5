"""A run's metrics, read from what its training and scoring wrote as JSON.

Scoring (``tools/test.py`` on the run's ``score_<split>.py``) leaves mmengine's JSON record of
the test epoch: what ``mmdet_eiou.CocoAPAtIoUMetric`` returned (AP, AP50, AP75, APs/m/l, AP at
each threshold of its ``ap_iou_thrs``) and the epoch's mean iteration time. Training leaves
``vis_data/scalars.json``: per logged iteration its time and what ``mmdet_eiou.EIoULoss``
logged. Nothing is read from text logs.
"""
import glob
import json
import math
import os.path as osp
import statistics
from typing import Dict, List, Sequence

# Table columns (AP in %): the key CocoAPAtIoUMetric logs each under (after 'coco/'), or the
# IoU threshold whose AP it logs under ``ap_key`` (imported where a run is scored: it imports
# mmdet, which a call of the runner that scores nothing does not need).
COLUMNS = dict(AP='bbox_mAP', AP50='bbox_mAP_50', AP75='bbox_mAP_75', AP90=0.9,
               APs='bbox_mAP_s', APm='bbox_mAP_m', APl='bbox_mAP_l')
SIDE_BY_SIDE = 'side_by_side'  # marks a training that shared the machine: no speed measured


def json_records(pattern: str) -> List[dict]:
    """Every JSON line of the files matching ``pattern``, files in name (= time) order."""
    records = []
    for path in sorted(glob.glob(pattern)):
        with open(path) as f:
            records += [json.loads(line) for line in f if line.strip()]
    return records


def score_metrics(test_dir: str, iou_thrs: Sequence[float], batch_size: int) -> Dict:
    """AP columns (%), the AP curve at ``iou_thrs`` and inference ms per image of the last
    scoring logged under ``test_dir``.

    A value of -1 (COCO's "no ground truth of that size") becomes NaN. The time is mmengine's
    mean over the test epoch (start-up included; it weighs one iteration of hundreds)."""
    from mmdet_eiou.evaluation import ap_key
    scores = [r for r in json_records(osp.join(test_dir, '2*', '2*.json')) if 'coco/bbox_mAP' in r]
    if not scores:
        raise RuntimeError(f'no COCO metrics logged under {test_dir}')
    logged = scores[-1]

    def pct(key):
        value = logged.get(f'coco/{key}', -1)
        return 100 * value if value >= 0 else math.nan

    out = {name: pct(key if isinstance(key, str) else ap_key('bbox', key))
           for name, key in COLUMNS.items()}
    out['ap_at_iou'] = [pct(ap_key('bbox', t)) for t in iou_thrs]
    out['iou_thrs'] = [float(t) for t in iou_thrs]
    out['infer_ms_per_img'] = 1000 * logged['time'] / batch_size if 'time' in logged else math.nan
    return out


def train_statistics(train_dir: str) -> Dict[str, float]:
    """Training s/iter (median over logged iterations after the first fifth) and the means of
    what our loss logged: ``disjoint_frac`` and ``sot_scale`` (NaN where not logged; s/iter
    also NaN for a run trained side by side, whose time measures a shared machine)."""
    train = [r for r in json_records(osp.join(train_dir, '2*', 'vis_data', 'scalars.json'))
             if 'loss' in r]
    times = [r['time'] for r in train if 'time' in r]

    def mean_of(key):
        values = [r[key] for r in train if key in r]
        return statistics.fmean(values) if values else math.nan

    shared = osp.isfile(osp.join(train_dir, SIDE_BY_SIDE))
    s_per_iter = (statistics.median(times[len(times) // 5:]) if times and not shared else
                  math.nan)
    return dict(train_s_per_iter=s_per_iter, disjoint_frac=mean_of('eiou_disjoint_frac'),
                sot_scale=mean_of('sot_scale'))


def localisation(predictions: str, ann_file: str) -> Dict[str, float]:
    """How tightly the recalled objects are boxed (``eiou_lab.analysis.localisation``): the
    median IoU and the share (%) at IoU >= 0.9 of each object's best-scoring detection."""
    import pickle

    from eiou_lab.analysis.localisation import recalled_ious, summarise_ious
    with open(predictions, 'rb') as f:
        stats = summarise_ious(recalled_ious(pickle.load(f), ann_file))
    return {'loc_median_iou': stats['median_iou'], 'loc_iou_ge_0.9': stats['iou_ge_0_9']}
