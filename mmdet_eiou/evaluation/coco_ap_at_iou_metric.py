"""``mmdet_eiou.CocoAPAtIoUMetric``: mmdet's COCO metric plus AP at any list of IoU thresholds."""
import contextlib
import io
import os.path as osp
import tempfile
from typing import Dict, Sequence

import numpy as np
from mmdet.datasets.api_wrappers import COCOeval
from mmdet.evaluation.metrics import CocoMetric

from mmdet_eiou.registry import METRICS


def ap_key(metric: str, thr: float) -> str:
    """Result key of the AP at IoU ``thr``: ``bbox_mAP_90`` for 0.9, as mmdet's ``bbox_mAP_75``."""
    return f'{metric}_mAP_{thr * 100:g}'


@METRICS.register_module()
class CocoAPAtIoUMetric(CocoMetric):
    """:class:`mmdet.evaluation.CocoMetric` that also reports AP at each IoU in ``ap_iou_thrs``.

    The paper reports AP90 beside AP, AP50 and AP75 (Tables II-III): the stricter the IoU, the
    larger the gain of better localisation. Each threshold adds a key such as
    ``bbox_mAP_90``; the value is computed exactly as mmdet computes ``bbox_mAP_75`` (all
    areas, the largest ``proposal_nums`` entry as max detections), so ``ap_iou_thrs=(0.75,)``
    reproduces ``bbox_mAP_75``. Any threshold in (0, 1) works, also one outside ``iou_thrs``.
    Its former name, ``mmdet_eiou.CocoAP90Metric``, still builds it (:mod:`.coco_ap90_metric`).

    Args:
        ap_iou_thrs (Sequence[float]): extra IoU thresholds. Defaults to ``(0.9,)``.
        **kwargs: the arguments of ``CocoMetric``.
    """
    default_prefix = 'coco'

    def __init__(self, ap_iou_thrs: Sequence[float] = (0.9, ), **kwargs) -> None:
        super().__init__(**kwargs)
        thrs = [float(t) for t in np.atleast_1d(ap_iou_thrs)]
        if any(not 0 < t < 1 for t in thrs):
            raise ValueError(f'ap_iou_thrs must lie in (0, 1), got {thrs}')
        self.ap_iou_thrs = thrs

    def compute_metrics(self, results: list) -> Dict[str, float]:
        eval_results = super().compute_metrics(results)
        if self.format_only or not self.ap_iou_thrs or not results:
            return eval_results
        _, preds = zip(*results)
        for metric in self.metrics:
            if metric in ('bbox', 'segm'):
                if f'{metric}_mAP' not in eval_results:  # no detection at all: see below
                    eval_results.update(self._no_detection_results(metric))
                eval_results.update(self._ap_at_thresholds(preds, metric))
        return eval_results

    def _no_detection_results(self, metric: str) -> Dict[str, float]:
        """What COCOeval gives a model without a single detection, which ``CocoMetric``
        reports as nothing (it logs an error and stops): AP 0 wherever there is ground truth,
        -1 for an object size without any (COCO's "no GT")."""
        areas = [a['area'] for a in self._coco_api.anns.values()
                 if not a.get('iscrowd', 0) and a['category_id'] in self.cat_ids]
        # COCOeval's own size ranges, bounds included as it includes them
        ranges = dict(zip(*[getattr(COCOeval(iouType=metric).params, k)
                            for k in ('areaRngLbl', 'areaRng')]))
        out = {f'{metric}_mAP{key}': 0.0 if areas else -1.0 for key in ('', '_50', '_75')}
        for size in ('small', 'medium', 'large'):
            low, high = ranges[size]
            out[f'{metric}_mAP_{size[0]}'] = (0.0 if any(low <= a <= high for a in areas) else
                                              -1.0)
        return out

    def _ap_at_thresholds(self, preds, metric: str) -> Dict[str, float]:
        with tempfile.TemporaryDirectory() as tmp:
            files = self.results2json(preds, osp.join(tmp, 'results'))
            with contextlib.redirect_stdout(io.StringIO()):  # pycocotools prints progress
                try:
                    dets = self._coco_api.loadRes(files[metric])
                except IndexError:  # no detection at all: CocoMetric logged it already
                    return {ap_key(metric, t): 0.0 for t in self.ap_iou_thrs}
                coco_eval = COCOeval(self._coco_api, dets, metric)
                coco_eval.params.catIds = self.cat_ids
                coco_eval.params.imgIds = self.img_ids
                coco_eval.params.maxDets = list(self.proposal_nums)
                coco_eval.params.iouThrs = np.array(self.ap_iou_thrs)
                coco_eval.evaluate()
                coco_eval.accumulate()
        # precision: (iou, recall, category, area range, max dets); -1 marks "no GT"
        precision = coco_eval.eval['precision']
        out = {}
        for i, thr in enumerate(self.ap_iou_thrs):
            p = precision[i, :, :, 0, -1]
            p = p[p > -1]
            out[ap_key(metric, thr)] = round(float(p.mean()), 3) if p.size else -1.0
        return out
