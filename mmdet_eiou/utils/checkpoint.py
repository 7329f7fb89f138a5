"""Safe (weights-only) checkpoint loading for mmengine 0.10.7 under torch >= 2.6.

torch >= 2.6 loads with ``weights_only=True`` by default, and mmengine 0.10.7 calls plain
``torch.load``: its own checkpoints then fail to load (``HistoryBuffer was not an allowed
global``), so ``--resume`` breaks. Switching safe loading off would let any checkpoint run code.
Instead we allow-list exactly the globals that mmengine/mmdet checkpoints contain (the message
hub's ``HistoryBuffer`` and the numpy arrays and scalars in its logs) and, before resuming, scan
the checkpoint's pickle for any other global and refuse it with a clear message. The scan reads
the pickle opcodes; nothing in the file is executed.
"""
import os.path as osp
from typing import List, Optional

import numpy as np
import torch
from mmengine.logging import HistoryBuffer

#: ``module.name`` of every global that an mmengine/mmdet training checkpoint may hold beyond
#: what torch's weights-only unpickler allows by itself (tensors, containers, OrderedDict).
#: Found by scanning checkpoints written by our tools (tests/test_checkpoint.py keeps it exact).
def _numpy_globals() -> list:
    core = np._core if hasattr(np, '_core') else np.core
    dtype_classes = [type(np.dtype(t)) for t in (
        np.float64, np.float32, np.float16, np.int64, np.int32, np.int16, np.int8, np.uint8,
        np.bool_)]
    return [core.multiarray._reconstruct, core.multiarray.scalar, np.ndarray, np.dtype,
            *dtype_classes]


def safe_checkpoint_globals() -> list:
    """The objects allow-listed for weights-only loading of our checkpoints."""
    return [HistoryBuffer, *_numpy_globals()]


def _global_name(obj) -> str:
    return f'{obj.__module__}.{obj.__qualname__}'


def allow_mmengine_checkpoints() -> None:
    """Allow-list :func:`safe_checkpoint_globals` for ``torch.load(weights_only=True)``.

    Idempotent. Called by our tools before the Runner loads or resumes; it only extends torch's
    allow-list (``torch.serialization.add_safe_globals``), never turns safe loading off.
    """
    torch.serialization.add_safe_globals(safe_checkpoint_globals())


def unsafe_globals(filename: str) -> List[str]:
    """Globals in checkpoint ``filename`` that are outside the allow-list, without loading it."""
    allowed = {_global_name(g) for g in safe_checkpoint_globals()}
    allowed |= {_global_name(g) for g in torch.serialization.get_safe_globals()
                if not isinstance(g, tuple)}
    found = torch.serialization.get_unsafe_globals_in_checkpoint(filename)
    # numpy exposes some classes under two module paths (numpy.core vs numpy._core)
    return sorted(g for g in found if g not in allowed
                  and g.replace('numpy.core.', 'numpy._core.') not in allowed)


class UnsafeCheckpointError(RuntimeError):
    """A checkpoint holds globals that safe loading does not allow."""


def check_checkpoint_is_safe(filename: str) -> None:
    """Raise :class:`UnsafeCheckpointError` if ``filename`` holds a global outside the list."""
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint {filename} does not exist')
    bad = unsafe_globals(filename)
    if bad:
        raise UnsafeCheckpointError(
            f'refusing to load {filename}: it contains globals that an mmengine/mmdet '
            f'checkpoint never holds: {bad}. Nothing from it was executed. Only load '
            'checkpoints you trust; if this one is yours and the global is harmless, extend '
            'mmdet_eiou.utils.checkpoint.safe_checkpoint_globals.')


def resume_checkpoint_path(cfg) -> Optional[str]:
    """The file that ``Runner`` will resume from for ``cfg`` (as ``Runner.load_or_resume``)."""
    from mmengine.runner import find_latest_checkpoint
    if not cfg.get('resume'):
        return None
    if cfg.get('load_from'):
        return cfg.load_from
    return find_latest_checkpoint(cfg.work_dir) if osp.isdir(cfg.work_dir) else None


def verify_resume_checkpoint(cfg) -> None:
    """Before the Runner starts, refuse an unsafe checkpoint it would resume from."""
    path = resume_checkpoint_path(cfg)
    if path is not None and '://' not in path:
        check_checkpoint_is_safe(path)
