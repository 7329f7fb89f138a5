"""The precision rows train and score, as they are, on other COCO-layout data: another class
count and other class names and category ids, given as plain overrides (``--data-root`` and
``--cfg-options``), through ``tools/ablation.py`` as the precision track runs them."""
import json
import os
import os.path as osp
import pickle
import shutil

import pytest

from conftest import PYTHON, load, run_tool

CLASSES = tuple(f'crisp{i}' for i in range(7))  # more classes than ours (5), other names
CAT_IDS = tuple(range(101, 108))


@pytest.fixture(scope='module')
def other_data(tmp_path_factory, synthetic_data):
    """The tiny synthetic set relabelled: 7 classes, ids 101-107, every class present in the
    training split; train/val/test json as the precision track's layout."""
    out = tmp_path_factory.mktemp('other_data')
    for split, source in (('train', 'train'), ('val', 'val'), ('test', 'val')):
        with open(osp.join(synthetic_data, f'{source}.json')) as f:
            coco = json.load(f)
        coco['categories'] = [dict(id=i, name=n) for i, n in zip(CAT_IDS, CLASSES)]
        for k, ann in enumerate(coco['annotations']):
            ann['category_id'] = CAT_IDS[k % len(CAT_IDS)]
        with open(out / f'{split}.json', 'w') as f:
            json.dump(coco, f)
        for image in coco['images']:
            target = out / image['file_name']
            os.makedirs(target.parent, exist_ok=True)
            if not target.exists():
                shutil.copy(osp.join(synthetic_data, image['file_name']), target)
    return str(out)


# The two overrides other data needs: its class names (every dataset) and their number (head).
CLASS_NAMES = [f'{loader}.dataset.metainfo.classes=[{",".join(CLASSES)}]'
               for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader')]


def num_classes(key):
    return f'{key}={len(CLASSES)}'


def ablation(tmp_path, other_data, row, max_iters, options, check=True):
    """``tools/ablation.py`` on one precision row, seed 0, trained on the other data and scored
    on its test split, with ``options`` (``--cfg-options``)."""
    return run_tool([PYTHON, 'tools/ablation.py', '--rows', f'configs/synthetic/{row}.py',
                     '--seeds', '0', '--max-iters', str(max_iters), '--data-root', other_data,
                     '--split', 'test', '--work-dir', str(tmp_path / 'runs'), '--out',
                     str(tmp_path / 'out'), '--cfg-options', *options], check=check)


# Two iterations leave RetinaNet's scores at its prior (0.01) and below its score_thr (0.05):
# the last option keeps its detections, so that the metric has classes to score.
@pytest.mark.parametrize('row, num_classes_key, cls_key, extra', [
    ('faster-rcnn_r18_8-eiou-ct-sot-iouhead_precision', 'model.roi_head.bbox_head.num_classes',
     'roi_head.bbox_head.fc_cls.weight', []),
    ('retinanet_r18_6-eiou-ct-sot-iouhead_precision', 'model.bbox_head.num_classes',
     'bbox_head.retina_cls.weight', ['model.test_cfg.score_thr=0.0']),
])
def test_precision_row_on_other_data(tmp_path, other_data, row, num_classes_key, cls_key,
                                     extra):
    ablation(tmp_path, other_data, row, 2, [*CLASS_NAMES, num_classes(num_classes_key),
                                            'test_evaluator.classwise=True', *extra])
    run_dir = tmp_path / 'runs' / row / 'seed0'
    metrics = json.loads((run_dir / 'metrics_test.json').read_text())
    assert len(metrics['ap_at_iou']) == 10 and metrics['AP'] >= 0
    # the model has the other data's classes: 7 + background (R-CNN), 9 anchors x 7 (RetinaNet)
    with open(run_dir / 'last_checkpoint') as f:
        weights = load(f.read().strip())['state_dict'][cls_key]
    assert weights.shape[0] == (len(CLASSES) + 1 if 'roi_head' in cls_key else 9 * len(CLASSES))
    # the metric scored the other data's classes, by name (its classwise table names them)
    log = (run_dir / 'run.log').read_text()
    assert all(f'| {name}' in log for name in CLASSES)
    with open(run_dir / 'predictions_test.pkl', 'rb') as f:
        labels = [int(x) for p in pickle.load(f) for x in p['pred_instances']['labels']]
    assert labels and max(labels) < len(CLASSES)


@pytest.mark.parametrize('given, message', [
    # class names forgotten: SyntheticShapesDataset's own check
    ([num_classes('model.roi_head.bbox_head.num_classes')], 'names 0 of the 5 classes'),
    # class count forgotten: mmdet's NumClassCheckHook (in our base config)
    (CLASS_NAMES, 'does not matches the length of `classes`'),
])
def test_a_forgotten_override_is_named(tmp_path, other_data, given, message):
    failed = ablation(tmp_path, other_data, 'faster-rcnn_r18_1-smoothl1_precision', 1, given,
                      check=False)
    assert failed.returncode != 0 and message in failed.stdout
