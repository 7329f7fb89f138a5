"""A config against its EIoU variant: the two rows of an A/B study.

:func:`ab_rows` writes, into a folder of the study's, the baseline row (the config itself, or
a one-line config inheriting an ``mmdet::`` path, so that the row is a file) and its EIoU
variant (:func:`mmdet_eiou.eiou_variant.eiou_variant`, inheriting the baseline row); the study
runner then trains and scores both over paired seeds (``tools/ab_eiou.py``).
"""
import os
import os.path as osp
from typing import List, Tuple

from mmdet_eiou.eiou_variant import Change, eiou_variant, write_variant


def ab_rows(config: str, folder: str, **options) -> Tuple[str, str, List[Change]]:
    """``(baseline row, EIoU row, changes)`` for ``config`` (a file or an ``mmdet::`` path),
    written into ``folder``; ``options`` are :func:`eiou_variant`'s. A file config is its own
    baseline row; the variant inherits it by a path relative to ``folder``."""
    os.makedirs(folder, exist_ok=True)
    name = osp.splitext(osp.basename(config.split('::')[-1]))[0]
    if '::' in config:
        baseline = osp.join(folder, f'{name}.py')
        with open(baseline, 'w') as f:
            f.write(f"_base_ = '{config}'\n")
    else:
        baseline = config
    variant_path = osp.join(folder, f'{name}_eiou.py')
    base = osp.relpath(osp.abspath(baseline), osp.abspath(folder))
    variant, changes = eiou_variant(baseline, base=base, **options)
    write_variant(variant, variant_path)
    return baseline, variant_path, changes
