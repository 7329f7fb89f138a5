"""tools/ablation.py on configs that are not ours: two of mmdet's own RetinaNet configs (its
model, losses and plain CocoMetric), pointed at the tiny COCO-layout set as a user would
shrink them for a smoke test; one paired with the other on val, and one through torchrun.
Pairing over seeds with real runs is tested by the Slurm study (tests/test_slurm.py)."""
import json
import math
import os.path as osp
import shutil

import pytest

from conftest import PYTHON, ROOT, run_tool
from eiou_lab.datasets.synthetic_shapes import CLASSES

MMDET_RETINANET = 'mmdet::retinanet/retinanet_r18_fpn_1x_coco.py'
GIOU = '''model['bbox_head']['reg_decoded_bbox'] = True
model['bbox_head']['loss_bbox'] = dict(_delete_=True, type='GIoULoss', loss_weight=2.0)
'''


def shrink(path, data_root, extra=''):
    """mmdet's RetinaNet R-18 on the tiny set: its data, 160 px, no download (no pretrained
    backbone), two iterations of an iteration-based loop, a checkpoint at the end."""
    pipeline = ('[dict(type="LoadImageFromFile"), dict(type="LoadAnnotations", with_bbox=True),'
                ' dict(type="Resize", scale=(160, 160), keep_ratio=True), '
                'dict(type="PackDetInputs")]')
    path.write_text(f'''_base_ = {MMDET_RETINANET!r}
metainfo = dict(classes={CLASSES!r})
model = dict(backbone=dict(init_cfg=None), bbox_head=dict(num_classes={len(CLASSES)}),
             test_cfg=dict(score_thr=0.0))
train_dataloader = dict(batch_size=2, num_workers=0, persistent_workers=False, dataset=dict(
    data_root={data_root!r}, metainfo=metainfo, ann_file='train.json', data_prefix=dict(img=''),
    pipeline={pipeline}))
val_dataloader = dict(batch_size=2, num_workers=0, persistent_workers=False, dataset=dict(
    data_root={data_root!r}, metainfo=metainfo, ann_file='val.json', data_prefix=dict(img=''),
    pipeline={pipeline}))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file={data_root + 'val.json'!r})
test_evaluator = val_evaluator
train_cfg = dict(_delete_=True, type='IterBasedTrainLoop', max_iters=2, val_interval=2)
param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False, begin=0, end=2)]
default_hooks = dict(checkpoint=dict(by_epoch=False, interval=2), logger=dict(interval=1))
log_processor = dict(by_epoch=False)
{extra}''')
    return str(path)


@pytest.fixture(scope='module')
def rows(tmp_path_factory, synthetic_data):
    tmp = tmp_path_factory.mktemp('mmdet_rows')
    return (shrink(tmp / 'mmdet_l1.py', synthetic_data),
            shrink(tmp / 'mmdet_giou.py', synthetic_data, GIOU))


def test_two_mmdet_configs_paired_from_another_folder(rows, tmp_path):
    # from another folder, with paths relative to it, as a user runs it beside their configs
    for row in rows:
        shutil.copy(row, tmp_path)
    run_tool([PYTHON, osp.join(ROOT, 'tools', 'ablation.py'), '--rows', 'mmdet_l1.py',
              'mmdet_giou.py', '--seeds', '0', '--split', 'val', '--work-dir', 'runs',
              '--out', 'out', '--jobs', '2'], cwd=tmp_path)
    result = json.loads((tmp_path / 'out' / 'results.json').read_text())
    assert result['baseline'] == 'mmdet_l1' and sorted(result['runs']) == ['mmdet_giou',
                                                                            'mmdet_l1']
    gain = result['gains']['mmdet_giou']
    assert gain['AP']['n'] == 1 and math.isfinite(gain['AP']['mean'])
    assert [k for k in gain if k.startswith('ap@')][::9] == ['ap@0.5', 'ap@0.95']
    # mmdet's CocoMetric is scored by our subclass at its own (COCO) thresholds
    score = (tmp_path / 'runs' / 'mmdet_giou' / 'seed0' / 'score_val.py').read_text()
    assert 'mmdet_eiou.CocoAPAtIoUMetric' in score
    metrics = json.loads((tmp_path / 'runs' / 'mmdet_giou' / 'seed0' /
                          'metrics_val.json').read_text())
    assert len(metrics['ap_at_iou']) == 10 and metrics['ap_at_iou'][0] == pytest.approx(
        metrics['AP50'])


def test_a_study_through_torchrun(rows, tmp_path):
    run_tool([PYTHON, 'tools/ablation.py', '--rows', rows[0], '--seeds', '0', '--launcher',
              'pytorch', '--gpus', '2', '--work-dir', str(tmp_path / 'runs'), '--out',
              str(tmp_path / 'out')], env=dict(PORT='29531'))
    run_dir = tmp_path / 'runs' / 'mmdet_l1' / 'seed0'
    log = (run_dir / 'run.log').read_text()
    assert 'dist_train.sh' in log and 'dist_test.sh' in log
    assert 'Distributed launcher: pytorch' in log and 'GPU number: 2' in log
    assert osp.isfile(run_dir / 'metrics_val.json')
