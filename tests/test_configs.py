"""Every config builds without data; the ablation chains keep one change per row."""
import ast
import copy
import functools
import glob
import os.path as osp

import pytest
from mmengine.config import Config

from conftest import ROOT

CONFIGS = sorted(glob.glob(osp.join(ROOT, 'configs', '**', '*.py'), recursive=True))
# configs/studies/ holds studies (tests/test_studies.py), not detector configs
CONFIGS = [c for c in CONFIGS if '/_base_/' not in c and '/studies/' not in c]


@functools.lru_cache(maxsize=None)
def parsed(path):
    """``Config.fromfile(path)``, parsed once for the whole module (the chain tests read the
    same parents again and again); only for tests that do not change it."""
    return Config.fromfile(path)


def flatten(d, prefix=''):
    out = {}
    for k, v in d.items():
        key = f'{prefix}{k}'
        if isinstance(v, dict):
            out.update(flatten(v, key + '.'))
        else:
            out[key] = v
    return out


def diff(child, parent):
    a, b = flatten(child.to_dict()), flatten(parent.to_dict())
    return {k: a.get(k) for k in a.keys() | b.keys() if a.get(k) != b.get(k)}


def base_of(path):
    """The ``_base_`` of a config file: a path, or a list of them for a chain's root."""
    tree = ast.parse(open(path).read())
    value = next(ast.literal_eval(node.value) for node in tree.body
                 if isinstance(node, ast.Assign) and node.targets[0].id == '_base_')
    resolve = (lambda b: b if '::' in b else osp.normpath(osp.join(osp.dirname(path), b)))
    return [resolve(b) for b in value] if isinstance(value, list) else resolve(value)


def test_there_are_all_the_configs():
    names = {osp.relpath(c, osp.join(ROOT, 'configs')) for c in CONFIGS}
    for required in ('eiou/faster-rcnn_r50_fpn_eiou_1x_coco.py',
                     'eiou/retinanet_r50_fpn_eiou_1x_coco.py',
                     'eiou/faster-rcnn_r50_fpn_eiou_20k_voc0712.py',
                     'eiou/retinanet_r50_fpn_eiou_20k_voc0712.py',
                     'eiou/dino-4scale_r50_eiou_12e_coco.py',
                     'eiou/yolox_s_eiou_8xb8-300e_coco.py'):
        assert required in names
    assert len([n for n in names if n.startswith('ablation/faster-rcnn')]) == 12
    assert len([n for n in names if n.startswith('ablation/retinanet')]) == 6
    assert len([n for n in names if n.endswith('_synthetic.py')]) == 18
    assert len(PRECISION) == 18
    assert sorted(osp.basename(c) for c in FAMILY_ROWS) == [
        'deformable-detr_r18_1-giou_precision.py', 'deformable-detr_r18_2-eiou_precision.py',
        'detr_r18_1-giou_precision.py', 'detr_r18_2-eiou_precision.py',
        'dino_r18_1-giou_precision.py', 'dino_r18_2-eiou_precision.py',
        'dino_r18_3-eiou-ct-sot_precision.py', 'dino_r18_4-symmetric_precision.py',
        'dino_r18_x-eiou-ct-sot-reference_precision.py', 'dino_r18_x-eiou-ct_precision.py',
        'yolox_nano_1-iou_precision.py', 'yolox_nano_2-eiou_precision.py']
    assert len([n for n in names if n.startswith('census/')]) == 12


# mmdet's heads with a coder that hand their box loss decoded boxes without the config saying
# so: ATSSHead by its default (reg_decoded_bbox=True), TOODHead and RTMDet's heads always
DECODING_HEADS = ('ATSSHead', 'TOODHead', 'RTMDetSepBNHead')


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, ROOT))
def test_config_builds_model_pipelines_and_evaluator(path):
    from mmdet.registry import MODELS, TRANSFORMS
    from mmengine.registry import init_default_scope
    from mmdet_eiou.registry import METRICS
    cfg = copy.deepcopy(parsed(path))  # changed below
    init_default_scope(cfg.get('default_scope', 'mmdet'))
    # the add-on; and the lab's dataset where the config trains on the synthetic shapes
    synthetic = cfg.train_dataloader.dataset.type == 'mmdet_eiou.SyntheticShapesDataset'
    assert cfg.custom_imports.imports == ['mmdet_eiou'] + ['eiou_lab.datasets'] * synthetic
    cfg.model.backbone.init_cfg = None  # building never downloads, but be explicit
    model = MODELS.build(cfg.model)
    for loader in (cfg.train_dataloader, cfg.val_dataloader, cfg.test_dataloader):
        for transform in loader.dataset.pipeline:
            TRANSFORMS.build(transform)
    evaluator = dict(cfg.val_evaluator, ann_file=None)
    metric = METRICS.build(evaluator)
    assert type(metric).__name__ == 'CocoAP90Metric' and 0.9 in metric.ap_iou_thrs
    head = cfg.model.roi_head.bbox_head if 'roi_head' in cfg.model else cfg.model.bbox_head
    loss_cfg = head.loss_bbox
    # a head that regresses coder deltas must hand IoU losses the decoded boxes (anchor-free
    # and DETR-style heads always do, and those below without the flag)
    if 'bbox_coder' in head and head.type not in DECODING_HEADS and loss_cfg.type in (
            'IoULoss', 'GIoULoss', 'CIoULoss', 'EIoULoss', 'mmdet_eiou.EIoULoss'):
        assert head.reg_decoded_bbox, 'losses on decoded boxes need reg_decoded_bbox=True'
    if any(h.type == 'mmdet_eiou.SOTHook' for h in cfg.get('custom_hooks', [])):
        assert 'mmdet_eiou.EIoULoss' in (loss_cfg.type, (head.get('loss_iou') or {}).get('type'))
    assert model is not None


def synthetic_twin(path):
    """The VOC ablation row that a synthetic row mirrors."""
    name = osp.basename(path).replace('_synthetic.py', '')
    det, rest = name.split('_r18_')
    return osp.join(ROOT, 'configs', 'ablation', f'{det}_r50_fpn_{rest}_20k_voc0712.py')


SYNTHETIC = [c for c in CONFIGS if c.endswith('_synthetic.py')]
# precision rows that repeat a synthetic row's change, and the families that start on the
# precision track (DETR-style, YOLOX: rows without a synthetic twin)
PRECISION = [c for c in CONFIGS if c.endswith('_precision.py') and
             osp.isfile(c.replace('_precision.py', '_synthetic.py'))]
FAMILY_ROWS = [c for c in CONFIGS if c.endswith('_precision.py') and c not in PRECISION]
# what a family row may change from the row it inherits: the box loss, the match cost, hooks
BOX_TERMS = ('model.bbox_head.loss_iou', 'model.bbox_head.loss_bbox',
             'model.train_cfg.assigner.match_costs', 'custom_hooks')


@pytest.mark.parametrize('path', SYNTHETIC, ids=osp.basename)
def test_synthetic_rows_repeat_exactly_their_voc_rows_change(path):
    twin = synthetic_twin(path)
    assert osp.isfile(twin), twin
    base = base_of(path)
    if isinstance(base, list):  # a chain's root: the same model base, loss and hooks
        assert base[0] == base_of(twin)[0]
        assert base[1].endswith('synthetic/_base_/synthetic_data.py')
        changed = diff(parsed(path), parsed(twin))
        assert not any('loss' in k or k.startswith('custom_hooks') for k in changed), changed
        return
    assert synthetic_twin(base) == base_of(twin), 'the chains must branch alike'
    ours = diff(parsed(path), parsed(base))
    theirs = diff(parsed(twin), parsed(base_of(twin)))
    assert ours == theirs and ours, (ours, theirs)


@pytest.mark.parametrize('path', PRECISION, ids=osp.basename)
def test_precision_rows_repeat_exactly_their_synthetic_rows_change(path):
    twin = path.replace('_precision.py', '_synthetic.py')
    base = base_of(path)
    if base == twin:  # a chain's root: the synthetic row on other data and schedule only
        changed = diff(parsed(path), parsed(twin))
        assert changed and all(k.split('.')[0] in DATA_AND_SCHEDULE for k in untuned(changed))
        if tuned(changed):
            assert 'Tuned on val' in open(path).read()
        return
    assert base == base_of(twin).replace('_synthetic.py', '_precision.py')
    cfg, twin_cfg = parsed(path), parsed(twin)
    ours = diff(cfg, parsed(base))
    theirs = diff(twin_cfg, parsed(base_of(twin)))
    assert untuned(ours) == untuned(theirs) and ours, (ours, theirs)
    # A choice of the precision track's own tuning is said where it is made. A row whose
    # settings end equal to its twin's made none, even where its change from its parent
    # differs from its twin's (a parent tuned to exactly the value the row sets).
    if tuned(ours) != tuned(theirs) and tuned(diff(cfg, twin_cfg)):
        assert 'Tuned on val' in open(path).read()


@pytest.mark.parametrize('path', FAMILY_ROWS, ids=osp.basename)
def test_family_rows_change_only_the_box_terms_of_their_first_row(path):
    base = base_of(path)
    if isinstance(base, list):  # the family's first row: a model base on the precision track
        assert base[0].startswith(osp.join(ROOT, 'configs', 'synthetic', '_base_', 'models'))
        assert osp.basename(base[1]) in ('precision_track.py', 'precision_track_detr.py')
        assert osp.dirname(base[1]).endswith('synthetic/_base_')
        assert parsed(path).train_dataloader.dataset.data_root == 'data/precision/'
        return
    changed = diff(parsed(path), parsed(base))
    # a head of ours that only hands the box loss its priors (SOT's unit) is a box term too
    assert changed and all(k.startswith(BOX_TERMS) or (
        k == 'model.bbox_head.type' and str(v).startswith('mmdet_eiou.PriorsToLoss'))
        for k, v in changed.items()), changed


# What the precision track chose on its val split apart from the synthetic rows
# (docs/results.md, section 0).
TUNED_ON_VAL = ('model.test_cfg.rcnn.iou_guided.', 'model.roi_head.bbox_head.loss_bbox.beta',
                'model.roi_head.bbox_head.loss_bbox.loss_weight',
                'model.roi_head.bbox_head.loss_iou.', 'model.bbox_head.loss_bbox.loss_weight',
                'model.bbox_head.loss_bbox.power', 'model.bbox_head.loss_iou.')


def tuned(changes):
    return {k: v for k, v in changes.items() if k.startswith(TUNED_ON_VAL)}


def untuned(changes):
    return {k: v for k, v in changes.items() if not k.startswith(TUNED_ON_VAL)}


DATA_AND_SCHEDULE = ('data_root', 'max_iters', 'train_dataloader', 'val_dataloader',
                     'test_dataloader', 'val_evaluator', 'test_evaluator', 'train_cfg',
                     'param_scheduler', 'optim_wrapper')


@pytest.mark.parametrize('det,first_method_row', [('faster-rcnn', 5), ('retinanet', 4)])
def test_method_rows_train_as_algorithm_2(det, first_method_row):
    """Our loss rows regress with the Sec. IV corner coder through a head that passes its
    priors to the loss (SOT in prior units), in every chain and in configs/eiou."""
    paths = [c for c in CONFIGS if osp.basename(c).startswith(det) and
             ('/eiou/' in c or any(f'_{r}-' in c for r in range(first_method_row, 9)))]
    assert len(paths) >= 8
    for path in paths:
        cfg = parsed(path)
        head = cfg.model.roi_head.bbox_head if 'roi_head' in cfg.model else cfg.model.bbox_head
        assert head.loss_bbox.type == 'mmdet_eiou.EIoULoss', path
        assert head.bbox_coder.type == 'mmdet_eiou.CornerDeltaBBoxCoder', path
        assert head.type in ('mmdet_eiou.IoUShared2FCBBoxHead', 'mmdet_eiou.IoURetinaHead'), path
        hooks = [h.type for h in cfg.get('custom_hooks', [])]
        assert hooks and set(hooks) <= {'mmdet_eiou.EIoUStatsHook', 'mmdet_eiou.SOTHook'}, path


def test_configs_eiou_voc_are_the_full_method_rows():
    for det, row in (('faster-rcnn', '8-eiou-ct-sot-iouhead'),
                     ('retinanet', '6-eiou-ct-sot-iouhead')):
        path = osp.join(ROOT, 'configs', 'eiou', f'{det}_r50_fpn_eiou_20k_voc0712.py')
        assert base_of(path).endswith(f'ablation/{det}_r50_fpn_{row}_20k_voc0712.py')
        cfg = parsed(path)
        assert cfg.train_cfg.max_iters == 20000
        assert cfg.optim_wrapper.optimizer.lr == 0.02
        assert [s.get('milestones') for s in cfg.param_scheduler][-1] == [12000, 18000]
