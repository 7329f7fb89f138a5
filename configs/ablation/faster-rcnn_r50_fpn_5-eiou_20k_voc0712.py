# Table I row 5: EIoU loss without CT, 1 - EIoU (power 1), in place of the IoU loss, trained
# as Algorithm 2 trains it: corners regressed as offsets / sqrt(proposal area) (the Sec. IV
# coder), by a box head that hands the proposals to the loss (SOT's unit, row 7). No IoU layer
# yet (row 8). EIoUStatsHook logs the fraction of positive pairs that do not overlap.
_base_ = './faster-rcnn_r50_fpn_2-iou_20k_voc0712.py'
model = dict(
    roi_head=dict(
        bbox_head=dict(
            type='mmdet_eiou.IoUShared2FCBBoxHead',
            loss_iou=None,
            bbox_coder=dict(
                _delete_=True, type='mmdet_eiou.CornerDeltaBBoxCoder', target_stds=[0.1] * 4),
            loss_bbox=dict(type='mmdet_eiou.EIoULoss', power=1.0))))
custom_hooks = [dict(type='mmdet_eiou.EIoUStatsHook')]
