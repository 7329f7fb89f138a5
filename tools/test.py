"""Test (and evaluate) a detector: mmdet's tools/test.py, plus what mmdet_eiou needs on any host.

Same command line as mmdet's (config, checkpoint, ``--work-dir``, ``--out``, ``--show``,
``--show-dir``, ``--cfg-options``, ``--launcher``, ``--tta``). On top of it:
* ``mmdet_eiou`` is imported, so ``mmdet_eiou.X`` types resolve without ``custom_imports``;
* the checkpoint is loaded safely (weights-only with our allow-list; a checkpoint holding any
  other global is refused before anything is unpickled, mmdet_eiou/utils/checkpoint.py);
* ``--launcher pytorch|slurm|mpi`` works without CUDA (gloo; mmdet_eiou/utils/dist.py);
* the config's text is formatted once (mmengine runs yapf over it for the log, the dump
  and every checkpoint: 0.7-1.8 s of a micro training's CPU; mmdet_eiou/utils/config_text.py);
* a finished run exits without the interpreter's last garbage collections (about 1 s of CPU;
  mmdet_eiou/utils/exit.py).
``--show-dir DIR`` draws ground truth (left) beside predictions (right) for every test image,
like the paper's Fig. 8, into ``WORK_DIR/<timestamp>/DIR``.
"""
import argparse
import os
import os.path as osp
import warnings
from copy import deepcopy

# setuptools < 81 (pinned: mmcv and mim need pkg_resources) warns on every import of it, as
# mmengine's when it resolves `mmdet::` configs; not ours to act on, so silence exactly that.
warnings.filterwarnings('ignore', message='pkg_resources is deprecated', category=UserWarning)

from mmdet.engine.hooks.utils import trigger_visualization_hook
from mmdet.evaluation import DumpDetResults
from mmdet.utils import setup_cache_size_limit_of_dynamo
from mmengine.config import Config, ConfigDict, DictAction
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

import mmdet_eiou  # noqa: F401  (registers the mmdet_eiou scope)
from mmdet_eiou.utils import (allow_mmengine_checkpoints, check_checkpoint_is_safe,
                              exit_after_cpu_distributed_run, format_config_text_once,
                              setup_cpu_distributed, skip_exit_collections,
                              teardown_distributed)


def parse_args():
    parser = argparse.ArgumentParser(description='MMDet test (and eval) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--work-dir', help='the directory to save the file containing evaluation metrics')
    parser.add_argument(
        '--out', type=str, help='dump predictions to a pickle file for offline evaluation')
    parser.add_argument('--show', action='store_true', help='show prediction results')
    parser.add_argument(
        '--show-dir',
        help='directory where painted images (GT left, prediction right) will be saved, '
        'inside work_dir/timestamp/')
    parser.add_argument('--wait-time', type=float, default=2, help='the interval of show (s)')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override some settings in the used config, the key-value pair in xxx=yyy '
        'format will be merged into config file.')
    parser.add_argument(
        '--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'], default='none',
        help='job launcher')
    parser.add_argument('--tta', action='store_true')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def add_tta(cfg):
    """mmdet's default flip TTA, as in its tools/test.py."""
    if 'tta_model' not in cfg:
        warnings.warn('Cannot find ``tta_model`` in config, we will set it as default.')
        cfg.tta_model = dict(
            type='DetTTAModel',
            tta_cfg=dict(nms=dict(type='nms', iou_threshold=0.5), max_per_img=100))
    if 'tta_pipeline' not in cfg:
        warnings.warn('Cannot find ``tta_pipeline`` in config, we will set it as default.')
        test_data_cfg = cfg.test_dataloader.dataset
        while 'dataset' in test_data_cfg:
            test_data_cfg = test_data_cfg['dataset']
        cfg.tta_pipeline = deepcopy(test_data_cfg.pipeline)
        cfg.tta_pipeline[-1] = dict(
            type='TestTimeAug',
            transforms=[[dict(type='RandomFlip', prob=1.), dict(type='RandomFlip', prob=0.)],
                        [dict(type='PackDetInputs',
                              meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape',
                                         'scale_factor', 'flip', 'flip_direction'))]])
    cfg.model = ConfigDict(**cfg.tta_model, module=cfg.model)
    cfg.test_dataloader.dataset.pipeline = cfg.tta_pipeline


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
    cfg.load_from = args.checkpoint
    if args.show or args.show_dir:
        cfg = trigger_visualization_hook(cfg, args)
    if args.tta:
        add_tta(cfg)

    allow_mmengine_checkpoints()
    format_config_text_once()
    if '://' not in args.checkpoint:
        check_checkpoint_is_safe(args.checkpoint)
    cpu_distributed = setup_cpu_distributed(args.launcher, cfg)

    runner = Runner.from_cfg(cfg) if 'runner_type' not in cfg else RUNNERS.build(cfg)
    if args.out is not None:
        assert args.out.endswith(('.pkl', '.pickle')), 'The dump file must be a pkl file.'
        runner.test_evaluator.metrics.append(DumpDetResults(out_file_path=args.out))
    runner.test()
    teardown_distributed()
    if cpu_distributed:
        exit_after_cpu_distributed_run()
    skip_exit_collections()


if __name__ == '__main__':
    main()
