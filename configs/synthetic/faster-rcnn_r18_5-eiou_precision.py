# The change of ./faster-rcnn_r18_5-eiou_synthetic.py,
# on the precision track.
_base_ = './faster-rcnn_r18_2-iou_precision.py'
model = dict(
    roi_head=dict(
        bbox_head=dict(
            type='mmdet_eiou.IoUShared2FCBBoxHead',
            loss_iou=None,
            bbox_coder=dict(
                _delete_=True, type='mmdet_eiou.CornerDeltaBBoxCoder', target_stds=[0.1] * 4),
            loss_bbox=dict(type='mmdet_eiou.EIoULoss', power=1.0))))
custom_hooks = [dict(type='mmdet_eiou.EIoUStatsHook')]
