from .coco_ap90_metric import CocoAP90Metric

__all__ = ['CocoAP90Metric']
