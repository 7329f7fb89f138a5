"""What `pip install .` installs: the add-on alone (no lab, no setup scripts), requiring
nothing of the OpenMMLab stack or torch, so that it installs into an existing OpenMMLab or
OneDL environment without replacing anything; and the add-on never imports the lab."""
import ast
import os
import os.path as osp
import shutil
import subprocess
import sys
import zipfile

from conftest import ROOT

STACK = ('torch', 'mmengine', 'mmcv', 'mmdet', 'onedl')


def test_the_wheel_holds_the_add_on_and_requires_no_stack(tmp_path):
    # built from a copy: a wheel build turns the editable install's .mim links into copies
    source = tmp_path / 'source'
    source.mkdir()
    for name in ('setup.py', 'README.md', 'MANIFEST.in', 'LICENSE', 'requirements', 'configs',
                 'tools', 'mmdet_eiou'):
        copy = shutil.copytree if osp.isdir(osp.join(ROOT, name)) else shutil.copy
        copy(osp.join(ROOT, name), source / name, **(
            dict(symlinks=True, ignore=shutil.ignore_patterns('.mim', '__pycache__'))
            if copy is shutil.copytree else {}))
    subprocess.run([sys.executable, '-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation',
                    '-q', '-w', str(tmp_path), str(source)], check=True, cwd=tmp_path)
    wheel, = [f for f in os.listdir(tmp_path) if f.endswith('.whl')]
    with zipfile.ZipFile(tmp_path / wheel) as zf:
        names = zf.namelist()
        metadata = zf.read(next(n for n in names if n.endswith('METADATA'))).decode()
    packages = {n.split('/')[0] for n in names if not n.split('/')[0].endswith('.dist-info')}
    assert packages == {'mmdet_eiou'}
    tools = sorted(osp.basename(n) for n in names if '/.mim/tools/' in n)
    assert tools == sorted(['dist_test.sh', 'dist_train.sh', 'slurm_test.sh', 'slurm_train.sh',
                            'test.py', 'train.py'])
    assert any('/.mim/configs/eiou/' in n for n in names)
    required = [line.split(':', 1)[1].strip() for line in metadata.splitlines()
                if line.startswith('Requires-Dist:') and 'extra ==' not in line]
    assert not [r for r in required if r.lower().startswith(STACK)], required


def test_the_add_on_never_imports_the_lab():
    offenders = []
    for folder, _, files in os.walk(osp.join(ROOT, 'mmdet_eiou')):
        for name in files:
            if not name.endswith('.py'):
                continue
            path = osp.join(folder, name)
            for node in ast.walk(ast.parse(open(path).read())):
                modules = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                           [node.module or ''] if isinstance(node, ast.ImportFrom) else [])
                offenders += [(path, m) for m in modules if m.split('.')[0] == 'eiou_lab']
    assert not offenders
