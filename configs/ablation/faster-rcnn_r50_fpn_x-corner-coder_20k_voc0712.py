# Extra row: the full method with the Sec. IV box coder (corner offsets normalised by the
# square root of the proposal's area) in place of DeltaXYWHBBoxCoder.
_base_ = './faster-rcnn_r50_fpn_8-eiou-ct-sot-iouhead_20k_voc0712.py'
model = dict(
    roi_head=dict(
        bbox_head=dict(
            bbox_coder=dict(
                _delete_=True,
                type='mmdet_eiou.CornerDeltaBBoxCoder',
                target_stds=[0.1, 0.1, 0.1, 0.1]))))
