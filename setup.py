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


def requirements(name):
    """The requirement lines of ``requirements/<name>.txt`` (comments and blanks dropped)."""
    with open(osp.join(HERE, 'requirements', f'{name}.txt')) as f:
        return [line.split('#')[0].strip() for line in f if line.split('#')[0].strip()]


#: what `mim train mmdet_eiou` finds in the package: the configs and the add-on's launch
#: tools (the lab's tools and the setup scripts stay out)
MIM_TOOLS = ('train.py', 'test.py', 'dist_train.sh', 'dist_test.sh', 'slurm_train.sh',
             'slurm_test.sh')


def add_mim_extension():
    """Make configs/ and the launch tools part of the package as ``mmdet_eiou/.mim``.

    ``mim train mmdet_eiou CFG`` runs ``mmdet_eiou/.mim/tools/train.py`` (and the lab's
    study runner the same tools). mmengine 0.10 resolves ``_base_ = 'pkg::...'`` only for the
    OpenMMLab packages it lists, so ``'mmdet_eiou::'`` does not work. As in mmdet's own
    setup.py: links for an editable install (so edits show at once), copies for a wheel/sdist
    (which, built in place, replaces an editable install's links: build from a copy).
    """
    if {'develop', 'editable_wheel'} & set(sys.argv):
        mode = 'symlink'
    elif {'sdist', 'bdist_wheel', 'build', 'build_py'} & set(sys.argv):
        mode = 'copy'
    else:
        return
    mim_root = osp.join(HERE, 'mmdet_eiou', '.mim')
    tools = osp.join(mim_root, 'tools')
    if osp.islink(tools):  # an older layout linked the whole tools/ folder: never write into it
        os.remove(tools)
    os.makedirs(tools, exist_ok=True)
    pairs = [(osp.join(HERE, 'configs'), osp.join(mim_root, 'configs'))]
    pairs += [(osp.join(HERE, 'tools', name), osp.join(mim_root, 'tools', name))
              for name in MIM_TOOLS]
    for src, dst in pairs:
        if osp.islink(dst) or osp.isfile(dst):
            os.remove(dst)
        elif osp.isdir(dst):
            shutil.rmtree(dst)
        if mode == 'symlink':
            os.symlink(osp.relpath(src, osp.dirname(dst)), dst)
        elif osp.isdir(src):
            shutil.copytree(src, dst)
        else:
            shutil.copy2(src, dst)


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
        package_data={'mmdet_eiou': ['.mim/configs/**/*.py', '.mim/tools/*']},
        python_requires='>=3.9',
        classifiers=[
            'License :: OSI Approved :: Apache Software License',
            'Operating System :: OS Independent',
            'Programming Language :: Python :: 3',
            'Programming Language :: Python :: 3.9',  # the ops (README "Compatibility")
            'Programming Language :: Python :: 3.11',
            'Topic :: Scientific/Engineering :: Artificial Intelligence',
        ],
        # Like mmyolo and mmpretrain: the OpenMMLab stack (or its OneDL fork) is the user's,
        # installed by mim (requirements/mminstall.txt), and torch is theirs too (pip would
        # fetch another build); `import mmdet_eiou` checks the versions (mmdet_eiou/version.py).
        install_requires=requirements('runtime'),
        extras_require={'mim': requirements('mminstall'), 'tests': requirements('tests')},
        zip_safe=False,
    )
