"""What a measurement ran on: versions, the device, the optional packages present."""
import os
import platform
import subprocess
from importlib import metadata
from typing import Dict, Optional

import torch

OPTIONAL_PACKAGES = ('triton', 'torchvision', 'mmengine', 'mmcv', 'mmdet')


def describe_environment(device: torch.device, repo: Optional[str] = None) -> Dict[str, str]:
    """Python, torch (and its CUDA), threads, the device's name, each optional package's
    version (or 'not installed') and, given ``repo``, its git commit (None outside git)."""
    env = dict(python=platform.python_version(), torch=torch.__version__,
               torch_cuda=str(torch.version.cuda), threads=str(torch.get_num_threads()),
               device=str(device), device_name=device_name(device))
    for name in OPTIONAL_PACKAGES:
        try:
            env[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            env[name] = 'not installed'
    if repo is not None:
        env['commit'] = git_commit(repo)
    return env


def device_name(device: torch.device) -> str:
    """The GPU's name, or the CPU's model and core count (Linux; else what platform knows)."""
    if device.type == 'cuda':
        return torch.cuda.get_device_name(device)
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return f'{line.split(":", 1)[1].strip()} ({os.cpu_count()} cores)'
    except OSError:
        pass
    return platform.processor() or platform.machine()


def git_commit(repo: str) -> Optional[str]:
    """Short commit of ``repo``'s HEAD; None where there is no git (a copied working tree)."""
    try:
        out = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=repo,
                             capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return out or None
