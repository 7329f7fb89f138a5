# Extra row: the full method with mmdet's DeltaXYWHBBoxCoder in place of the Sec. IV corner
# coder, to measure what the coder contributes.
_base_ = './faster-rcnn_r50_fpn_8-eiou-ct-sot-iouhead_20k_voc0712.py'
model = dict(
    roi_head=dict(
        bbox_head=dict(
            bbox_coder=dict(
                _delete_=True,
                type='DeltaXYWHBBoxCoder',
                target_means=[0., 0., 0., 0.],
                target_stds=[0.1, 0.1, 0.2, 0.2]))))
