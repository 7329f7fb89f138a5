"""Multi-process CPU training with torchrun (gloo) through tools/dist_train.sh."""
import os

import pytest
import torch

from conftest import PYTHON, RETINA_ROW1, run_tool, write_micro_config
from test_checkpoint import NO_FLIP, load, logged

ITERS = 4


def fixed_batch_loss(cfg_path, checkpoint=None):
    """Loss of the model (initial, or loaded from ``checkpoint``) on the first 4 images."""
    from mmdet.registry import DATASETS, MODELS
    from mmengine.config import Config
    from mmengine.dataset import pseudo_collate
    from mmengine.registry import init_default_scope
    cfg = Config.fromfile(cfg_path)
    init_default_scope('mmdet')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    if checkpoint is not None:
        model.load_state_dict(load(checkpoint)['state_dict'])
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    data = model.data_preprocessor(pseudo_collate([dataset[i] for i in range(4)]), True)
    model.train()  # BN in training mode, as during the runs
    with torch.no_grad():
        losses = model.loss(data['inputs'], data['data_samples'])
    return sum(v.sum() if torch.is_tensor(v) else sum(x.sum() for x in v)
               for k, v in losses.items() if 'loss' in k).item()


def test_two_gloo_processes_train_like_one_process_with_the_same_total_batch(
        tmp_path, synthetic_data):
    cfg = write_micro_config(tmp_path / 'cfg.py', RETINA_ROW1, synthetic_data,
                             max_iters=ITERS, batch_size=2, extra=NO_FLIP)
    dist_dir, single_dir = tmp_path / 'dist', tmp_path / 'single'
    env = dict(PYTHON=PYTHON, PORT=str(29500 + os.getpid() % 1000))
    proc = run_tool(['bash', 'tools/dist_train.sh', cfg, '2', '--work-dir', str(dist_dir)],
                    env=env)
    assert 'Distributed training is not used' not in proc.stdout
    run_tool([PYTHON, 'tools/train.py', cfg, '--work-dir', str(single_dir), '--cfg-options',
              'train_dataloader.batch_size=4'])
    assert sorted(logged(dist_dir)) == list(range(1, ITERS + 1))
    cfg_text = (dist_dir / 'cfg.py').read_text()
    assert "'device_ids': None" in cfg_text or 'device_ids=None' in cfg_text
    world = [line for line in (proc.stdout + proc.stderr).splitlines() if 'world_size' in line]
    assert any('2' in line for line in world), world
    # Same data (rank r takes every other sample of the same shuffled order), same initial
    # weights, gradients averaged over ranks: the trained weights agree. Measured by the loss
    # of both on one fixed batch, against how far training moved it from the start.
    start = fixed_batch_loss(cfg)
    single = fixed_batch_loss(cfg, single_dir / f'iter_{ITERS}.pth')
    dist = fixed_batch_loss(cfg, dist_dir / f'iter_{ITERS}.pth')
    moved = abs(start - single)
    assert moved > 0.05 * start, (start, single)
    # ranks normalise by their own positives, one process by all: a small difference remains
    assert abs(dist - single) < 0.1 * moved, (start, single, dist)
