"""Write configs/eiou/*.py into the add-on as pure-Python config modules (mmdet_eiou/configs/),
which a user's project inherits with ``read_base()`` (README "Quickstart").

    python tools/export_configs.py [--out mmdet_eiou/configs]
"""
import argparse
import glob
import os
import os.path as osp
import warnings

warnings.filterwarnings('ignore', message='pkg_resources is deprecated', category=UserWarning)

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', default=osp.join(ROOT, 'mmdet_eiou', 'configs'))
    args = parser.parse_args(argv)
    from eiou_lab.config_export import exported_config, module_name
    os.makedirs(args.out, exist_ok=True)
    open(osp.join(args.out, '__init__.py'), 'w').write(
        '"""Our configs (configs/eiou/) as pure-Python config modules, for read_base()."""\n')
    for path in sorted(glob.glob(osp.join(ROOT, 'configs', 'eiou', '*.py'))):
        target = osp.join(args.out, module_name(path) + '.py')
        with open(target, 'w') as f:
            f.write(exported_config(path, osp.relpath(path, osp.join(ROOT, 'configs'))))
        print(target)


if __name__ == '__main__':
    main()
