# Table I row 1: Faster R-CNN R50-FPN with Smooth-L1 box regression (the paper's baseline),
# on the paper's VOC07+12 protocol. Every other Faster R-CNN row inherits this chain.
_base_ = ['mmdet::_base_/models/faster-rcnn_r50_fpn.py', '../_base_/voc0712_20k.py']
model = dict(
    roi_head=dict(
        bbox_head=dict(
            num_classes=20, loss_bbox=dict(type='SmoothL1Loss', beta=1.0, loss_weight=1.0))))
