# Table II: RetinaNet R50-FPN with Smooth-L1 box regression (beta 0.11, as Detectron's), on
# the paper's VOC07+12 protocol. Every other RetinaNet row inherits this chain.
_base_ = ['mmdet::_base_/models/retinanet_r50_fpn.py', '../_base_/voc0712_20k.py']
model = dict(
    bbox_head=dict(
        num_classes=20, loss_bbox=dict(type='SmoothL1Loss', beta=0.11, loss_weight=1.0)))
