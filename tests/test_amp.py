"""``--amp`` on the CPU (bfloat16 autocast, ``mmdet_eiou.CPUAutocastOptimWrapper``) for the
full-method rows of both detectors: tools/train.py trains, tools/test.py predicts, and a
prediction under CPU autocast itself (``float32_for_mmcv_ops``) reaches every mmcv op of the
heads (RPN and IoU-guided NMS, RoIAlign). mmcv's CPU ops have no bfloat16 kernels: without
float32 at their boundary, Faster R-CNN's first step, and its prediction under autocast, stop
in the RPN's NMS ("expected scalar type Float but found BFloat16"), then in RoIAlign."""
import math
import pickle

import pytest
import torch

from conftest import PYTHON, logged, run_tool, write_micro_config

pytest.importorskip('mmdet')

FULL_METHOD_ROWS = {
    'faster-rcnn': ('configs/synthetic/faster-rcnn_r18_8-eiou-ct-sot-iouhead_synthetic.py',
                    "model = dict(test_cfg=dict(rcnn=dict(score_thr=0.0)))"),
    'retinanet': ('configs/synthetic/retinanet_r18_6-eiou-ct-sot-iouhead_synthetic.py',
                  "model = dict(test_cfg=dict(score_thr=0.0))"),
}
ITERS = 2
# No validation in training (tools/test.py predicts afterwards); every box is kept, as a few
# iterations from scratch leave RetinaNet's scores below the usual 0.05 threshold.
EXTRA = f"train_cfg['val_begin'] = {ITERS + 1}\n"


@pytest.fixture(scope='module', params=list(FULL_METHOD_ROWS))
def amp_run(request, tmp_path_factory, synthetic_data):
    """``ITERS`` iterations of the row with tools/train.py --amp: (config, work dir)."""
    base, keep_all_boxes = FULL_METHOD_ROWS[request.param]
    tmp = tmp_path_factory.mktemp(f'amp-{request.param}')
    cfg = write_micro_config(tmp / 'cfg.py', base, synthetic_data, max_iters=ITERS,
                             extra=EXTRA + keep_all_boxes)
    run_tool([PYTHON, 'tools/train.py', cfg, '--amp', '--work-dir', str(tmp / 'work')])
    return cfg, tmp / 'work'


def assert_finite_predictions(instances):
    """At least one box over the images; every box and score finite."""
    assert sum(len(inst['bboxes']) for inst in instances) > 0
    for inst in instances:
        assert torch.isfinite(torch.as_tensor(inst['bboxes'])).all()
        assert torch.isfinite(torch.as_tensor(inst['scores'])).all()


def test_amp_training_logs_finite_losses(amp_run):
    _, work = amp_run
    assert 'mmdet_eiou.CPUAutocastOptimWrapper' in (work / 'cfg.py').read_text()
    log = logged(work)
    assert sorted(log) == list(range(1, ITERS + 1))
    for record in log.values():
        losses = {key: value for key, value in record.items() if key.startswith('loss')}
        assert 'loss_bbox' in losses and 'loss_iou' in losses
        assert all(math.isfinite(value) for value in losses.values()), losses


def test_tools_test_predicts_finite_boxes_after_amp_training(amp_run, tmp_path):
    cfg, work = amp_run
    out = tmp_path / 'predictions.pkl'
    run_tool([PYTHON, 'tools/test.py', cfg, str(work / f'iter_{ITERS}.pth'), '--work-dir',
              str(tmp_path), '--out', str(out)])
    with open(out, 'rb') as f:
        assert_finite_predictions([sample['pred_instances'] for sample in pickle.load(f)])


@pytest.mark.parametrize('mode', ['fusion', 'nms'])
def test_prediction_under_cpu_autocast(amp_run, mode, tmp_path):
    """Prediction in bfloat16 autocast with ``float32_for_mmcv_ops``, with either use of the
    predicted IoU (score fusion, IoU-guided NMS); the model's hooks go with the block."""
    from mmengine.config import Config
    from mmengine.runner import Runner, load_checkpoint

    from mmdet_eiou.engine import float32_for_mmcv_ops
    from mmdet_eiou.utils import allow_mmengine_checkpoints
    cfg_path, work = amp_run
    cfg = Config.fromfile(cfg_path)
    cfg.work_dir = str(tmp_path)
    runner = Runner.from_cfg(cfg)
    allow_mmengine_checkpoints()
    model = runner.model.eval()
    load_checkpoint(model, str(work / f'iter_{ITERS}.pth'), map_location='cpu')
    head = model.roi_head if hasattr(model, 'roi_head') else model.bbox_head
    head.test_cfg.iou_guided = dict(mode=mode)

    def hook_count():
        return sum(len(m._forward_hooks) + len(m._forward_pre_hooks) for m in model.modules())

    hooks_before = hook_count()
    with torch.no_grad(), torch.autocast('cpu', dtype=torch.bfloat16), \
            float32_for_mmcv_ops(model):
        outputs = model.test_step(next(iter(runner.test_dataloader)))
    assert hook_count() == hooks_before
    assert_finite_predictions([out.pred_instances for out in outputs])
