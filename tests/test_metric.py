"""CocoAPAtIoUMetric (and its former name CocoAP90Metric): AP at strict IoU thresholds beside
mmdet's COCO metric."""
import json

import numpy as np
import pytest
import torch

from mmdet_eiou.evaluation import CocoAP90Metric, CocoAPAtIoUMetric


@pytest.fixture
def coco_file(tmp_path):
    images = [dict(id=i, file_name=f'{i}.png', width=100, height=100) for i in (1, 2)]
    anns = [dict(id=1, image_id=1, category_id=1, bbox=[10, 10, 40, 40], area=1600, iscrowd=0),
            dict(id=2, image_id=2, category_id=1, bbox=[50, 50, 30, 20], area=600, iscrowd=0)]
    path = tmp_path / 'gt.json'
    path.write_text(json.dumps(dict(images=images, annotations=anns,
                                    categories=[dict(id=1, name='thing')])))
    return str(path)


def evaluate(coco_file, shift, thrs=(0.75, 0.9)):
    metric = CocoAPAtIoUMetric(ann_file=coco_file, metric='bbox', ap_iou_thrs=thrs)
    metric.dataset_meta = dict(classes=('thing', ))
    gt = {1: [10., 10., 50., 50.], 2: [50., 50., 80., 70.]}
    for img_id, box in gt.items():
        pred = torch.tensor([box]) + torch.tensor([[shift, 0., shift, 0.]])
        metric.process({}, [dict(img_id=img_id, ori_shape=(100, 100), pred_instances=dict(
            bboxes=pred, scores=torch.tensor([0.9]), labels=torch.tensor([0])))])
    return metric.evaluate(size=2)


def test_ap90_reports_strict_localisation(coco_file):
    exact = evaluate(coco_file, 0.0)
    assert exact['coco/bbox_mAP_90'] == pytest.approx(1.0)
    # shifted by 2 px: IoU 38/42 = 0.905 and 28/32 = 0.875 -> one of two passes at 0.90
    shifted = evaluate(coco_file, 2.0)
    assert shifted['coco/bbox_mAP_75'] == pytest.approx(1.0)
    assert 0.4 < shifted['coco/bbox_mAP_90'] < 0.6
    # the key of a threshold of CocoMetric's own agrees with it
    only_75 = evaluate(coco_file, 2.0, thrs=(0.75, ))
    assert only_75['coco/bbox_mAP_75'] == shifted['coco/bbox_mAP_75']


def test_thresholds_are_validated():
    with pytest.raises(ValueError, match='ap_iou_thrs'):
        CocoAPAtIoUMetric(ap_iou_thrs=(0.5, 1.0))
    assert np.isclose(CocoAP90Metric().ap_iou_thrs, [0.9]).all()


def test_the_former_name_builds_the_same_metric():
    """Configs say mmdet_eiou.CocoAP90Metric: it builds this metric, type name unchanged."""
    from mmdet_eiou.registry import METRICS
    old = METRICS.build(dict(type='mmdet_eiou.CocoAP90Metric', ap_iou_thrs=(0.75, 0.9)))
    new = METRICS.build(dict(type='mmdet_eiou.CocoAPAtIoUMetric', ap_iou_thrs=(0.75, 0.9)))
    assert type(old).__name__ == 'CocoAP90Metric' and isinstance(old, CocoAPAtIoUMetric)
    assert type(new) is CocoAPAtIoUMetric
    assert type(old).__bases__ == (CocoAPAtIoUMetric, )
    assert not [k for k in vars(type(old)) if not k.startswith('_')]  # nothing of its own
    assert old.ap_iou_thrs == new.ap_iou_thrs and old.default_prefix == new.default_prefix
    assert np.isclose(CocoAPAtIoUMetric().ap_iou_thrs, [0.9]).all()


def test_no_detection_at_all_scores_as_coco_scores_detections_that_miss(coco_file):
    metric = CocoAPAtIoUMetric(ann_file=coco_file, metric='bbox', ap_iou_thrs=(0.9, ))
    metric.dataset_meta = dict(classes=('thing', ))
    for img_id in (1, 2):
        metric.process({}, [dict(img_id=img_id, ori_shape=(100, 100), pred_instances=dict(
            bboxes=torch.zeros(0, 4), scores=torch.zeros(0), labels=torch.zeros(0).long()))])
    nothing = metric.evaluate(size=2)
    # mmdet's CocoMetric alone reports nothing here; these are COCOeval's values for boxes
    # that overlap no object: 0 where there is ground truth (600 px^2 is small, 1600 medium),
    # -1 for a size without any
    missing = evaluate(coco_file, 60.0)
    assert missing['coco/bbox_mAP'] == 0.0 and missing['coco/bbox_mAP_l'] == -1.0
    assert nothing == {k: missing[k] for k in nothing}
    assert set(nothing) == {f'coco/bbox_mAP{k}' for k in ('', '_50', '_75', '_s', '_m', '_l',
                                                          '_90')}


def test_no_detection_sizes_follow_cocoeval_at_a_range_bound(tmp_path):
    # a 32 x 32 object (area 1024) is both small and medium to COCOeval (bounds included)
    images = [dict(id=1, file_name='1.png', width=100, height=100)]
    anns = [dict(id=1, image_id=1, category_id=1, bbox=[10, 10, 32, 32], area=1024, iscrowd=0)]
    path = tmp_path / 'bound.json'
    path.write_text(json.dumps(dict(images=images, annotations=anns,
                                    categories=[dict(id=1, name='thing')])))

    def scored(boxes):
        metric = CocoAPAtIoUMetric(ann_file=str(path), metric='bbox', ap_iou_thrs=(0.9, ))
        metric.dataset_meta = dict(classes=('thing', ))
        metric.process({}, [dict(img_id=1, ori_shape=(100, 100), pred_instances=dict(
            bboxes=boxes, scores=torch.ones(len(boxes)), labels=torch.zeros(len(boxes)).long()))])
        return metric.evaluate(size=1)
    nothing, missing = scored(torch.zeros(0, 4)), scored(torch.tensor([[60., 60., 92., 92.]]))
    assert missing['coco/bbox_mAP_s'] == missing['coco/bbox_mAP_m'] == 0.0
    assert nothing == {k: missing[k] for k in nothing}
