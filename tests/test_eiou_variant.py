"""``mmdet_eiou.to_eiou`` / ``tools/to_eiou.py`` on mmdet's own configs of every family that
trains with an IoU loss: the written variant inherits the original, replaces every IoU-type
loss and match cost (weights kept), builds, and a loss step on a demo batch is finite."""
import subprocess
import sys

import pytest
import torch
from mmengine.config import Config

from conftest import ROOT
from mmdet_eiou.eiou_variant import (change_table, config_file, eiou_variant, to_eiou,
                                     write_variant)

# mmdet config -> the paths whose loss or cost must be ours afterwards
FAMILIES = {
    'atss/atss_r50_fpn_1x_coco.py': ['bbox_head.loss_bbox'],
    'gfl/gfl_r50_fpn_1x_coco.py': ['bbox_head.loss_bbox'],
    'fcos/fcos_r50-caffe_fpn_gn-head_1x_coco.py': ['bbox_head.loss_bbox'],
    'tood/tood_r50_fpn_1x_coco.py': ['bbox_head.loss_bbox'],
    'vfnet/vfnet_r50_fpn_1x_coco.py': ['bbox_head.loss_bbox', 'bbox_head.loss_bbox_refine'],
    'paa/paa_r50_fpn_1x_coco.py': ['bbox_head.loss_bbox'],
    'rtmdet/rtmdet_tiny_8xb32-300e_coco.py': ['bbox_head.loss_bbox'],
    'yolox/yolox_tiny_8xb8-300e_coco.py': ['bbox_head.loss_bbox'],
    'detr/detr_r50_8xb2-150e_coco.py': ['bbox_head.loss_iou',
                                        'train_cfg.assigner.match_costs[2]'],
    'deformable_detr/deformable-detr_r50_16xb2-50e_coco.py': [
        'bbox_head.loss_iou', 'train_cfg.assigner.match_costs[2]'],
    'dino/dino-4scale_r50_8xb2-12e_coco.py': ['bbox_head.loss_iou',
                                              'train_cfg.assigner.match_costs[2]'],
    'faster_rcnn/faster-rcnn_r50_fpn_giou_1x_coco.py': ['roi_head.bbox_head.loss_bbox'],
}


def at(model, path):
    node = model
    for part in path.replace('[', '.').replace(']', '').split('.'):
        node = node[int(part)] if part.isdigit() else node[part]
    return node


def demo_loss(cfg, epoch=0):
    """One loss step of the built model on a 96 px image with two boxes: the summed loss."""
    from mmdet.registry import MODELS
    from mmdet.structures import DetDataSample
    from mmengine.registry import init_default_scope
    from mmengine.structures import InstanceData
    init_default_scope('mmdet')
    cfg.model.backbone.init_cfg = None
    if 'num_queries' in cfg.model and cfg.model.type == 'DINO':
        cfg.model.num_queries = 100  # its top-k proposals need fewer than a 96 px image's tokens
    torch.manual_seed(0)  # the same weights whatever ran before (a DETR's boxes depend on them)
    model = MODELS.build(cfg.model)
    model.init_weights()  # the heads' own initialisation, as a Runner does (no download)
    model.train()
    from mmengine.logging import MessageHub
    # TOOD reads the epoch a Runner would have put in the message hub (its first, and the
    # one after its initial epochs: both assigners)
    MessageHub.get_current_instance().update_info('epoch', epoch)
    size = (96, 96)
    sample = DetDataSample(metainfo=dict(img_shape=size, pad_shape=size, ori_shape=size,
                                         batch_input_shape=size, scale_factor=(1., 1.)))
    sample.gt_instances = InstanceData(
        bboxes=torch.tensor([[8., 10., 50., 60.], [40., 30., 90., 80.]]),
        labels=torch.tensor([1, 5]))
    loss, log_vars = model.parse_losses(model.loss(torch.rand(1, 3, *size), [sample]))
    loss.backward()
    return loss, model


@pytest.mark.parametrize('name', sorted(FAMILIES))
def test_every_family_gets_our_loss_and_cost_and_trains(name, tmp_path):
    if name.startswith('paa/'):
        pytest.importorskip('sklearn')
    source = 'mmdet::' + name
    variant, changes = eiou_variant(source, power=1.5, symmetric=name.startswith('dino/'))
    assert sorted(c.path for c in changes) == sorted('model.' + p for p in FAMILIES[name])
    out = tmp_path / 'variant.py'
    write_variant(variant, str(out))
    cfg = Config.fromfile(str(out))
    original = Config.fromfile(config_file(source))
    for path in FAMILIES[name]:
        new, old = at(cfg.model, path), at(original.model, path)
        assert new['type'] in ('mmdet_eiou.EIoULoss', 'mmdet_eiou.EIoUCost')
        assert new.get('loss_weight', new.get('weight')) == old.get(
            'loss_weight', old.get('weight', 1.0))  # weights kept
        if new['type'] == 'mmdet_eiou.EIoULoss':
            assert new['power'] == 1.5 and set(new) <= {
                'type', 'power', 'sot', 'symmetric', 'loss_weight', 'reduction'}
    # nothing else of the model changed
    assert cfg.model.backbone == original.model.backbone
    loss, model = demo_loss(cfg)
    assert torch.isfinite(loss)
    if name.startswith('tood/'):  # after its initial epochs TOOD assigns by alignment
        assert torch.isfinite(demo_loss(cfg, epoch=cfg.model.train_cfg.initial_epoch)[0])
    from mmdet_eiou.models.losses import eiou_losses
    assert eiou_losses(model)


def test_delta_heads_switch_to_decoded_boxes_only_when_asked(tmp_path):
    with pytest.raises(ValueError, match='decoded=True'):
        to_eiou('mmdet::retinanet/retinanet_r50_fpn_1x_coco.py')
    variant, changes = eiou_variant('mmdet::retinanet/retinanet_r50_fpn_1x_coco.py',
                                    decoded=True, sot=True, priors=True)
    assert [c.path for c in changes] == ['model.bbox_head.loss_bbox', 'model.bbox_head.type']
    write_variant(variant, str(tmp_path / 'v.py'))
    cfg = Config.fromfile(str(tmp_path / 'v.py'))
    head = cfg.model.bbox_head
    assert head.reg_decoded_bbox and head.type == 'mmdet_eiou.PriorsToLossRetinaHead'
    assert head.loss_bbox.loss_weight == 2.0 and head.loss_bbox.sot
    assert torch.isfinite(demo_loss(cfg)[0])
    # Faster R-CNN: the RoI head's, not the RPN's
    _, changes = eiou_variant('mmdet::faster_rcnn/faster-rcnn_r50_fpn_1x_coco.py',
                              decoded=True)
    assert [c.path for c in changes] == ['model.roi_head.bbox_head.loss_bbox']


def test_the_tool_prints_the_table_and_refuses_nothing_to_replace(tmp_path):
    out = tmp_path / 'atss_eiou.py'
    proc = subprocess.run([sys.executable, 'tools/to_eiou.py',
                           'mmdet::atss/atss_r50_fpn_1x_coco.py', '-o', str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert '| model.bbox_head.loss_bbox | type=GIoULoss, loss_weight=2.0 |' in proc.stdout
    assert "_base_ = 'mmdet::atss/atss_r50_fpn_1x_coco.py'" in out.read_text()
    proc = subprocess.run([sys.executable, 'tools/to_eiou.py',
                           'mmdet::retinanet/retinanet_r50_fpn_1x_coco.py', '-o',
                           str(tmp_path / 'x.py')], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode != 0 and 'no IoU-type box loss' in proc.stderr
    assert 'decoded=True' in proc.stderr
    assert change_table([]).startswith('| where |')


def test_ab_study_in_one_command(tmp_path, synthetic_data):
    """tools/ab_eiou.py: a config (here a micro GIoU RetinaNet) against its EIoU variant,
    trained and scored on paired seeds by the study runner; the paired table at the end."""
    from conftest import PYTHON, run_tool, write_micro_config
    cfg = write_micro_config(tmp_path / 'giou.py',
                             'configs/synthetic/retinanet_r18_2-giou_synthetic.py',
                             synthetic_data, max_iters=2)
    proc = run_tool([PYTHON, 'tools/ab_eiou.py', str(cfg), '--power', '1.5', '--seeds', '0',
                     '--max-iters', '2', '--data-root', synthetic_data, '--jobs', '2',
                     '--work-dir', str(tmp_path / 'runs'), '--out', str(tmp_path / 'out')])
    assert '| model.bbox_head.loss_bbox | type=GIoULoss' in proc.stdout
    table = (tmp_path / 'out' / 'results.md').read_text()
    assert '| giou |' in table and '| giou_eiou |' in table
    variant = Config.fromfile(str(tmp_path / 'runs' / 'configs' / 'giou_eiou.py'))
    assert variant.model.bbox_head.loss_bbox.type == 'mmdet_eiou.EIoULoss'
    # resumable: a second call trains and scores nothing
    again = run_tool([PYTHON, 'tools/ab_eiou.py', str(cfg), '--power', '1.5', '--seeds', '0',
                      '--max-iters', '2', '--data-root', synthetic_data,
                      '--work-dir', str(tmp_path / 'runs'), '--out', str(tmp_path / 'out')])
    assert again.stdout.count('done before') == 2
