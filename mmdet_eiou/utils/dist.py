"""Distributed launch on hosts without CUDA (gloo), for tools/train.py and tools/test.py.

mmengine 0.10.7's ``init_dist`` calls ``torch.cuda.set_device`` for the pytorch and slurm
launchers, and ``Runner.wrap_model`` gives DDP ``device_ids=[LOCAL_RANK]``; both fail on a CPU
host. The Runner skips ``init_dist`` when a process group already exists and takes
``model_wrapper_cfg`` as given, so on such hosts we initialise gloo ourselves and ask for a
device-less DDP. Nothing in mmengine is changed.
"""
import os
import subprocess

import torch
import torch.distributed as dist


def _slurm_env(port: str) -> None:
    """Set the torch.distributed variables from Slurm's, as mmengine's ``_init_dist_slurm``."""
    node_list = os.environ['SLURM_NODELIST']
    addr = subprocess.getoutput(f'scontrol show hostname {node_list} | head -n1').strip()
    if not addr or ' ' in addr:
        raise RuntimeError(f'could not resolve the first host of SLURM_NODELIST={node_list!r} '
                           f'with scontrol: {addr!r}')
    os.environ.setdefault('MASTER_ADDR', addr)
    os.environ.setdefault('MASTER_PORT', port)
    os.environ['WORLD_SIZE'] = os.environ['SLURM_NTASKS']
    os.environ['RANK'] = os.environ['SLURM_PROCID']
    os.environ['LOCAL_RANK'] = os.environ.get('SLURM_LOCALID', '0')


def _mpi_env(port: str) -> None:
    os.environ.setdefault('MASTER_ADDR', '127.0.0.1')
    os.environ.setdefault('MASTER_PORT', port)
    os.environ['WORLD_SIZE'] = os.environ['OMPI_COMM_WORLD_SIZE']
    os.environ['RANK'] = os.environ['OMPI_COMM_WORLD_RANK']
    os.environ['LOCAL_RANK'] = os.environ.get('OMPI_COMM_WORLD_LOCAL_RANK', '0')


def setup_cpu_distributed(launcher: str, cfg) -> bool:
    """Start a gloo process group for ``launcher`` when CUDA is unavailable.

    Returns True when it did (and set ``cfg.model_wrapper_cfg`` for device-less DDP); False
    when there is nothing to do (no launcher, CUDA present, or a group already exists), in
    which case mmengine launches as usual.
    """
    if launcher == 'none' or torch.cuda.is_available() or dist.is_initialized():
        return False
    port = str(cfg.get('env_cfg', {}).get('dist_cfg', {}).get('port', 29500))
    if launcher == 'slurm':
        _slurm_env(port)
    elif launcher == 'mpi':
        _mpi_env(port)
    elif launcher != 'pytorch':
        raise ValueError(f'unknown launcher {launcher!r}')
    missing = [k for k in ('MASTER_ADDR', 'MASTER_PORT', 'RANK', 'WORLD_SIZE')
               if k not in os.environ]
    if missing:
        raise RuntimeError(f'--launcher {launcher} needs {missing} in the environment '
                           '(torchrun, srun or mpirun set them)')
    dist.init_process_group(backend='gloo', rank=int(os.environ['RANK']),
                            world_size=int(os.environ['WORLD_SIZE']))
    wrapper = dict(cfg.get('model_wrapper_cfg') or {})
    wrapper.setdefault('type', 'MMDistributedDataParallel')
    wrapper.setdefault('broadcast_buffers', False)
    wrapper.setdefault('find_unused_parameters', cfg.get('find_unused_parameters', False))
    wrapper['device_ids'] = None  # DDP over CPU modules
    cfg.model_wrapper_cfg = wrapper
    return True


def teardown_distributed() -> None:
    """Destroy the process group, if any, once the Runner has finished.

    torch's distributed docs ("Shutdown") ask for this before exit, rather than leaving the
    group to go down with the interpreter."""
    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()
