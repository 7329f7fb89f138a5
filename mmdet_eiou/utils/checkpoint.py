"""Safe (weights-only) checkpoint loading for mmengine 0.10.7 under torch >= 2.6.

torch >= 2.6 loads with ``weights_only=True`` by default, and mmengine 0.10.7 calls plain
``torch.load``: its own checkpoints then fail to load (``HistoryBuffer was not an allowed
global``), so ``--resume`` breaks. Switching safe loading off would let any checkpoint run code.
Instead we allow-list exactly the globals that mmengine/mmdet checkpoints contain, found by
scanning checkpoints written by our tools (tests/test_checkpoint.py keeps the list exact):

* ``mmengine.logging.HistoryBuffer`` (the message hub's logs) and the numpy pieces of its
  arrays and scalars: ``ndarray``, ``dtype`` and its numeric classes, ``_reconstruct`` and
  ``scalar`` (under both ``numpy._core`` and numpy 1's ``numpy.core``, so older checkpoints
  load too);
* ``builtins.getattr``, which pickle uses for the buffer's statistics methods
  (``getattr(HistoryBuffer, 'mean')``). The real ``getattr`` would hand out any attribute of
  any loaded object, so the name is bound to :func:`_history_buffer_method`, which only
  returns a statistics method of ``HistoryBuffer``.

Before loading, :func:`check_checkpoint_is_safe` lists the checkpoint's globals from its pickle
opcodes (nothing in the file is executed) and refuses any other with a clear message.
"""
import os.path as osp
from typing import List, Optional

import numpy as np
import torch
from mmengine.logging import HistoryBuffer


class UnsafeCheckpointError(RuntimeError):
    """A checkpoint holds globals that safe loading does not allow."""


def _history_buffer_method(obj, name: str):
    """``getattr`` as pickled for ``HistoryBuffer``: only its statistics methods (the
    functions ``HistoryBuffer.min``, ``.max``, ``.current``, ``.mean`` and registered ones)."""
    if obj is not HistoryBuffer or name not in HistoryBuffer()._statistics_methods:
        raise UnsafeCheckpointError(
            f'checkpoint asks for attribute {name!r} of {obj!r}: only the statistics methods '
            'of mmengine.logging.HistoryBuffer are allowed')
    return getattr(HistoryBuffer, name)


def safe_checkpoint_globals() -> list:
    """What :func:`allow_mmengine_checkpoints` allow-lists, in ``add_safe_globals`` form."""
    core = np._core if hasattr(np, '_core') else np.core
    # numpy 2 rebuilds a dtype as an instance of its class (``numpy.dtypes.Float64DType``)
    # and sets its state, which weights-only loading allows only for listed types
    dtype_classes = [type(np.dtype(t)) for t in (
        np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
        np.uint64, np.float16, np.float32, np.float64)]
    allowed = [HistoryBuffer, np.ndarray, np.dtype, *dtype_classes,
               (_history_buffer_method, 'builtins.getattr')]
    for module in ('numpy._core.multiarray', 'numpy.core.multiarray'):
        allowed += [(core.multiarray._reconstruct, f'{module}._reconstruct'),
                    (core.multiarray.scalar, f'{module}.scalar')]
    return allowed


def allow_mmengine_checkpoints() -> None:
    """Allow-list :func:`safe_checkpoint_globals` for ``torch.load(weights_only=True)``.

    Idempotent. Our tools call it before the Runner loads or resumes; it only extends torch's
    allow-list (``torch.serialization.add_safe_globals``), never turns safe loading off.
    """
    torch.serialization.add_safe_globals(safe_checkpoint_globals())


def unsafe_globals(filename: str) -> List[str]:
    """Globals in checkpoint ``filename`` outside torch's and our allow-list (not loaded)."""
    allow_mmengine_checkpoints()
    return sorted(torch.serialization.get_unsafe_globals_in_checkpoint(filename))


def check_checkpoint_is_safe(filename: str) -> None:
    """Raise :class:`UnsafeCheckpointError` if ``filename`` holds a global outside the list."""
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint {filename} does not exist')
    bad = unsafe_globals(filename)
    if bad:
        raise UnsafeCheckpointError(
            f'refusing to load {filename}: it contains globals that an mmengine/mmdet '
            f'checkpoint never holds: {bad}. Nothing from it was executed. Load only '
            'checkpoints you trust; if this one is yours and the global is harmless, extend '
            'mmdet_eiou.utils.checkpoint.safe_checkpoint_globals.')


def resume_checkpoint_path(cfg) -> Optional[str]:
    """The file that ``Runner.load_or_resume`` will resume from for ``cfg``, if any."""
    from mmengine.runner import find_latest_checkpoint
    if not cfg.get('resume'):
        return None
    if cfg.get('load_from'):
        return cfg.load_from
    return find_latest_checkpoint(cfg.work_dir) if osp.isdir(cfg.work_dir) else None


def verify_resume_checkpoint(cfg) -> None:
    """Before the Runner starts, refuse an unsafe local checkpoint it would resume from."""
    path = resume_checkpoint_path(cfg)
    if path is not None and '://' not in path:
        check_checkpoint_is_safe(path)
