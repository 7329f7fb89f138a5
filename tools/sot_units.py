"""SOT's factor under each candidate unit (target, reference box, image) for every positive
pair of a DETR-style head, on trained checkpoints.

    python tools/sot_units.py configs/synthetic/dino_r18_3-eiou-ct-sot_precision.py \\
        work_dirs/beyond-anchors/dino_r18_3-eiou-ct-sot_precision/seed0/iter_{100,250,500}.pth \\
        --batches 25 --out docs/beyond-anchors/sot_units.json
    python tools/sot_units.py --from-json docs/beyond-anchors/sot_units.json  # the tables again

Each checkpoint computes its losses (no gradient, training mode) on ``--batches`` batches of
the config's training data; the table gives, per source and unit, the median and 1-99 % range
of the unclamped factor ``U_e / S_unit``, the share ``M`` (``--sot-max``) clamps, the mean
factor SOT would apply. ``--out F.json`` writes the summaries and ``F.md`` the tables. See
eiou_lab.analysis.sot_units for the units.
"""
import argparse
import json
import os.path as osp
import warnings

warnings.filterwarnings('ignore', message='pkg_resources is deprecated', category=UserWarning)

from mmengine.config import Config, DictAction  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', nargs='?')
    parser.add_argument('checkpoints', nargs='*')
    parser.add_argument('--batches', type=int, default=25, help='training batches per checkpoint')
    parser.add_argument('--sot-max', type=float, default=10.0, help='M of Theorem 1')
    parser.add_argument('--seed', type=int, default=0, help='seed of the data order and noise')
    parser.add_argument('--out', help='also write the summaries to this JSON file (and the '
                        'tables to the same name .md)')
    parser.add_argument('--from-json', help='measure nothing: the tables of this --out file')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={})
    args = parser.parse_args(argv)
    from eiou_lab.analysis.sot_units import tables
    if args.from_json:
        with open(args.from_json) as f:
            saved = json.load(f)
        text = tables(saved)
        with open(osp.splitext(args.from_json)[0] + '.md', 'w') as f:
            f.write(text)
        print(text)
        return
    if not args.config or not args.checkpoints:
        parser.error('give a config and its checkpoints, or --from-json')
    import copy
    import itertools

    from mmdet.registry import MODELS
    from mmengine.registry import init_default_scope
    from mmengine.runner import Runner, load_checkpoint
    from mmengine.runner.utils import set_random_seed

    import mmdet_eiou  # noqa: F401  (registers the mmdet_eiou scope)
    from eiou_lab.analysis.sot_units import measure
    from mmdet_eiou.utils.checkpoint import allow_mmengine_checkpoints
    allow_mmengine_checkpoints()
    cfg = Config.fromfile(args.config)
    cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmdet'))
    results = {}
    for checkpoint in args.checkpoints:
        set_random_seed(args.seed)  # the same batches and denoising noise for every checkpoint
        model = MODELS.build(copy.deepcopy(cfg.model))  # mmdet's DINO edits the head's dict
        load_checkpoint(model, checkpoint, map_location='cpu', logger='silent')
        loader = Runner.build_dataloader(cfg.train_dataloader, seed=args.seed)
        results[checkpoint] = measure(model, itertools.islice(loader, args.batches),
                                      args.sot_max)
    saved = dict(config=args.config, batches=args.batches, sot_max=args.sot_max,
                 seed=args.seed, results=results)
    text = tables(saved)
    print(text)
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(saved, f, indent=1)
            f.write('\n')
        with open(osp.splitext(args.out)[0] + '.md', 'w') as f:
            f.write(text)
        print(f'written: {osp.abspath(args.out)} and its .md')


if __name__ == '__main__':
    main()
