# Extra row (mmdet's delta coder) on the synthetic set (change of ../ablation/*_x-delta-coder_*).
_base_ = './faster-rcnn_r18_8-eiou-ct-sot-iouhead_synthetic.py'
model = dict(
    roi_head=dict(
        bbox_head=dict(
            bbox_coder=dict(
                _delete_=True,
                type='DeltaXYWHBBoxCoder',
                target_means=[0., 0., 0., 0.],
                target_stds=[0.1, 0.1, 0.2, 0.2]))))
