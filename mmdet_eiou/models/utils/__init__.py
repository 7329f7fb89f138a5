from .box_regression import check_decoded_boxes, iou_targets, takes_priors

__all__ = ['check_decoded_boxes', 'iou_targets', 'takes_priors']
