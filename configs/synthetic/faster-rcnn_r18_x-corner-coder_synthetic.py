# Extra row (Sec. IV coder) on the synthetic set (the change of ../ablation/*_x-corner-coder_*).
_base_ = './faster-rcnn_r18_8-eiou-ct-sot-iouhead_synthetic.py'
model = dict(
    roi_head=dict(
        bbox_head=dict(
            bbox_coder=dict(
                _delete_=True,
                type='mmdet_eiou.CornerDeltaBBoxCoder',
                target_stds=[0.1, 0.1, 0.1, 0.1]))))
