"""IoU heads (Sec. III-E): training targets, losses, and IoU-guided inference, on CPU."""
import os.path as osp

import pytest
import torch
from mmdet.structures.bbox import bbox_overlaps
from mmdet.testing import demo_mm_inputs
from mmengine.config import Config
from mmengine.registry import init_default_scope

from conftest import ROOT
from eiou_lab.datasets import CLASSES
from mmdet_eiou.models.layers import iou_guided_nms, multiclass_iou_guided_nms

SYN = osp.join(ROOT, 'configs', 'synthetic')
FULL = {
    'faster-rcnn': 'faster-rcnn_r18_8-eiou-ct-sot-iouhead_synthetic.py',
    'retinanet': 'retinanet_r18_6-eiou-ct-sot-iouhead_synthetic.py',
    'faster-rcnn-smoothl1-iouhead': 'faster-rcnn_r18_4-smoothl1-iouhead_synthetic.py',
    'faster-rcnn-sot': 'faster-rcnn_r18_7-eiou-ct-sot_synthetic.py',
    'retinanet-sot': 'retinanet_r18_5-eiou-ct-sot_synthetic.py',
}


def build(name, **model_overrides):
    from mmdet.registry import MODELS
    cfg = Config.fromfile(osp.join(SYN, FULL[name]))
    init_default_scope('mmdet')
    cfg.merge_from_dict({f'model.{k}': v for k, v in model_overrides.items()})
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    return model


def batch(model, seed=0):
    torch.manual_seed(seed)
    packed = demo_mm_inputs(2, image_shapes=[(3, 160, 160)] * 2, num_items=[3, 2],
                            num_classes=len(CLASSES))
    return model.data_preprocessor(packed, training=True)


@pytest.mark.parametrize('name,overrides', [
    ('faster-rcnn', {}),
    ('faster-rcnn', {'roi_head.bbox_head.reg_class_agnostic': True}),
    ('faster-rcnn', {'roi_head.bbox_head.iou_class_agnostic': False}),
    ('faster-rcnn-smoothl1-iouhead', {}),
    ('retinanet', {}),
])
def test_loss_backward_and_predict_on_random_input(name, overrides):
    model = build(name, **overrides)
    data = batch(model)
    model.train()
    losses = model.loss(data['inputs'], data['data_samples'])
    assert 'loss_iou' in losses
    total = sum(v.sum() if isinstance(v, torch.Tensor) else sum(x.sum() for x in v)
                for k, v in losses.items() if 'loss' in k)
    assert torch.isfinite(total)
    total.backward()
    iou_layer = (model.roi_head.bbox_head.fc_iou if 'faster' in name else
                 model.bbox_head.retina_iou)
    assert iou_layer.weight.grad is not None and iou_layer.weight.grad.abs().sum() > 0
    model.eval()
    with torch.no_grad():
        for mode in ('fusion', 'nms', 'none'):
            if 'faster' in name:
                model.test_cfg.rcnn.iou_guided = dict(mode=mode)
            else:
                model.test_cfg.iou_guided = dict(mode=mode)
            results = model.predict(data['inputs'], data['data_samples'])
            assert len(results) == 2
            for res in results:
                inst = res.pred_instances
                assert inst.bboxes.shape[1] == 4 and len(inst.scores) == len(inst.labels)
                assert ((inst.scores >= 0) & (inst.scores <= 1)).all()


def test_iou_target_is_the_iou_the_eiou_loss_computed(monkeypatch):
    """q_g of the R-CNN IoU head = IoU of the decoded regressed box with its GT, detached."""
    model = build('faster-rcnn')
    head = model.roi_head.bbox_head
    seen = {}
    original_loss = head.loss_bbox.forward

    def spy_loss(pred, target, *args, **kwargs):
        out = original_loss(pred, target, *args, **kwargs)
        seen['iou'] = bbox_overlaps(pred.detach(), target, is_aligned=True)
        return out

    original_iou = head.loss_iou.forward

    def spy_iou(pred, target, **kwargs):
        seen['target'] = target
        return original_iou(pred, target, **kwargs)

    monkeypatch.setattr(head.loss_bbox, 'forward', spy_loss)
    monkeypatch.setattr(head.loss_iou, 'forward', spy_iou)
    model.train()
    data = batch(model)
    model.loss(data['inputs'], data['data_samples'])
    assert not seen['target'].requires_grad
    assert seen['target'].numel() > 0
    assert torch.allclose(seen['target'], seen['iou'], atol=1e-5)


def test_iou_kl_loss_is_kl_divergence():
    from mmdet_eiou.models.losses import IoUKLLoss
    q = torch.tensor([0.0, 0.3, 0.9, 1.0])
    x = torch.tensor([-1.0, 0.5, 2.0, 3.0], requires_grad=True)
    loss = IoUKLLoss(reduction='none')(x, q)
    p = torch.sigmoid(x)
    kl = torch.special.xlogy(q, q) - q * torch.log(p) + torch.special.xlogy(1 - q, 1 - q) \
        - (1 - q) * torch.log(1 - p)
    assert torch.allclose(loss, kl, atol=1e-6)
    assert IoUKLLoss(reduction='none')(torch.logit(q[1:3]), q[1:3]).abs().max() < 1e-6
    with pytest.raises(ValueError, match='IoU targets'):
        IoUKLLoss()(x, q + 0.5)


def reference_iou_guided_nms(boxes, scores, ious, labels, thr):
    """IoU-Net's Algorithm 1, one box at a time."""
    order = sorted(range(len(boxes)), key=lambda i: -ious[i].item())
    alive, kept = set(order), []
    for i in order:
        if i not in alive:
            continue
        alive.discard(i)
        best = scores[i].item()
        for j in list(alive):
            if labels[j] == labels[i] and bbox_overlaps(boxes[i:i + 1], boxes[j:j + 1]) > thr:
                best = max(best, scores[j].item())
                alive.discard(j)
        kept.append((i, best))
    return kept


def test_iou_guided_nms_matches_iou_net_algorithm():
    g = torch.Generator().manual_seed(0)
    xy = torch.rand(60, 2, generator=g) * 40
    boxes = torch.cat([xy, xy + 10 + torch.rand(60, 2, generator=g) * 10], 1)
    scores, ious = torch.rand(60, generator=g), torch.rand(60, generator=g)
    labels = torch.randint(0, 3, (60, ), generator=g)
    dets, keep = iou_guided_nms(boxes, scores, ious, labels, dict(type='nms', iou_threshold=0.5))
    expected = dict(reference_iou_guided_nms(boxes, scores, ious, labels, 0.5))
    assert sorted(keep.tolist()) == sorted(expected)
    for k, s in zip(keep.tolist(), dets[:, 4].tolist()):
        assert s == pytest.approx(expected[k])
    assert (dets[:-1, 4] >= dets[1:, 4]).all()  # sorted by their new scores


def test_iou_guided_nms_keeps_best_localised_box_with_best_score():
    boxes = torch.tensor([[0., 0., 10., 10.], [1., 1., 10., 10.], [0., 0., 10., 10.]])
    scores = torch.tensor([0.9, 0.5, 0.4])
    ious = torch.tensor([0.6, 0.9, 0.8])
    labels = torch.tensor([0, 0, 1])
    dets, keep = iou_guided_nms(boxes, scores, ious, labels, dict(type='nms', iou_threshold=0.5))
    assert keep.tolist() == [1, 2]  # box 1 localises best and inherits box 0's score
    assert dets[:, 4].tolist() == pytest.approx([0.9, 0.4])


def test_multiclass_fusion_scores():
    boxes = torch.tensor([[0., 0., 10., 10.], [20., 20., 30., 30.]])
    scores = torch.tensor([[0.8, 0.1, 0.1], [0.2, 0.6, 0.2]])  # 2 classes + background
    ious = torch.tensor([[0.25], [1.0]])
    dets, labels = multiclass_iou_guided_nms(boxes, scores, ious, 0.05,
                                             dict(type='nms', iou_threshold=0.5), -1,
                                             dict(mode='fusion', alpha=0.5))
    got = {(int(l), round(float(s), 6)) for l, s in zip(labels, dets[:, 4])}
    assert got == {(0, round((0.8 * 0.25)**0.5, 6)), (1, round(0.6**0.5, 6)),
                   (0, round(0.2**0.5, 6)), (1, round((0.1 * 0.25)**0.5, 6))}


@pytest.mark.parametrize('name,key', [('faster-rcnn', 'roi_head.bbox_head.reg_decoded_bbox'),
                                      ('retinanet', 'bbox_head.reg_decoded_bbox')])
def test_eiou_loss_on_deltas_is_refused(name, key):
    with pytest.raises(ValueError, match='reg_decoded_bbox=True'):
        build(name, **{key: False})


@pytest.mark.parametrize('name', ['faster-rcnn-sot', 'retinanet-sot'])
def test_heads_without_iou_branch_pass_their_priors_to_the_loss(name, monkeypatch):
    """Rows 5-7 (R-CNN) and 4-5 (RetinaNet): no IoU layer, mmdet's RoI head / inference, and
    SOT measured in units of each box's prior (proposal or anchor), as Algorithm 2 does."""
    model = build(name)
    head = model.roi_head.bbox_head if 'faster' in name else model.bbox_head
    assert not head.with_iou and not hasattr(head, 'loss_iou')
    assert not any('iou' in n for n, _ in head.named_parameters())
    seen = []
    original = head.loss_bbox.forward

    def spy(pred, target, weight=None, avg_factor=None, reduction_override=None, priors=None,
            **kwargs):
        seen.append((pred.detach(), target, weight, priors))
        return original(pred, target, weight, avg_factor, reduction_override, priors, **kwargs)

    monkeypatch.setattr(head.loss_bbox, 'forward', spy)
    head.loss_bbox.sot = True
    head.loss_bbox.stats_read = True
    model.train()
    data = batch(model)
    losses = model.loss(data['inputs'], data['data_samples'])
    assert 'loss_iou' not in losses and seen
    for pred, target, weight, priors in seen:
        assert priors is not None and priors.shape == pred.shape
        pos = weight.reshape(len(pred), -1).mean(-1) > 0
        if pos.any():  # a positive prior overlaps its target (assigner's IoU threshold)
            assert (bbox_overlaps(priors[pos], target[pos], is_aligned=True) > 0.3).all()
    stats = head.loss_bbox.pop_stats()
    assert stats['pairs'] > 0 and 0 <= stats['disjoint_frac'] <= 1 and stats['sot_scale'] > 0
    total = sum(v.sum() if isinstance(v, torch.Tensor) else sum(x.sum() for x in v)
                for k, v in losses.items() if 'loss' in k)
    total.backward()
    model.eval()
    with torch.no_grad():
        results = model.predict(data['inputs'], data['data_samples'])
    assert len(results) == 2


@pytest.mark.parametrize('name,head_key,new_type', [
    ('faster-rcnn-sot', 'roi_head.bbox_head', 'PriorsToLossShared2FCBBoxHead'),
    ('retinanet-sot', 'bbox_head', 'PriorsToLossRetinaHead')])
def test_priors_to_loss_heads_are_the_iou_heads_without_iou_branch(name, head_key, new_type):
    """Rows 5-7's head (IoU head with loss_iou=None) under a name that says what it does:
    the same parameters and the same losses; an IoU loss is refused."""
    renamed, written = build(name, **{f'{head_key}.type': f'mmdet_eiou.{new_type}'}), build(name)
    head = renamed.roi_head.bbox_head if 'faster' in name else renamed.bbox_head
    assert type(head).__name__ == new_type and not head.with_iou
    ours, theirs = renamed.state_dict(), written.state_dict()
    assert ours.keys() == theirs.keys() and all(torch.equal(ours[k], theirs[k]) for k in ours)
    data = batch(written)
    losses = []
    for model in (renamed, written):
        model.train()
        torch.manual_seed(1)  # the samplers draw
        losses.append(model.loss(data['inputs'], data['data_samples']))
    assert losses[0].keys() == losses[1].keys()
    for key, value in losses[0].items():  # a tensor, or one per FPN level
        pairs = zip(*[v if isinstance(v, list) else [v] for v in (value, losses[1][key])])
        assert all(torch.equal(a, b) for a, b in pairs), key
    from mmdet_eiou.registry import MODELS
    with pytest.raises(ValueError, match='no IoU branch'):
        MODELS.build(dict(type=f'mmdet_eiou.{new_type}',
                          loss_iou=dict(type='mmdet_eiou.IoUKLLoss')))


def test_sot_factor_is_the_extended_union_in_prior_units():
    """With priors, g = U_e / S_prior (Eq. 28 in Algorithm 2's units), clamped to M."""
    from mmdet_eiou.models.losses import EIoULoss
    from mmdet_eiou.ops import extended_intersection_union
    pred = torch.tensor([[0., 0., 10., 10.], [5., 5., 25., 15.]], requires_grad=True)
    target = torch.tensor([[2., 1., 12., 9.], [4., 6., 24., 18.]])
    priors = torch.tensor([[0., 0., 8., 8.], [0., 0., 40., 40.]])
    plain = EIoULoss(reduction='sum')
    sot = EIoULoss(reduction='sum', sot=True, sot_max=100.)
    sot.stats_read = True
    plain(pred, target).backward()
    g0 = pred.grad.clone()
    pred.grad = None
    sot(pred, target, priors=priors).backward()
    _, union = extended_intersection_union(pred.detach(), target)
    expected = union / torch.tensor([64., 1600.])
    assert torch.allclose(pred.grad, g0 * expected[:, None], rtol=1e-5)
    assert sot.pop_stats()['sot_scale'] == pytest.approx(expected.mean().item(), rel=1e-5)
