# The backbone of our CPU-sized rows, for the model bases that start from it (DETR-style, FCOS):
# ResNet-18 with 32 base channels trained from scratch (BN learns its statistics), ImageNet
# normalisation. Each detector sets the stages it reads (out_indices) and its padding.
model = dict(
    data_preprocessor=dict(
        type='DetDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True,
        pad_size_divisor=1),
    backbone=dict(
        type='ResNet',
        depth=18,
        base_channels=32,
        num_stages=4,
        out_indices=(3, ),
        frozen_stages=-1,
        norm_cfg=dict(type='BN', requires_grad=True),
        norm_eval=False,  # trained from scratch: BN must learn its statistics
        style='pytorch',
        init_cfg=None))
