"""tools/setup_env.sh runs one at a time: a second setup waits for the lock the first holds."""
import fcntl
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import PYTHON, ROOT

# Without flock(1) the script sets up unlocked (it says nothing then); util-linux has it.
pytestmark = pytest.mark.skipif(shutil.which('flock') is None, reason='no flock(1) here')
# what the script's stamp fingerprints, in its order (sha256 of them concatenated)
STAMPED = ('requirements/stack.txt', 'tools/setup_env.sh', 'setup.py', 'lab/setup.py')


def up_to_date_checkout(root):
    """A checkout whose .venv is stamped as up to date, its python the test interpreter: the
    script then only checks that the stack imports, and installs nothing."""
    for rel in STAMPED:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(Path(ROOT) / rel, root / rel)
    bin_dir = root / '.venv' / 'bin'
    bin_dir.mkdir(parents=True)
    (bin_dir / 'python').write_text(f'#!/bin/sh\nexec {PYTHON} "$@"\n')
    (bin_dir / 'python').chmod(0o755)
    fingerprint = hashlib.sha256(b''.join((root / rel).read_bytes() for rel in STAMPED)).hexdigest()
    (root / '.venv' / '.mmdet_eiou_stack').write_text(fingerprint + '\n')


def test_a_second_setup_waits_for_the_one_holding_the_lock(tmp_path):
    root, cache = tmp_path / 'checkout', tmp_path / 'cache'
    up_to_date_checkout(root)
    cache.mkdir()
    env = dict(os.environ, MMDET_EIOU_CACHE=str(cache))
    with open(cache / 'setup.lock', 'w') as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # a first setup, still running
        proc = subprocess.Popen(['bash', str(root / 'tools' / 'setup_env.sh')], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            first = proc.stdout.readline()
            assert 'waiting' in first, first
            assert proc.poll() is None  # blocked on the lock, nothing checked or installed
        except BaseException:
            proc.kill()
            raise
    out, _ = proc.communicate(timeout=300)  # the first setup ended: the lock is free
    assert proc.returncode == 0, first + out
    assert 'environment is up to date' in out and '[setup] ok' in out, out


def test_a_setup_alone_does_not_wait(tmp_path):
    root, cache = tmp_path / 'checkout', tmp_path / 'cache'
    up_to_date_checkout(root)
    proc = subprocess.run(['bash', str(root / 'tools' / 'setup_env.sh')],
                          env=dict(os.environ, MMDET_EIOU_CACHE=str(cache)),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert 'waiting' not in proc.stdout and '[setup] ok' in proc.stdout
    assert (cache / 'setup.lock').is_file()  # made on the way
