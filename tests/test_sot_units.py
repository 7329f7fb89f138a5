"""mmdet_eiou.analysis.sot_units: SOT's factor under each candidate unit for a DETR-style head."""
import os.path as osp

import pytest
import torch
from mmdet.structures import DetDataSample
from mmengine.config import Config
from mmengine.structures import InstanceData

from conftest import ROOT
from mmdet_eiou.analysis.sot_units import (REFERENCE_TO_TARGET, DETRPairRecorder, summarise,
                                           unit_factors)


def test_factors_are_the_extended_union_over_each_unit():
    target = torch.tensor([[0., 0., 10., 10.], [0., 0., 10., 10.]])
    pred = torch.tensor([[5., 0., 15., 10.],  # overlaps: I = 50, U = 150
                         [0., 20., 10., 30.]])  # below, apart: I_e = -100 (Eq. 16), U_e = 300
    reference = torch.tensor([[0., 0., 20., 20.], [0., 0., 10., 30.]])
    f = unit_factors(pred, target, reference, torch.tensor([100. * 200.] * 2))
    assert torch.allclose(f['target'], torch.tensor([1.5, 3.0]))
    assert torch.allclose(f['reference'], torch.tensor([150 / 400, 300 / 300]))
    assert torch.allclose(f['image'], torch.tensor([150, 300]) / 2e4)
    assert unit_factors(pred, target, None, torch.ones(2))['reference'] is None


def test_summary_percentiles_and_the_share_the_bound_clamps():
    s = summarise(torch.arange(1., 101.), sot_max=90.)
    assert s['pairs'] == 100 and s['median'] == pytest.approx(50.5)
    assert s['p01'] == pytest.approx(1.99) and s['p99'] == pytest.approx(99.01)
    assert s['clamped'] == pytest.approx(0.10)
    assert s['applied_mean'] == pytest.approx((sum(range(1, 91)) + 10 * 90) / 100)
    assert summarise(torch.zeros(0), 10.) == dict(pairs=0)


def dino_head():
    from mmdet.registry import MODELS
    from mmengine.registry import init_default_scope
    init_default_scope('mmdet')
    cfg = Config.fromfile(osp.join(ROOT, 'configs/synthetic/dino_r18_3-eiou-ct-sot_precision.py'))
    head = MODELS.build(cfg.model).bbox_head
    for branch in head.reg_branches:  # each layer outputs its reference box unchanged
        torch.nn.init.zeros_(branch[-1].weight)
        torch.nn.init.zeros_(branch[-1].bias)
    return head.train(), cfg.model.decoder.num_layers


def sample(h, w, boxes):
    s = DetDataSample(metainfo=dict(img_shape=(h, w)))
    s.gt_instances = InstanceData(bboxes=torch.tensor(boxes), labels=torch.zeros(len(boxes),
                                                                                  dtype=torch.long))
    return s


def test_each_pair_gets_the_reference_box_its_query_refined():
    """With regression branches that output their reference unchanged, every decoder and
    denoising pair's recorded reference must be its own prediction: a wrong layer, a wrong
    slice of the queries (denoising first, matched last) or a wrong image size would not be."""
    torch.manual_seed(0)
    head, layers = dino_head()
    bs, matched, groups, max_gts = 2, 5, 2, 2
    dn = groups * 2 * max_gts
    samples = [sample(64, 96, [[4., 8., 40., 30.], [50., 20., 90., 60.]]),
               sample(80, 48, [[10., 10., 30., 70.]])]
    # a different random box per layer and query, normalised (cx, cy, w, h)
    references = [torch.cat([torch.rand(bs, dn + matched, 2) * 0.6 + 0.2,
                             torch.rand(bs, dn + matched, 2) * 0.3 + 0.1], -1)
                  for _ in range(layers + 1)]
    hidden = torch.randn(layers, bs, dn + matched, head.embed_dims)
    enc_coord = torch.cat([torch.rand(bs, matched, 2) * 0.6 + 0.2,
                           torch.rand(bs, matched, 2) * 0.3 + 0.1], -1)
    with DETRPairRecorder(head) as recorder:
        recorder.img_shapes = [s.metainfo['img_shape'] for s in samples]
        head.loss(hidden, references, torch.randn(bs, matched, head.cls_out_channels), enc_coord,
                  samples, dict(num_denoising_queries=dn, num_denoising_groups=groups))
    assert 'forward' not in vars(head) and 'loss_by_feat' not in vars(head)
    by_source = {}
    for r in recorder.records:
        by_source.setdefault(r['source'], []).append(r['layer'])
        boxes = r['boxes']
        if r['source'] == 'encoder':
            assert boxes['reference'] is None and r['reference'] is None
            continue
        assert len(boxes['pred']) > 0
        torch.testing.assert_close(boxes['reference'], boxes['pred'], atol=1e-3, rtol=0)
        torch.testing.assert_close(r[REFERENCE_TO_TARGET], r['reference'] / r['target'])
    assert by_source == {'decoder': list(range(layers)), 'encoder': [None],
                         'denoising': list(range(layers))}
    # every ground truth is matched once per decoder layer; in every denoising group once
    assert [len(r['boxes']['pred']) for r in recorder.records if r['source'] == 'decoder'] == \
        [3] * layers
    assert all(len(r['boxes']['pred']) == 3 * groups for r in recorder.records
               if r['source'] == 'denoising')


def test_a_dense_head_is_refused():
    from mmdet.registry import MODELS
    from mmengine.registry import init_default_scope
    init_default_scope('mmdet')
    cfg = Config.fromfile(osp.join(ROOT, 'configs/census/fcos_r18_census.py'))
    with pytest.raises(TypeError, match='not a DETR-style head'):
        with DETRPairRecorder(MODELS.build(cfg.model).bbox_head):
            pass
