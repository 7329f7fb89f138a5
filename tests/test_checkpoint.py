"""Safe resume under torch >= 2.6: exact continuation, allow-list exactness, refusal of others."""
import glob
import json
import os.path as osp
import subprocess

import pytest
import torch

from conftest import (NO_FLIP, PYTHON, RETINA_ROW1, load, logged, run_tool,
                      write_micro_config)

def train(cfg, work_dir, *extra):
    return run_tool([PYTHON, 'tools/train.py', cfg, '--work-dir', str(work_dir), *extra])


@pytest.fixture(scope='module')
def runs(tmp_path_factory, synthetic_data):
    """A 6-iteration run, and a 4-iteration run resumed (auto) to 6 iterations."""
    tmp = tmp_path_factory.mktemp('resume')
    cfg = write_micro_config(tmp / 'cfg.py', RETINA_ROW1, synthetic_data, max_iters=6,
                             extra=NO_FLIP)
    full, resumed = tmp / 'full', tmp / 'resumed'
    train(cfg, full)
    train(cfg, resumed, '--cfg-options', 'train_cfg.max_iters=4')
    proc = train(cfg, resumed, '--resume')
    return full, resumed, proc, cfg


def test_resume_continues_iterations_weights_and_optimizer(runs):
    full, resumed, proc, _ = runs
    assert 'Auto resumed from the latest checkpoint' in proc.stdout + proc.stderr
    log_full, log_resumed = logged(full), logged(resumed)
    assert sorted(log_full) == [1, 2, 3, 4, 5, 6] and sorted(log_resumed) == [1, 2, 3, 4, 5, 6]
    for it in (5, 6):  # the resumed iterations see the same data, weights and momentum
        assert log_resumed[it]['loss'] == pytest.approx(log_full[it]['loss'], rel=1e-5, abs=1e-7)
    a, b = load(full / 'iter_6.pth'), load(resumed / 'iter_6.pth')
    assert a['meta']['iter'] == b['meta']['iter'] == 6
    for k, v in a['state_dict'].items():
        assert torch.allclose(v.float(), b['state_dict'][k].float(), rtol=1e-5, atol=1e-6), k
    state_a, state_b = a['optimizer']['state'], b['optimizer']['state']
    assert state_a.keys() == state_b.keys() and len(state_a) > 10
    for k in state_a:  # AdamW's step count and moments went on from iteration 4's
        assert state_a[k].keys() == state_b[k].keys()
        for name, value in state_a[k].items():
            assert torch.allclose(value.float(), state_b[k][name].float(), rtol=1e-5,
                                  atol=1e-6), (k, name)
        assert float(state_b[k]['step']) == 6


def test_allow_list_is_exactly_what_checkpoints_hold(runs):
    full = runs[0]
    ckpt = str(full / 'iter_6.pth')
    # torch alone (fresh interpreter, nothing allow-listed) finds exactly these globals
    found = subprocess.run(
        [PYTHON, '-c', 'import sys, torch; print(sorted('
         'torch.serialization.get_unsafe_globals_in_checkpoint(sys.argv[1])))', ckpt],
        capture_output=True, text=True, check=True).stdout
    assert eval(found) == sorted([
        'builtins.getattr', 'mmengine.logging.history_buffer.HistoryBuffer', 'numpy.dtype',
        'numpy.ndarray', 'numpy._core.multiarray._reconstruct', 'numpy._core.multiarray.scalar'])
    from mmdet_eiou.utils.checkpoint import unsafe_globals
    assert unsafe_globals(ckpt) == []
    hub = load(ckpt)['message_hub']['log_scalars']['train/loss']
    assert hub.mean() == pytest.approx(hub.statistics('mean'))


class _Payload:
    """Pickles as a call of ``os.system``: what a malicious checkpoint would carry."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        import os
        return os.system, (f'touch {self.marker}', )


@pytest.mark.parametrize('tool', ['train', 'test'])
def test_tampered_checkpoint_is_refused_and_nothing_runs(runs, tmp_path, tool):
    full, _, _, cfg = runs
    ckpt = load(full / 'iter_6.pth')
    marker = tmp_path / 'pwned'
    ckpt['meta']['evil'] = _Payload(marker)
    bad = tmp_path / 'tampered.pth'
    torch.save(ckpt, bad)
    if tool == 'train':
        args = [PYTHON, 'tools/train.py', cfg, '--work-dir', str(tmp_path / 'w'), '--resume',
                str(bad)]
    else:
        args = [PYTHON, 'tools/test.py', cfg, str(bad), '--work-dir', str(tmp_path / 'w')]
    proc = run_tool(args, check=False)
    assert proc.returncode != 0
    assert 'refusing to load' in proc.stderr and 'system' in proc.stderr
    assert 'Nothing from it was executed' in proc.stderr
    assert not marker.exists()


def test_getattr_is_bound_to_history_buffer_statistics_only():
    from mmengine.logging import HistoryBuffer

    from mmdet_eiou.utils.checkpoint import UnsafeCheckpointError, _history_buffer_method
    assert _history_buffer_method(HistoryBuffer, 'mean') is HistoryBuffer.mean
    with pytest.raises(UnsafeCheckpointError):
        _history_buffer_method(HistoryBuffer, '__init__')
    with pytest.raises(UnsafeCheckpointError):
        _history_buffer_method(torch.nn.Module, 'mean')


def test_show_dir_draws_ground_truth_beside_predictions(runs, tmp_path):
    """tools/test.py --show-dir: every test image drawn GT (left) | prediction (right)."""
    import cv2
    full, _, _, cfg = runs
    run_tool([PYTHON, 'tools/test.py', cfg, str(full / 'iter_6.pth'), '--work-dir',
              str(tmp_path), '--show-dir', 'vis'])
    drawn = glob.glob(str(tmp_path / '*' / 'vis' / '*.png'))
    assert len(drawn) == 8
    assert cv2.imread(drawn[0]).shape[:2] == (160, 320)


def test_amp_trains_on_cpu_with_bfloat16_autocast(runs, tmp_path):
    cfg = runs[3]
    run_tool([PYTHON, 'tools/train.py', cfg, '--amp', '--work-dir', str(tmp_path),
              '--cfg-options', 'train_cfg.max_iters=2'])
    dumped = (tmp_path / 'cfg.py').read_text()
    assert 'mmdet_eiou.CPUAutocastOptimWrapper' in dumped
    losses = [rec['loss'] for rec in logged(tmp_path).values()]
    assert len(losses) == 2 and all(loss == loss and loss < 1e4 for loss in losses)
