"""mmdet-eiou: the systematic IoU-related method of Peng & Yu (TIP 2021) for MMDetection 3.x."""
import os
import os.path as osp
import shutil
import sys

from setuptools import find_packages, setup

HERE = osp.dirname(osp.abspath(__file__))


def get_version():
    scope = {}
    with open(osp.join(HERE, 'mmdet_eiou', 'version.py')) as f:
        exec(f.read(), scope)
    return scope['__version__']


def add_mim_extension():
    """Make configs/ and tools/ part of the package as ``mmdet_eiou/.mim``.

    ``mim train mmdet_eiou CFG`` runs ``mmdet_eiou/.mim/tools/train.py`` and
    ``_base_ = 'mmdet_eiou::...'`` reads ``mmdet_eiou/.mim/configs``. As in mmdet's own
    setup.py: links for an editable install (so edits show at once), copies for a wheel/sdist.
    """
    if {'develop', 'editable_wheel'} & set(sys.argv):
        mode = 'symlink'
    elif {'sdist', 'bdist_wheel', 'build', 'build_py'} & set(sys.argv):
        mode = 'copy'
    else:
        return
    mim_root = osp.join(HERE, 'mmdet_eiou', '.mim')
    os.makedirs(mim_root, exist_ok=True)
    for name in ('configs', 'tools'):
        src, dst = osp.join(HERE, name), osp.join(mim_root, name)
        if osp.islink(dst) or osp.isfile(dst):
            os.remove(dst)
        elif osp.isdir(dst):
            shutil.rmtree(dst)
        if mode == 'symlink':
            os.symlink(osp.relpath(src, mim_root), dst)
        else:
            shutil.copytree(src, dst)


if __name__ == '__main__':
    add_mim_extension()
    setup(
        name='mmdet-eiou',
        version=get_version(),
        description='Extended IoU loss, CT, SOT, IoU head and corner coder for MMDetection 3.x',
        long_description=open(osp.join(HERE, 'README.md'), encoding='utf-8').read(),
        long_description_content_type='text/markdown',
        license='Apache-2.0',
        packages=find_packages(include=['mmdet_eiou', 'mmdet_eiou.*']),
        include_package_data=True,
        package_data={'mmdet_eiou': ['.mim/configs/**/*.py', '.mim/tools/*', '.mim/tools/**/*']},
        python_requires='>=3.9',
        # torch and mmcv are deliberately not listed: pip would fetch a CUDA torch, and mmcv
        # must be built from source with ops. tools/setup_env.sh installs the pinned stack.
        install_requires=['mmengine>=0.10.7,<0.11', 'mmdet>=3.3.0,<3.4', 'pycocotools',
                          'numpy', 'matplotlib'],
        extras_require={'tests': ['pytest', 'hypothesis']},
        zip_safe=False,
    )
