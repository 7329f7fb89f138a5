"""Write the EIoU variant of any mmdet config: a config that inherits it and replaces every
IoU-type box loss with mmdet_eiou.EIoULoss and every IoUCost with mmdet_eiou.EIoUCost.

    python tools/to_eiou.py CONFIG -o OUT.py [--power 2] [--sot [--priors]] [--symmetric]
        [--decoded]

CONFIG is a file or an ``mmdet::`` path. Prints what it changed as a table; refuses a config
with nothing to replace. See mmdet_eiou.eiou_variant.eiou_variant for the options.
"""
import argparse
import warnings

warnings.filterwarnings('ignore', message='pkg_resources is deprecated', category=UserWarning)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='a config file or an mmdet:: path')
    parser.add_argument('-o', '--out', required=True, help='the variant config to write')
    parser.add_argument('--power', type=float, default=2.0,
                        help='CT exponent (2: the paper; 1: plain EIoU)')
    parser.add_argument('--sot', action='store_true', help='SOT on (Eq. 28)')
    parser.add_argument('--priors', action='store_true',
                        help="with --sot: SOT in the prior's units, through our heads")
    parser.add_argument('--symmetric', action='store_true', help='the flip-invariant EIoU')
    parser.add_argument('--decoded', action='store_true',
                        help='also L1/Smooth-L1 losses of delta-regressing heads, on decoded '
                        'boxes (reg_decoded_bbox=True)')
    args = parser.parse_args(argv)
    from mmdet_eiou.eiou_variant import (change_table, eiou_variant, relative_base,
                                         write_variant)
    try:
        variant, changes = eiou_variant(args.config, power=args.power, sot=args.sot,
                                        symmetric=args.symmetric, decoded=args.decoded,
                                        priors=args.priors,
                                        base=relative_base(args.config, args.out))
    except ValueError as err:
        raise SystemExit(f'to_eiou: {err}')
    write_variant(variant, args.out)
    print(change_table(changes))
    print(f'\nwrote {args.out}')


if __name__ == '__main__':
    main()
