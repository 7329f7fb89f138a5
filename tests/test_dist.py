"""Multi-process CPU training with torchrun (gloo) through tools/dist_train.sh."""
import json
import os
from pathlib import Path

import pytest

import torch

from conftest import PYTHON, RETINA_ROW1, run_tool, write_micro_config
from conftest import NO_FLIP, load, logged

ITERS = 6
# SGD: Adam's first steps are +-lr per weight whatever the gradient, which would blow tiny
# gradient differences (below) up to full steps; and a step large enough to move the weights.
SGD = "\noptim_wrapper = dict(optimizer=dict(_delete_=True, type='SGD', lr=0.01, momentum=0.9))\n"



def weights(checkpoint):
    """All learnable weights of a checkpoint as one vector."""
    state = load(checkpoint)['state_dict']
    return torch.cat([v.flatten().double() for k, v in sorted(state.items())
                      if v.is_floating_point() and 'running_' not in k])


def replicated_set(data_root, out, copies=8):
    """A training set of ``copies`` copies of one annotated image. Each process's half of a
    batch is then the same as the whole batch: the same BatchNorm statistics and the same
    loss normaliser (positives per image), so two processes must train exactly like one."""
    coco = json.loads((Path(data_root) / 'train.json').read_text())
    image = coco['images'][0]
    anns = [a for a in coco['annotations'] if a['image_id'] == image['id']]
    images, annotations = [], []
    for i in range(1, copies + 1):
        images.append(dict(image, id=i))
        annotations += [dict(a, id=len(annotations) + k, image_id=i)
                        for k, a in enumerate(anns, 1)]
    out.write_text(json.dumps(dict(coco, images=images, annotations=annotations)))
    return str(out)


def test_two_gloo_processes_train_like_one_process_with_the_same_total_batch(
        tmp_path, synthetic_data):
    ann = replicated_set(synthetic_data, tmp_path / 'replicated.json')
    same_batch = f"\ntrain_dataloader['dataset']['ann_file'] = {ann!r}\n"
    cfg = write_micro_config(tmp_path / 'cfg.py', RETINA_ROW1, synthetic_data,
                             max_iters=ITERS, batch_size=2, extra=NO_FLIP + SGD + same_batch)
    dist_dir, single_dir = tmp_path / 'dist', tmp_path / 'single'
    # faulthandler: should a process abort (seen twice at exit in full-suite runs, never
    # alone), its Python stacks land in the failure message
    # a port per worker, outside the torchrun study's 29531 (tests/test_study_mmdet_configs.py)
    env = dict(PYTHON=PYTHON, PORT=str(30000 + os.getpid() % 1000), PYTHONFAULTHANDLER='1')
    proc = run_tool(['bash', 'tools/dist_train.sh', cfg, '2', '--work-dir', str(dist_dir)],
                    env=env)
    run_tool([PYTHON, 'tools/train.py', cfg, '--work-dir', str(single_dir), '--cfg-options',
              'train_dataloader.batch_size=4'])
    text = proc.stdout + proc.stderr
    assert 'Distributed training: True' in text and 'GPU number: 2' in text  # world size 2
    cfg_text = (dist_dir / 'cfg.py').read_text()
    assert "'device_ids': None" in cfg_text or 'device_ids=None' in cfg_text
    log_dist, log_single = logged(dist_dir), logged(single_dir)
    assert sorted(log_dist) == sorted(log_single) == list(range(1, ITERS + 1))
    # Stated tolerance: float summation order (gloo's all-reduce, batch of 2 vs 4) only.
    for it in range(1, ITERS + 1):
        assert log_dist[it]['loss'] == pytest.approx(log_single[it]['loss'], rel=1e-4), it
    single = weights(single_dir / f'iter_{ITERS}.pth')
    dist = weights(dist_dir / f'iter_{ITERS}.pth')
    moved = (single - weights(single_dir / 'iter_1.pth')).norm()
    assert moved > 0 and (dist - single).norm() < 1e-3 * moved


def test_teardown_destroys_the_process_group_and_is_a_no_op_without_one(tmp_path):
    import torch.distributed as dist
    from mmdet_eiou.utils import teardown_distributed
    teardown_distributed()  # no group: nothing to do
    dist.init_process_group('gloo', init_method=f'file://{tmp_path / "store"}', rank=0,
                            world_size=1)
    assert dist.is_initialized()
    teardown_distributed()
    assert not dist.is_initialized()
