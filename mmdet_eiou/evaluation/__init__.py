from .coco_ap90_metric import CocoAP90Metric
from .coco_ap_at_iou_metric import CocoAPAtIoUMetric, ap_key

__all__ = ['CocoAP90Metric', 'CocoAPAtIoUMetric', 'ap_key']
