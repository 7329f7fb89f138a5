# The change of ./retinanet_r18_6-eiou-ct-sot-iouhead_synthetic.py,
# on the precision track.
_base_ = './retinanet_r18_5-eiou-ct-sot_precision.py'
model = dict(
    # Tuned on val: the KL weight 0.5 / 1 (the synthetic row's) / 2, then with the EIoU weight
    # and p chosen in row 4's sweeps, all three together, by val AP:
    # configs/studies/precision_retinanet.py, tuning 'IoU-head KL weight', "row 6's three ...".
    bbox_head=dict(loss_iou=dict(_delete_=True, type='mmdet_eiou.IoUKLLoss', loss_weight=2.0)),
    # Tuned on val: fusion alpha 0.5 kept (tied with 0.75), against 0.25, 1 (the IoU alone),
    # the class score alone ('none') and IoU-Net's IoU-guided NMS ('nms'):
    # configs/studies/precision_retinanet.py, tuning 'iou_guided (row 6, ...)'.
    test_cfg=dict(iou_guided=dict(mode='fusion', alpha=0.5)))
