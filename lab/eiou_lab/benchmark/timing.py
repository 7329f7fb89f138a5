"""The one timer of the benchmarks: the median of repeated calls, CUDA events on a GPU."""
import statistics
import time
from typing import Callable, Union

import torch


def median_ms(fn: Callable[[], object],
              device: Union[str, torch.device],
              warmup: int = 3,
              reps: int = 30) -> float:
    """Median milliseconds of ``fn()`` over ``reps`` calls, after ``warmup`` untimed calls
    (the first compiles, allocates, fills caches).

    On a GPU each call is timed by CUDA events recorded around it and waited for before the
    next call, so that the time is the GPU's, not the launch's; on the CPU by
    ``time.perf_counter``.
    """
    on_gpu = torch.device(device).type == 'cuda'
    for _ in range(warmup):
        fn()
    if on_gpu:
        torch.cuda.synchronize(device)
    times = []
    for _ in range(reps):
        if on_gpu:
            start, end = (torch.cuda.Event(enable_timing=True) for _ in range(2))
            start.record()
            fn()
            end.record()
            end.synchronize()
            times.append(start.elapsed_time(end))
        else:
            t0 = time.perf_counter()
            fn()
            times.append(1e3 * (time.perf_counter() - t0))
    return statistics.median(times)
