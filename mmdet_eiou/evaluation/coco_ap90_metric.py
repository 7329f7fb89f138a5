"""``mmdet_eiou.CocoAP90Metric``: the former name of ``mmdet_eiou.CocoAPAtIoUMetric``."""
from mmdet_eiou.registry import METRICS
from .coco_ap_at_iou_metric import CocoAPAtIoUMetric, ap_key

# ap_key was defined here before the rename; it stays importable from here.
__all__ = ['CocoAP90Metric', 'ap_key']


@METRICS.register_module()
class CocoAP90Metric(CocoAPAtIoUMetric):
    """:class:`CocoAPAtIoUMetric` under the name our configs and the recorded runs use
    (``type='mmdet_eiou.CocoAP90Metric'``): the same metric, AP90 by default. A class rather
    than a second registry name, so that what a config builds keeps its type name."""
