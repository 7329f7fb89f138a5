"""Generate the synthetic shapes detection set (COCO json + PNGs) into a folder.

    python tools/make_synthetic_data.py --out data/synthetic --seed 0 --num-train 200 --num-val 50
    python tools/make_synthetic_data.py --out data/precision --style precision --seed 0 \\
        --num-train 1000 --num-val 300 --num-test 1000

A thin command line over ``eiou_lab.datasets.make_dataset``: the generator, its styles and
the file layout are described in ``lab/eiou_lab/datasets/synthetic_shapes.py``.
"""
import argparse

from eiou_lab.datasets.synthetic_shapes import STYLES, format_summary, make_dataset


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', required=True, help='output directory')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--num-train', type=int, default=200)
    parser.add_argument('--num-val', type=int, default=50)
    parser.add_argument('--num-test', type=int, default=0, help='0: no test split')
    parser.add_argument('--img-size', type=int, default=160, help='side of the square images')
    parser.add_argument('--style', choices=sorted(STYLES), default='hard',
                        help="'hard': the original cluttered set; 'precision': a localisation "
                        'benchmark (easy recognition, exact boxes, wide sizes and aspects)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    summary = make_dataset(args.out, args.seed, args.num_train, args.num_val, args.num_test,
                           args.img_size, args.style)
    print(format_summary(summary, args.out, args.style))


if __name__ == '__main__':
    main()
