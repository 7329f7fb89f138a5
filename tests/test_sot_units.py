"""eiou_lab.analysis.sot_units: SOT's factor under each candidate unit for a DETR-style head."""
import os.path as osp

import pytest
import torch
from mmdet.structures import DetDataSample
from mmengine.config import Config
from mmengine.structures import InstanceData

from conftest import ROOT
from eiou_lab.analysis.sot_units import (REFERENCE_TO_TARGET, DETRPairRecorder, summarise,
                                           unit_factors)
from mmdet_eiou.ops import extended_intersection_union


def test_factors_are_the_extended_union_over_each_unit():
    target = torch.tensor([[0., 0., 10., 10.], [0., 0., 10., 10.]])
    pred = torch.tensor([[5., 0., 15., 10.],  # overlaps: I = 50, U = 150
                         [0., 20., 10., 30.]])  # below, apart: I_e = -100 (Eq. 16), U_e = 300
    reference = torch.tensor([[0., 0., 20., 20.], [0., 0., 10., 30.]])
    union = extended_intersection_union(pred, target)[1]
    f = unit_factors(union, target, reference, torch.tensor([100. * 200.] * 2))
    assert torch.allclose(f['target'], torch.tensor([1.5, 3.0]))
    assert torch.allclose(f['reference'], torch.tensor([150 / 400, 300 / 300]))
    assert torch.allclose(f['image'], torch.tensor([150, 300]) / 2e4)
    assert unit_factors(union, target, None, torch.ones(2))['reference'] is None


def test_summary_percentiles_and_the_share_the_bound_clamps():
    s = summarise(torch.arange(1., 101.), sot_max=90.)
    assert s['pairs'] == 100 and s['median'] == pytest.approx(50.5)
    assert s['p01'] == pytest.approx(1.99) and s['p99'] == pytest.approx(99.01)
    assert s['clamped'] == pytest.approx(0.10)
    assert s['applied_mean'] == pytest.approx((sum(range(1, 91)) + 10 * 90) / 100)
    assert summarise(torch.zeros(0), 10.) == dict(pairs=0)


def dino_head(head_type=None):
    """The precision track's DINO head (``head_type`` instead of mmdet's ``DINOHead``), in
    training mode, with regression branches that output their reference box unchanged."""
    from mmdet.registry import MODELS
    from mmengine.registry import init_default_scope
    init_default_scope('mmdet')
    cfg = Config.fromfile(osp.join(ROOT, 'configs/synthetic/dino_r18_3-eiou-ct-sot_precision.py'))
    if head_type:
        cfg.model.bbox_head.type = head_type
    torch.manual_seed(0)
    head = MODELS.build(cfg.model).bbox_head
    for branch in head.reg_branches:
        torch.nn.init.zeros_(branch[-1].weight)
        torch.nn.init.zeros_(branch[-1].bias)
    return head.train(), cfg.model.decoder.num_layers


def sample(h, w, boxes):
    s = DetDataSample(metainfo=dict(img_shape=(h, w)))
    s.gt_instances = InstanceData(bboxes=torch.tensor(boxes), labels=torch.zeros(len(boxes),
                                                                                  dtype=torch.long))
    return s


def dino_loss_inputs(head, layers, seed=0):
    """Arguments of ``DINOHead.loss`` for two images of different sizes (3 ground truths), 5
    matched queries and 2 denoising groups, with a different random reference box per layer and
    query."""
    g = torch.Generator().manual_seed(seed)
    bs, matched, groups, max_gts = 2, 5, 2, 2
    dn = groups * 2 * max_gts

    def boxes(*shape):  # normalised (cx, cy, w, h)
        return torch.cat([torch.rand(*shape, 2, generator=g) * 0.6 + 0.2,
                          torch.rand(*shape, 2, generator=g) * 0.3 + 0.1], -1)

    samples = [sample(64, 96, [[4., 8., 40., 30.], [50., 20., 90., 60.]]),
               sample(80, 48, [[10., 10., 30., 70.]])]
    return (torch.randn(layers, bs, dn + matched, head.embed_dims, generator=g),
            [boxes(bs, dn + matched) for _ in range(layers + 1)],
            torch.randn(bs, matched, head.cls_out_channels, generator=g), boxes(bs, matched),
            samples, dict(num_denoising_queries=dn, num_denoising_groups=groups))


def test_each_pair_gets_the_reference_box_its_query_refined():
    """With regression branches that output their reference unchanged, every decoder and
    denoising pair's recorded reference must be its own prediction: a wrong layer, a wrong
    slice of the queries (denoising first, matched last) or a wrong image size would not be."""
    head, layers = dino_head()
    inputs = dino_loss_inputs(head, layers)
    with DETRPairRecorder(head) as recorder:
        recorder.img_shapes = [s.metainfo['img_shape'] for s in inputs[4]]
        head.loss(*inputs)
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
    # every ground truth is matched once per decoder layer, and once in every denoising group
    groups = inputs[5]['num_denoising_groups']
    for r in recorder.records:
        assert len(r['boxes']['pred']) == 3 * (groups if r['source'] == 'denoising' else 1)


def test_a_dense_head_is_refused():
    from mmdet.registry import MODELS
    from mmengine.registry import init_default_scope
    init_default_scope('mmdet')
    cfg = Config.fromfile(osp.join(ROOT, 'configs/census/fcos_r18_census.py'))
    with pytest.raises(TypeError, match='not a DETR-style head'):
        with DETRPairRecorder(MODELS.build(cfg.model).bbox_head):
            pass


@pytest.mark.parametrize('unit,centre,size', [(None, -1, 1), ('target', -1, 1),
                                              ('reference', -1, 1), ('image', 1, 3)])
def test_step_size_exponents_of_a_sigmoid_parametrised_box(unit, centre, size):
    """The derivation in docs/results.md, section 5: through DINO's sigmoid, a gradient step
    moves a small box's size by ~s (as SOT wants) and its centre by ~1/s; a scale-free unit
    (target, reference) keeps both, the image unit multiplies both by s**2."""
    from eiou_lab.analysis.sot_units import update_size_exponents
    e = update_size_exponents(unit, sizes=(0.001, 0.002, 0.004))
    assert e['centre'] == pytest.approx(centre, abs=0.01)
    assert e['size'] == pytest.approx(size, abs=0.01)


def test_the_committed_tables_are_generated_from_the_committed_summaries():
    """docs/beyond-anchors/sot_units.md is what ``tools/sot_units.py --from-json`` (that is,
    :func:`tables`) makes of sot_units.json."""
    import json

    from eiou_lab.analysis.sot_units import tables
    saved = osp.join(ROOT, 'docs', 'beyond-anchors', 'sot_units')
    with open(saved + '.json') as f:
        summaries = json.load(f)
    with open(saved + '.md') as committed:
        assert tables(summaries) == committed.read()
