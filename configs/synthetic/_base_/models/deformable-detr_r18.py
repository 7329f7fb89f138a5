# Deformable DETR (mmdet's DeformableDETR, learned reference points: neither two-stage nor box
# refinement) sized for the CPU precision track: the ResNet-18 of our other rows
# (./resnet18_from_scratch.py), 3 encoder and 3 decoder layers (mmdet: 6 and 6), 30 queries
# (images hold 1-6 objects; mmdet: 300), feed-forward 512 wide (mmdet: 1024). The embedding
# stays 256: mmdet's DETR-style decoders encode each reference coordinate with 128 sine
# features. Box losses and match costs are mmdet's defaults (L1 + GIoU).
_base_ = './resnet18_from_scratch.py'

model = dict(
    type='DeformableDETR',
    num_queries=30,
    num_feature_levels=4,
    with_box_refine=False,
    as_two_stage=False,
    backbone=dict(out_indices=(1, 2, 3)),
    neck=dict(
        type='ChannelMapper',
        in_channels=[64, 128, 256],
        kernel_size=1,
        out_channels=256,
        act_cfg=None,
        norm_cfg=dict(type='GN', num_groups=32),
        num_outs=4),
    encoder=dict(
        num_layers=3,
        layer_cfg=dict(
            self_attn_cfg=dict(embed_dims=256, batch_first=True),
            ffn_cfg=dict(embed_dims=256, feedforward_channels=512, ffn_drop=0.1))),
    decoder=dict(
        num_layers=3,
        return_intermediate=True,
        layer_cfg=dict(
            self_attn_cfg=dict(embed_dims=256, num_heads=8, dropout=0.1, batch_first=True),
            cross_attn_cfg=dict(embed_dims=256, batch_first=True),
            ffn_cfg=dict(embed_dims=256, feedforward_channels=512, ffn_drop=0.1)),
        post_norm_cfg=None),
    positional_encoding=dict(num_feats=128, normalize=True, offset=-0.5),
    bbox_head=dict(
        type='DeformableDETRHead',
        num_classes=5,
        sync_cls_avg_factor=True,
        loss_cls=dict(
            type='FocalLoss', use_sigmoid=True, gamma=2.0, alpha=0.25, loss_weight=2.0),
        loss_bbox=dict(type='L1Loss', loss_weight=5.0),
        loss_iou=dict(type='GIoULoss', loss_weight=2.0)),
    train_cfg=dict(
        assigner=dict(
            type='HungarianAssigner',
            match_costs=[
                dict(type='FocalLossCost', weight=2.0),
                dict(type='BBoxL1Cost', weight=5.0, box_format='xywh'),
                dict(type='IoUCost', iou_mode='giou', weight=2.0)
            ])),
    test_cfg=dict(max_per_img=30))
