"""Compiled or eager kernels: the one switch for how the EIoU maths runs.

The forward and the backward of :mod:`mmdet_eiou.ops.eiou` are each a few dozen element-wise
ops on ``(N,)`` rows. ``torch.compile`` fuses each into one vectorised loop (no ``(N,)``
temporaries). Where no compiler works (no C++ toolchain, unsupported platform) a kernel falls
back to eager once, with a warning, unless compiling was insisted on.

Each *variant* of a kernel (its Python arguments' values, its tensors' dtypes and devices,
which optional tensors are given: power x SOT x symmetric x dtype x ...) is compiled from its
own copy of the function. Dynamo keeps compiled code, and counts recompilations against
``torch._dynamo.config.recompile_limit`` (8), per code object; with one code object, a process
that meets more than 8 variants (a power sweep in a notebook or a study worker) got a wall of
warnings and then silently ran eager. Per variant, the only recompilations left are dynamic
shapes' specialisations of ``N`` 0 and 1.

The default comes from ``MMDET_EIOU_COMPILE`` (read once, at import): ``0`` forces eager,
``1`` insists on compiling (a compiler failure raises), unset compiles with the fallback.
:func:`set_compile_mode` and :func:`compile_mode` override it from Python.
"""
import contextlib
import os
import types
import warnings
from typing import Any, Callable, Dict, Hashable, Iterator, Optional, Tuple

import torch

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


_PLAIN = (bool, type(None), str)


def variant_key(args: Tuple[Any, ...]) -> Hashable:
    """What dynamo specialises a call on, read on the host (~2 us): a tensor's dtype and
    device, a bool's or ``None``'s value; not a float's or an int's (``dynamic=True`` keeps
    them symbolic, as it keeps the box count)."""
    return tuple([(a.dtype, a.device) if isinstance(a, torch.Tensor)
                  else a if isinstance(a, _PLAIN) else a.__class__ for a in args])


def _own_code_copy(fn: Callable, tag: int) -> Callable:
    """``fn`` with a code object of its own (named ``<name>_variant<tag>``, which dynamo's logs
    show), so that dynamo caches its compilations apart."""
    code = fn.__code__.replace(co_name=f'{fn.__code__.co_name}_variant{tag}')
    copy = types.FunctionType(code, fn.__globals__, code.co_name, fn.__defaults__,
                              fn.__closure__)
    copy.__kwdefaults__ = fn.__kwdefaults__
    return copy


class FusedKernel:
    """Calls ``fn`` compiled (``torch.compile(dynamic=True)``, one compilation per variant,
    built on its first use, see the module docstring) or eager, following the current mode.
    ``backend``: ``torch.compile``'s (tests use ``'eager'``: dynamo without code generation)."""

    def __init__(self, fn: Callable, backend: str = 'inductor') -> None:
        self.fn = fn
        self.backend = backend
        self._compiled: Dict[Hashable, Callable] = {}
        self._failed = False  # a compiler failure under the fallback mode: eager from then on

    def __call__(self, *args):
        if _mode is False or (_mode is None and self._failed):
            return self.fn(*args)
        key = variant_key(args)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = torch.compile(_own_code_copy(self.fn, len(self._compiled)),
                                     dynamic=True, backend=self.backend)
            self._compiled[key] = compiled
        if _mode is True:
            return compiled(*args)
        try:
            return compiled(*args)
        except Exception as err:  # noqa: BLE001  (any compiler failure: fall back, once)
            self._failed = True
            first_line = str(err).splitlines()[0] if str(err) else ''
            warnings.warn(f'mmdet_eiou: torch.compile of {self.fn.__name__} failed '
                          f'({type(err).__name__}: {first_line}); using the eager kernel (same '
                          'results, slower). Set MMDET_EIOU_COMPILE=0 to skip the attempt.')
            return self.fn(*args)
