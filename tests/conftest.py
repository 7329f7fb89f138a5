"""Shared fixtures and helpers: a tiny synthetic COCO set, micro configs derived from ours,
running our tools, reading their logs and checkpoints. Test modules import the helpers from
here (pytest puts this directory on ``sys.path``)."""
import glob
import json
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
PYTHON = sys.executable

FRCNN_ROW1 = 'configs/synthetic/faster-rcnn_r18_1-smoothl1_synthetic.py'
RETINA_ROW1 = 'configs/synthetic/retinanet_r18_1-smoothl1_synthetic.py'


def pytest_addoption(parser):
    parser.addoption('--device', choices=('cpu', 'cuda'), default='cpu',
                     help='where the tests that take the `device` fixture run (marked '
                     '"device"): cpu (the default, CI) or cuda (tools/gpu_check.py on a GPU)')


def pytest_configure(config):
    config.addinivalue_line('markers', 'device: takes the `device` fixture, so runs on --device')
    if config.getoption('device') == 'cuda' and not torch.cuda.is_available():
        raise pytest.UsageError('--device cuda, but torch.cuda.is_available() is False')


# The files whose tests take longest in all (CI's --durations, two workers), run first: with
# pytest-xdist's workers taking a file at a time in this order (tools/run_tests.sh), a long
# file started last would leave the other core idle at the end.
LONGEST_FIRST = ('test_ablation.py', 'test_study_mmdet_configs.py', 'test_slurm.py',
                 'test_other_data.py', 'test_gpu_end_to_end.py', 'test_eiou_variant.py',
                 'test_checkpoint.py', 'test_experiments.py', 'test_amp.py',
                 'test_disjoint_census.py', 'test_dist.py')


def pytest_collection_modifyitems(items):
    """Mark every test that runs on the chosen device (``-m device`` selects them all); put the
    longest files first, the rest in their order."""
    for item in items:
        if 'device' in getattr(item, 'fixturenames', ()):
            item.add_marker(pytest.mark.device)
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


@pytest.fixture(scope='session')
def device(pytestconfig):
    """The ``torch.device`` of ``--device``."""
    return torch.device(pytestconfig.getoption('device'))


@pytest.fixture(scope='session')
def synthetic_data(tmp_path_factory):
    """16 training and 8 validation images of the embedded shapes set."""
    from eiou_lab.datasets import make_dataset
    out = tmp_path_factory.mktemp('synthetic')
    make_dataset(str(out), seed=0, num_train=16, num_val=8)
    return str(out) + '/'


def write_micro_config(path, base, data_root, max_iters=4, batch_size=2, extra=''):
    """A config that inherits ``base`` (relative to the repo) and trains ``max_iters`` on the
    tiny set in ``data_root`` (moved there by the runner's one data-root helper),
    single-threaded data loading, a checkpoint every iteration, deterministic. ``extra`` is
    appended; it must change ``train_dataloader`` etc. in place (item assignment), since a new
    ``train_dataloader = dict(...)`` would drop the lines above."""
    from eiou_lab.experiments.run_config import (data_root_overrides, load_config,
                                                   nested_assignments)
    settings = data_root_overrides(load_config(osp.join(ROOT, base)), data_root)
    for loader, batch in (('train_dataloader', batch_size), ('val_dataloader', 2),
                          ('test_dataloader', 2)):
        settings.update({f'{loader}.batch_size': batch, f'{loader}.num_workers': 0,
                         f'{loader}.persistent_workers': False})
    lines = '\n'.join(nested_assignments(settings))
    text = f'''_base_ = {osp.join(ROOT, base)!r}
{lines}
train_cfg = dict(max_iters={max_iters}, val_interval={max_iters})
param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False, begin=0, end={max_iters})]
default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=-1), logger=dict(interval=1))
randomness = dict(seed=0, deterministic=True)
{extra}
'''
    with open(path, 'w') as f:
        f.write(text)
    return str(path)


def run_tool(args, cwd=ROOT, env=None, timeout=900, check=True):
    """Run a command of ours (list) with the test interpreter's environment; return it."""
    full_env = dict(os.environ)
    full_env.setdefault('OMP_NUM_THREADS', '1')
    # Eager kernels: every fresh process would compile them again (5-7 s of CPU per training
    # here, more than a micro training itself). The compiled kernels are tested in-process
    # (test_device, test_compile_variants, test_numerics_fuzz) and in a fresh process with
    # the default mode by test_quickstart.
    full_env.setdefault('MMDET_EIOU_COMPILE', '0')
    full_env.update(env or {})
    proc = subprocess.run(args, cwd=cwd, env=full_env, capture_output=True, text=True,
                          timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f'{args} failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n'
                             f'{proc.stderr[-6000:]}')
    return proc


# Deterministic training: no random flip, and RetinaNet samples nothing at random.
NO_FLIP = '''
train_dataloader['dataset']['pipeline'] = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='Resize', scale=(160, 160), keep_ratio=True),
    dict(type='PackDetInputs')]
'''


def logged(work_dir):
    """{iteration: scalars} of every training log line under ``work_dir``."""
    out = {}
    for path in sorted(glob.glob(osp.join(str(work_dir), '*', 'vis_data', 'scalars.json'))):
        with open(path) as f:
            for line in f:
                rec = json.loads(line)
                if 'loss' in rec:
                    out[rec['iter']] = rec
    return out


def load(path):
    from mmdet_eiou.utils import allow_mmengine_checkpoints
    allow_mmengine_checkpoints()
    return torch.load(path, map_location='cpu', weights_only=True)
