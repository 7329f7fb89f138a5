# DINO (mmdet's DINO: two-stage, box refinement, contrastive denoising) at the CPU size of
# ./deformable-detr_r18.py (ResNet-18 from scratch, 3 + 3 layers, 30 matching queries) with
# 20 denoising queries (mmdet: 100 for 900 queries) and DINO's own attention/encoding settings.
_base_ = './deformable-detr_r18.py'

model = dict(
    type='DINO',
    with_box_refine=True,
    as_two_stage=True,
    encoder=dict(
        layer_cfg=dict(
            self_attn_cfg=dict(dropout=0.0), ffn_cfg=dict(ffn_drop=0.0))),
    decoder=dict(
        layer_cfg=dict(
            self_attn_cfg=dict(dropout=0.0),
            cross_attn_cfg=dict(dropout=0.0),
            ffn_cfg=dict(ffn_drop=0.0))),
    positional_encoding=dict(offset=0.0, temperature=20),
    bbox_head=dict(type='DINOHead', loss_cls=dict(loss_weight=1.0)),
    dn_cfg=dict(
        label_noise_scale=0.5,
        box_noise_scale=1.0,
        group_cfg=dict(dynamic=True, num_groups=None, num_dn_queries=20)))
