"""SOT's factor under each candidate unit (target, reference box, image) for every positive
pair of a DETR-style head, on trained checkpoints.

    python tools/sot_units.py configs/synthetic/dino_r18_3-eiou-ct-sot_precision.py \\
        work_dirs/beyond-anchors/dino_r18_3-eiou-ct-sot_precision/seed0/iter_{100,250,500}.pth \\
        --batches 25 --out docs/beyond-anchors/sot_units.json

Each checkpoint computes its losses (no gradient, training mode) on ``--batches`` batches of
the config's training data; the table gives, per source and unit, the median and 1-99 % range
of the unclamped factor ``U_e / S_unit``, the share ``M`` (``--sot-max``) clamps, the mean
factor SOT would apply. See mmdet_eiou.analysis.sot_units for the units.
"""
import argparse
import json
import os.path as osp
import warnings

warnings.filterwarnings('ignore', message='pkg_resources is deprecated', category=UserWarning)

from mmengine.config import Config, DictAction  # noqa: E402


def markdown(results: dict, sot_max: float) -> str:
    """One table per checkpoint: a line per source and unit."""
    lines = []
    for checkpoint, by_source in results.items():
        lines += [f'**{checkpoint}**', '',
                  f'| source | unit | pairs | median | 1-99 % | clamped at M = {sot_max:g} '
                  '| mean applied |', '|---|---|---:|---:|---:|---:|---:|']
        for source, by_unit in by_source.items():
            for unit, s in by_unit.items():
                lines.append(f"| {source} | {unit} | {s['pairs']} | {s['median']:.3g} | "
                             f"{s['p01']:.3g}-{s['p99']:.3g} | {100 * s['clamped']:.1f} % | "
                             f"{s['applied_mean']:.3g} |")
        lines.append('')
    return '\n'.join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoints', nargs='+')
    parser.add_argument('--batches', type=int, default=25, help='training batches per checkpoint')
    parser.add_argument('--sot-max', type=float, default=10.0, help='M of Theorem 1')
    parser.add_argument('--seed', type=int, default=0, help='seed of the data order and noise')
    parser.add_argument('--out', help='also write the summaries to this JSON file')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={})
    args = parser.parse_args(argv)
    import itertools

    from mmdet.registry import MODELS
    from mmengine.registry import init_default_scope
    from mmengine.runner import Runner, load_checkpoint
    from mmengine.runner.utils import set_random_seed

    import mmdet_eiou  # noqa: F401  (registers the mmdet_eiou scope)
    from mmdet_eiou.analysis.sot_units import measure
    from mmdet_eiou.utils.checkpoint import allow_mmengine_checkpoints
    allow_mmengine_checkpoints()
    cfg = Config.fromfile(args.config)
    cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmdet'))
    results = {}
    for checkpoint in args.checkpoints:
        set_random_seed(args.seed)  # the same batches and denoising noise for every checkpoint
        model = MODELS.build(cfg.model)
        load_checkpoint(model, checkpoint, map_location='cpu', logger='silent')
        loader = Runner.build_dataloader(cfg.train_dataloader, seed=args.seed)
        results[checkpoint] = measure(model, itertools.islice(loader, args.batches),
                                      args.sot_max)
    print(markdown(results, args.sot_max))
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(dict(config=args.config, batches=args.batches, sot_max=args.sot_max,
                           seed=args.seed, results=results), f, indent=1)
            f.write('\n')
        print(f'written: {osp.abspath(args.out)}')


if __name__ == '__main__':
    main()
