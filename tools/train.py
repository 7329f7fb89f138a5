"""Train a detector: mmdet's tools/train.py, plus what mmdet_eiou needs on any host.

Same command line as mmdet's. On top of it:
* ``mmdet_eiou`` is imported, so our ``mmdet_eiou.X`` types resolve even in a config that
  lacks ``custom_imports``;
* ``--resume`` works under torch >= 2.6 with safe (weights-only) loading: the checkpoint may
  hold only the globals on our allow-list, else it is refused before anything is unpickled
  (mmdet_eiou/utils/checkpoint.py);
* ``--launcher pytorch|slurm|mpi`` works without CUDA (gloo, device-less DDP;
  mmdet_eiou/utils/dist.py);
* ``--amp`` without CUDA trains under bfloat16 autocast (mmengine's AmpOptimWrapper needs CUDA);
* the config's text is formatted once (mmengine runs yapf over it for the log, the dump
  and every checkpoint: 0.7-1.8 s of a micro training's CPU; mmdet_eiou/utils/config_text.py);
* a finished run exits without the interpreter's last garbage collections (about 1 s of CPU;
  mmdet_eiou/utils/exit.py).
"""
import argparse
import os
import os.path as osp
import warnings

# setuptools < 81 (pinned: mmcv and mim need pkg_resources) warns on every import of it, as
# mmengine's when it resolves `mmdet::` configs; not ours to act on, so silence exactly that.
warnings.filterwarnings('ignore', message='pkg_resources is deprecated', category=UserWarning)

from mmdet.utils import setup_cache_size_limit_of_dynamo
from mmengine.config import Config, DictAction
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

import mmdet_eiou  # noqa: F401  (registers the mmdet_eiou scope)
from mmdet_eiou.engine import enable_amp
from mmdet_eiou.utils import (allow_mmengine_checkpoints, exit_after_cpu_distributed_run,
                              format_config_text_once, setup_cpu_distributed,
                              skip_exit_collections, teardown_distributed,
                              verify_resume_checkpoint)


def parse_args():
    parser = argparse.ArgumentParser(description='Train a detector')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--amp', action='store_true', default=False,
        help='enable automatic-mixed-precision training (bfloat16 autocast on CPU)')
    parser.add_argument(
        '--auto-scale-lr', action='store_true', help='enable automatically scaling LR.')
    parser.add_argument(
        '--resume', nargs='?', type=str, const='auto',
        help='If specify checkpoint path, resume from it, while if not specify, try to auto '
        'resume from the latest checkpoint in the work directory.')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override some settings in the used config, the key-value pair in xxx=yyy '
        'format will be merged into config file.')
    parser.add_argument(
        '--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'], default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def main():
    args = parse_args()
    setup_cache_size_limit_of_dynamo()
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(args.config))[0])
    if args.amp:
        enable_amp(cfg)
    if args.auto_scale_lr:
        if 'auto_scale_lr' in cfg and 'enable' in cfg.auto_scale_lr and \
                'base_batch_size' in cfg.auto_scale_lr:
            cfg.auto_scale_lr.enable = True
        else:
            raise RuntimeError('Can not find "auto_scale_lr" or "auto_scale_lr.enable" or '
                               '"auto_scale_lr.base_batch_size" in your configuration file.')
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume
    allow_mmengine_checkpoints()
    format_config_text_once()
    if cfg.get('resume'):
        verify_resume_checkpoint(cfg)
    cpu_distributed = setup_cpu_distributed(args.launcher, cfg)

    runner = Runner.from_cfg(cfg) if 'runner_type' not in cfg else RUNNERS.build(cfg)
    runner.train()
    teardown_distributed()
    if cpu_distributed:
        exit_after_cpu_distributed_run()
    skip_exit_collections()


if __name__ == '__main__':
    main()
