"""Compiled or eager kernels: the one switch for how the EIoU maths runs.

The forward and the backward of :mod:`mmdet_eiou.ops.eiou` are each a few dozen element-wise
ops on ``(N,)`` rows. ``torch.compile`` fuses each into one vectorised loop (no ``(N,)``
temporaries). Where no compiler works (no C++ toolchain, unsupported platform) a kernel falls
back to eager once, with a warning, unless compiling was insisted on.

The default comes from ``MMDET_EIOU_COMPILE`` (read once, at import): ``0`` forces eager,
``1`` insists on compiling (a compiler failure raises), unset compiles with the fallback.
:func:`set_compile_mode` and :func:`compile_mode` override it from Python.
"""
import contextlib
import os
import warnings
from typing import Callable, Iterator, Optional

_ENV = os.environ.get('MMDET_EIOU_COMPILE')
#: ``True``: compile (failures raise), ``False``: eager, ``None``: compile with fallback.
_DEFAULT_MODE: Optional[bool] = (
    None if _ENV is None else _ENV not in ('0', 'false', 'False', ''))
_mode: Optional[bool] = _DEFAULT_MODE


def set_compile_mode(enabled: Optional[bool]) -> None:
    """``True``: fused (compiled) kernels, failures raise; ``False``: eager; ``None``: the
    environment default (compile, falling back to eager once if the compiler fails)."""
    global _mode
    _mode = _DEFAULT_MODE if enabled is None else bool(enabled)


def get_compile_mode() -> Optional[bool]:
    """The current mode, as :func:`set_compile_mode` takes it."""
    return _mode


@contextlib.contextmanager
def compile_mode(enabled: Optional[bool]) -> Iterator[None]:
    """Run a block with the given mode, then restore the previous one."""
    previous = _mode
    set_compile_mode(enabled)
    try:
        yield
    finally:
        set_compile_mode(previous)


class FusedKernel:
    """Calls ``fn`` compiled (``torch.compile(dynamic=True)``, built on first use) or eager,
    following the current mode."""

    def __init__(self, fn: Callable) -> None:
        self.fn = fn
        self._compiled: Optional[Callable] = None
        self._failed = False  # a compiler failure under the fallback mode: eager from then on

    def __call__(self, *args):
        if _mode is False or (_mode is None and self._failed):
            return self.fn(*args)
        if self._compiled is None:
            import torch
            self._compiled = torch.compile(self.fn, dynamic=True)
        if _mode is True:
            return self._compiled(*args)
        try:
            return self._compiled(*args)
        except Exception as err:  # noqa: BLE001  (any compiler failure: fall back, once)
            self._failed = True
            first_line = str(err).splitlines()[0] if str(err) else ''
            warnings.warn(f'mmdet_eiou: torch.compile of {self.fn.__name__} failed '
                          f'({type(err).__name__}: {first_line}); using the eager kernel (same '
                          'results, slower). Set MMDET_EIOU_COMPILE=0 to skip the attempt.')
            return self.fn(*args)
