"""Self-contained check of the EIoU loss on a device: correctness, compile, speed, host syncs.

    python tools/gpu_check.py [--device cuda|cpu] [--out DIR] [--sizes N ...] [--quick]
        [--reps R] [--sections environment compile correctness speed syncs training]

Needs torch alone (and ``mmdet_eiou.ops``, pure torch); torchvision, mmdet, mmcv and mmengine
are used when they import, and each that does not is recorded as 'not installed'. Prints a
Markdown table (one row per check: section, check, result, detail), writes
``DIR/gpu_check.json`` (every row and every measurement) and ``DIR/gpu_check.md`` (the tables),
and exits 1 when any check FAILs. Sections, in the order they run:

* environment: versions, device, optional packages, whether mmcv's ops run on the device;
* compile: the cold first forward+backward of the compiled loss (this process's first
  compile; whether the on-disk inductor cache already had entries is recorded), and the
  recompilations over 10 box counts (``torch._dynamo.utils.counters['stats']
  ['unique_graphs']`` counts every graph dynamo compiles; ``dynamic=True`` should need none);
* correctness: values and gradients of ``eiou_loss`` (p = 1, 2; SOT off, on with the target's
  area, on with given areas) on the device in float32, eager and compiled, against the same
  maths in float64 eager on the CPU, on random pairs and on the four Fig. 2 configurations
  (and their mirror images); float64 ``gradcheck`` on the device, eager and compiled; float16
  and bfloat16 inputs and autocast give finite losses and gradients;
* speed: forward+backward at each N against torchvision's GIoU/CIoU losses, an eager
  plain-torch GIoU (always there, a stand-in where torchvision is not) and mmdet's GIoULoss and
  SmoothL1Loss; CUDA events on a GPU (median of ``--reps`` after warm-up), perf_counter on CPU;
* syncs (CUDA only): host synchronisations of one forward+backward of ``eiou_loss`` and of
  ``mmdet_eiou.EIoULoss`` (``torch.cuda.set_sync_debug_mode('warn')``), where each comes from,
  and what the one documented sync (the non-finite check) costs per call;
* training: when mmdet and mmcv's ops for the device import, a few iterations of the synthetic
  Faster R-CNN full-method row with AMP on a tiny generated set, then a prediction.

``--quick`` (what the test suite runs on CPU: ~35 s on 2 cores with an empty inductor cache,
~10 s of CPU with a warm one): fewer pairs, sizes and repetitions, and a single compiled kernel
variant (a cold inductor compile costs ~10-30 s per variant on 2 cores); the other variants run
eager, and the compiled gradcheck and the training are skipped.

Target, stated and not checked: on a GPU the loss's forward+backward at N >= 1e4 takes <= 0.3x
torchvision's generalized_box_iou_loss.
"""
import argparse
import datetime
import json
import math
import os
import os.path as osp
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import warnings

import torch
import torch._dynamo

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
try:
    import mmdet_eiou  # noqa: F401
except ModuleNotFoundError as err:
    if err.name != 'mmdet_eiou':
        raise
    # A bare checkout (the GPU machine: nothing installed): the package is beside tools/.
    sys.path.insert(0, ROOT)
from mmdet_eiou.ops import compile_mode, eiou_loss  # noqa: E402
from mmdet_eiou.ops import eiou as eiou_module  # noqa: E402  (the sync cost: see check_syncs)

SECTIONS = ('environment', 'compile', 'correctness', 'speed', 'syncs', 'training')
PASS, FAIL, INFO, WARN, SKIP = 'pass', 'FAIL', 'info', 'warn', 'skipped'
TRAIN_CONFIG = 'configs/synthetic/faster-rcnn_r18_8-eiou-ct-sot-iouhead_synthetic.py'
# float32 on the device against float64: |a - b| <= ATOL + RTOL * |b| elementwise.
RTOL, ATOL = 1e-4, 1e-5
# The four configurations of Fig. 2 (tests/test_eiou_math.py FIG2_CASES): target (0, 0, 2, 1)
# against a predicted box that overlaps it, is apart in x only, in y only, in both; then the
# mirrored arrangements. EIoU > 0 for the first, < 0 for the others.
FIG2_TARGET = [0.0, 0.0, 2.0, 1.0]
FIG2_CASES = {
    'a_overlap': [0.5, 0.3, 2.6, 1.7],
    'b_apart_in_x': [2.5, -0.4, 3.3, 0.6],
    'c_apart_in_y': [0.3, 1.4, 1.2, 2.9],
    'd_apart_in_both': [-1.9, -1.6, -0.3, -0.2],
    'b_mirrored': [-1.5, 0.2, -0.2, 1.6],
    'd_mirrored': [2.4, 1.3, 3.1, 2.2],
}
# (name, power, sot, sot_area kind): the loss configurations every correctness check covers.
LOSS_CONFIGS = [(f'p{p:g}{name}', p, sot, area) for p in (1.0, 2.0)
                for name, sot, area in (('', False, None), ('+SOT(target area)', True, None),
                                        ('+SOT(given area)', True, 'given'))]
QUICK_COMPILED = 'p2'  # the one compiled variant of --quick (power 2, no SOT, pred grad only)


# ------------------------------------------------------------------------------ reporting
class Report:
    """Rows of (section, check, result, detail) plus free-form data per section; saved after
    every section so that a run cut short still leaves what it measured."""

    def __init__(self, args):
        self.args = args
        self.rows = []
        self.data = {name: {} for name in args.sections}
        self.meta = dict(tool='tools/gpu_check.py', args=vars(args), device=args.device,
                         quick=args.quick, started=datetime.datetime.now().isoformat(
                             timespec='seconds'))
        self.speed_table = []  # Markdown lines of the speed table, when measured
        self.start = time.perf_counter()

    def add(self, section, check, result, detail=''):
        self.rows.append(dict(section=section, check=check, result=result, detail=detail))
        print(f'[{section}] {check}: {result}  {detail}', file=sys.stderr, flush=True)

    @property
    def failed(self):
        return [f'{r["section"]}/{r["check"]}' for r in self.rows if r['result'] == FAIL]

    def markdown(self):
        dev = self.data.get('environment', {}).get('device_name', self.args.device)
        lines = [f'# tools/gpu_check.py on {dev}, {self.meta["started"][:10]}', '',
                 '| section | check | result | detail |', '|---|---|---|---|']
        for r in self.rows:
            detail = str(r['detail']).replace('|', '\\|').replace('\n', ' ')
            lines.append(f'| {r["section"]} | {r["check"]} | {r["result"]} | {detail} |')
        if self.speed_table:
            lines += [''] + self.speed_table
        status = 'FAILED: ' + ', '.join(self.failed) if self.failed else 'all checks passed'
        lines += ['', f'{status} ({time.perf_counter() - self.start:.0f} s)']
        return '\n'.join(lines)

    def save(self):
        os.makedirs(self.args.out, exist_ok=True)
        out = dict(self.meta, rows=self.rows, sections=self.data, failed=self.failed,
                   ok=not self.failed, elapsed_s=round(time.perf_counter() - self.start, 1))
        with open(osp.join(self.args.out, 'gpu_check.json'), 'w') as f:
            json.dump(out, f, indent=1, default=str)
        with open(osp.join(self.args.out, 'gpu_check.md'), 'w') as f:
            f.write(self.markdown() + '\n')


def run_section(report, name, fn, *args):
    """Run one section; an exception is a FAIL row and the next sections still run (a GPU slot
    is short: one broken check must not cost the others)."""
    t0, graphs = time.perf_counter(), unique_graphs()
    print(f'== {name}', file=sys.stderr, flush=True)
    try:
        fn(report, *args)
    except Exception as err:  # noqa: BLE001
        traceback.print_exc()
        report.add(name, 'section', FAIL, f'{type(err).__name__}: {str(err)[:300]}')
    report.data[name]['elapsed_s'] = round(time.perf_counter() - t0, 1)
    # what dynamo compiled here: shows that 'compiled' checks did compile, and what it cost
    report.data[name]['graphs_compiled'] = unique_graphs() - graphs
    report.save()


# ------------------------------------------------------------------------------ helpers
def optional_import(name):
    """``(module, version)`` or ``(None, 'not installed' / the import error)``."""
    try:
        module = __import__(name)
    except ModuleNotFoundError as err:
        return None, 'not installed' if err.name == name else f'broken ({err})'
    except Exception as err:  # noqa: BLE001  (e.g. mmdet asserting on mmcv's version)
        return None, f'broken ({type(err).__name__}: {str(err)[:120]})'
    return module, getattr(module, '__version__', '?')


def fmt_n(n):
    """``1e4`` for powers of ten, else the number."""
    exp = round(math.log10(n)) if n > 0 else 0
    return f'1e{exp}' if 10**exp == n else str(n)


def sync(device):
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def unique_graphs():
    """Graphs dynamo has compiled in this process (every first compile and recompile)."""
    from torch._dynamo.utils import counters
    return int(counters['stats']['unique_graphs'])


def unit_pairs(n, seed):
    """Boxes of all four Fig. 2 arrangements: corners in [-2, 2], sides in [0.05, 2.05]
    (tests/test_eiou_math.py's random_pairs). float32, CPU."""
    g = torch.Generator().manual_seed(seed)
    xy = torch.rand(n, 2, 2, generator=g) * 4 - 2
    wh = torch.rand(n, 2, 2, generator=g) * 2 + 0.05
    boxes = torch.cat([xy, xy + wh], dim=-1)
    return boxes[:, 0].contiguous(), boxes[:, 1].contiguous()


def pixel_pairs(n, seed):
    """Detector-like pairs in pixels: targets in a 600 px image, predictions jittered in
    centre and size (mostly overlapping, some apart). float32, CPU."""
    g = torch.Generator().manual_seed(seed)
    ctr = torch.rand(n, 2, generator=g) * 600
    wh = 4 + torch.rand(n, 2, generator=g) * 200
    target = torch.cat([ctr - wh / 2, ctr + wh / 2], 1)
    ctr_p = ctr + torch.randn(n, 2, generator=g) * wh * 0.3
    wh_p = wh * torch.exp(torch.randn(n, 2, generator=g) * 0.3)
    return torch.cat([ctr_p - wh_p / 2, ctr_p + wh_p / 2], 1), target


def fig2_pairs():
    pred = torch.tensor(list(FIG2_CASES.values()), dtype=torch.float64)
    return pred, torch.tensor([FIG2_TARGET] * len(FIG2_CASES), dtype=torch.float64)


def loss_and_grads(pred, target, power, sot, sot_area, weights, need_target=True):
    """Per-box loss, EIoU, SOT factor and the gradients of ``sum(weights * loss)``."""
    p = pred.detach().clone().requires_grad_()
    t = target.detach().clone().requires_grad_(need_target)
    loss, eiou, scale = eiou_loss(p, t, power=power, sot=sot, sot_area=sot_area)
    (loss * weights).sum().backward()
    out = dict(loss=loss, eiou=eiou, grad_pred=p.grad)
    if scale is not None:
        out['sot_scale'] = scale
    if need_target:
        out['grad_target'] = t.grad
    return {k: v.detach() for k, v in out.items()}


def compare(ours, ref, rtol=RTOL, atol=ATOL):
    """Worst ``|a - b| / (atol + rtol |b|)`` over every tensor of ``ref`` (pass if <= 1) and
    the worst absolute error, with the quantity it occurred in."""
    worst, worst_key, max_abs = 0.0, '', 0.0
    for key, b in ref.items():
        a = ours[key].detach().to('cpu', torch.float64)
        b = b.to(torch.float64)
        err = (a - b).abs()
        if not bool(torch.isfinite(a).all()):
            return math.inf, key, math.inf
        ratio = float((err / (atol + rtol * b.abs())).max()) if err.numel() else 0.0
        max_abs = max(max_abs, float(err.max()) if err.numel() else 0.0)
        if ratio > worst:
            worst, worst_key = ratio, key
    return worst, worst_key, max_abs


# ------------------------------------------------------------------------------ environment
def check_environment(report, device):
    data = report.data['environment']
    data.update(python=platform.python_version(), platform=platform.platform(),
                torch=torch.__version__, torch_cuda=torch.version.cuda,
                cudnn=torch.backends.cudnn.version() if torch.backends.cudnn.is_available()
                else None, threads=torch.get_num_threads(), device=str(device))
    for name in ('triton', 'torchvision', 'mmengine', 'mmcv', 'mmdet'):
        data[name] = optional_import(name)[1]
    data['inductor_cache_dir'] = inductor_cache_dir()
    try:  # a copied working tree may have no .git: then None
        data['commit'] = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=ROOT,
                                        capture_output=True, text=True,
                                        timeout=20).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        data['commit'] = None
    if device.type == 'cuda':
        if not torch.cuda.is_available():
            report.add('environment', 'device', FAIL, 'torch.cuda.is_available() is False')
            raise SystemExit(report_exit(report))
        prop = torch.cuda.get_device_properties(device)
        data.update(device_name=prop.name, capability=f'{prop.major}.{prop.minor}',
                    memory_gib=round(prop.total_memory / 2**30, 1),
                    multiprocessors=prop.multi_processor_count)
        torch.ones(1, device=device).sum().item()  # create the context outside any timing
        data['driver'] = nvidia_driver()
    else:
        data['device_name'] = cpu_name()
    driver = f', driver {data["driver"]}' if data.get('driver') else ''
    report.add('environment', 'device', INFO,
               f'{data["device_name"]}{driver}; python {data["python"]}, torch {data["torch"]} '
               f'(CUDA {data["torch_cuda"]}), triton {data["triton"]}')
    report.add('environment', 'optional packages', INFO,
               ', '.join(f'{n} {data[n]}' for n in ('torchvision', 'mmengine', 'mmcv', 'mmdet')))
    # mmcv's compiled ops on this device: what Faster R-CNN (RoIAlign, NMS) needs.
    mmcv_ops = 'not installed'
    if optional_import('mmcv')[0] is not None:
        try:
            from mmcv.ops import nms
            boxes = torch.tensor([[0., 0., 10., 10.], [1., 1., 11., 11.]], device=device)
            kept = nms(boxes, torch.tensor([0.9, 0.8], device=device), 0.5)[1]
            mmcv_ops = f'ok (nms on {device.type} kept {kept.numel()} of 2)'
        except Exception as err:  # noqa: BLE001
            mmcv_ops = f'unavailable ({type(err).__name__}: {str(err)[:100]})'
    data['mmcv_ops'] = mmcv_ops
    report.add('environment', f'mmcv ops on {device.type}', INFO, mmcv_ops)


def cpu_name():
    """The CPU's model name (Linux), else what platform knows."""
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return f'{line.split(":", 1)[1].strip()} ({os.cpu_count()} cores)'
    except OSError:
        pass
    return platform.processor() or platform.machine()


def inductor_cache_dir():
    """Where inductor keeps compiled kernels on disk (an empty one means a cold compile)."""
    try:
        from torch._inductor.runtime.cache_dir_utils import cache_dir
        return cache_dir()
    except Exception:  # noqa: BLE001  (moved between torch versions; informational)
        return os.environ.get('TORCHINDUCTOR_CACHE_DIR', '')


def nvidia_driver():
    """The driver version from nvidia-smi, or None (informational)."""
    try:
        out = subprocess.run(['nvidia-smi', '--query-gpu=driver_version', '--format=csv,noheader'],
                             capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return out.splitlines()[0] if out else None


def report_exit(report):
    report.save()
    print(report.markdown())
    return 1 if report.failed else 0


# ------------------------------------------------------------------------------ compile
def check_compile(report, device, args):
    """Cold first call and recompilations over box counts, compile mode True (insist)."""
    data = report.data['compile']
    torch._dynamo.reset()  # this process's first compile, whatever ran before
    cache = data['inductor_cache_dir'] = inductor_cache_dir()
    data['inductor_cache_entries_before'] = (
        sum(len(files) for _, _, files in os.walk(cache)) if osp.isdir(cache) else 0)
    pred, target = (x.to(device) for x in pixel_pairs(1000, seed=1))

    def step(p, t):
        x = p.clone().requires_grad_()
        eiou_loss(x, t, power=2.0)[0].sum().backward()
        sync(device)

    with compile_mode(True):
        graphs0 = unique_graphs()
        t0 = time.perf_counter()
        step(pred, target)
        cold = time.perf_counter() - t0
        graphs1 = unique_graphs()
        t0 = time.perf_counter()
        step(pred, target)
        warm = time.perf_counter() - t0
        sizes = [2, 3, 7, 16, 100, 257, 1000, 4096, 10007, 65536]
        times = {}
        # the reasons of any recompilation go to stderr (the log of the run)
        torch._logging.set_logs(recompiles=True)
        try:
            for n in sizes:
                p, t = (x.to(device) for x in pixel_pairs(n, seed=n))
                t0 = time.perf_counter()
                step(p, t)
                times[n] = round(1e3 * (time.perf_counter() - t0), 3)
        finally:
            torch._logging.set_logs()
        recompiles = unique_graphs() - graphs1
    entries = data['inductor_cache_entries_before']
    data.update(cold_first_call_s=round(cold, 2), graphs_first_call=graphs1 - graphs0,
                second_call_ms=round(1e3 * warm, 3), sizes=sizes, first_call_ms_per_size=times,
                recompilations=recompiles)
    report.add('compile', 'cold first call (fwd+bwd, N=1e3)', INFO,
               f'{cold:.1f} s, {graphs1 - graphs0} graphs (forward, backward); then '
               f'{1e3 * warm:.2f} ms; inductor cache had {entries} files before'
               + (' (not cold on disk)' if entries else ' (empty: cold)'))
    report.add('compile', 'recompilations over 10 box counts', PASS if recompiles == 0 else FAIL,
               f'{recompiles} new graphs for N in {sizes[0]}..{sizes[-1]} (dynamic=True: 0 '
               f'expected; counted by dynamo counters stats.unique_graphs)')


# ------------------------------------------------------------------------------ correctness
def guarded(report, section, check, fn, *args):
    """Run one sub-check; an exception (a compiler failure, say) is its FAIL row, and the
    section's other sub-checks still run."""
    try:
        fn(*args)
    except Exception as err:  # noqa: BLE001
        traceback.print_exc()
        report.add(section, check, FAIL, f'{type(err).__name__}: {str(err)[:300]}')


def check_correctness(report, device, args):
    data = report.data['correctness']
    n = 2000 if args.quick else 10000
    pred32, target32 = unit_pairs(n, seed=0)
    weights32 = torch.rand(n, generator=torch.Generator().manual_seed(1)) + 0.5
    area32 = torch.rand(n, generator=torch.Generator().manual_seed(2)) * 4 + 0.25
    f2_pred, f2_target = fig2_pairs()
    sets = {'random': (pred32, target32, weights32, area32),
            'fig2': (f2_pred.float(), f2_target.float(), torch.ones(len(FIG2_CASES)),
                     torch.ones(len(FIG2_CASES)) * 0.5)}
    # the float64 CPU reference: the same maths, eager, on the float64 copy of each input
    refs = {}
    with compile_mode(False):
        for set_name, (p, t, w, a) in sets.items():
            for name, power, sot, area in LOSS_CONFIGS:
                refs[set_name, name] = loss_and_grads(
                    p.double(), t.double(), power, sot, a.double() if area else None,
                    w.double())
    # the paper's picture: EIoU > 0 when the boxes overlap, < 0 when they are apart (Fig. 2)
    signs = refs['fig2', 'p2']['eiou'].tolist()
    signs_ok = signs[0] > 0 and all(v < 0 for v in signs[1:])
    report.add('correctness', 'Fig. 2 signs (float64 CPU)', PASS if signs_ok else FAIL,
               ', '.join(f'{k} {v:+.4f}' for k, v in zip(FIG2_CASES, signs)))
    data['fig2_eiou'] = dict(zip(FIG2_CASES, signs))
    for mode_name, enabled in (('eager', False), ('compiled', True)):
        guarded(report, 'correctness', f'float32 {mode_name} vs float64 CPU', compare_mode,
                report, device, args, sets, refs, mode_name, enabled)
    for mode_name, enabled in (('eager', False), ('compiled', True)):
        guarded(report, 'correctness', f'gradcheck float64 {mode_name}', check_gradcheck,
                report, device, args, mode_name, enabled)
    for dtype in (torch.float16, torch.bfloat16):
        guarded(report, 'correctness', f'{str(dtype)[6:]} input / autocast',
                check_low_precision, report, device, args, dtype)
    if args.quick:
        data['low_precision_mode'] = 'eager (--quick)'


def compare_mode(report, device, args, sets, refs, mode_name, enabled):
    """float32 on the device, eager or compiled, against the float64 CPU reference."""
    quick_compiled = args.quick and enabled
    results = {}
    for set_name, (p, t, w, a) in sets.items():
        for name, power, sot, area in LOSS_CONFIGS:
            if quick_compiled and name != QUICK_COMPILED:
                continue
            with compile_mode(enabled):  # --quick, compiled: the compile section's graph
                ours = loss_and_grads(p.to(device), t.to(device), power, sot,
                                      a.to(device) if area else None, w.to(device),
                                      need_target=not quick_compiled)
            if args.inject_failure:  # for tests: the comparison must catch this
                ours['loss'] = ours['loss'] * (1 + 1e-3)
            ref = {k: v for k, v in refs[set_name, name].items() if k in ours}
            results[f'{set_name}/{name}'] = compare(ours, ref)
    worst = max(results.items(), key=lambda kv: kv[1][0])
    report.data['correctness'][f'float32_{mode_name}'] = {
        k: dict(worst_ratio=v[0], quantity=v[1], max_abs=v[2]) for k, v in results.items()}
    what = (f'{QUICK_COMPILED} only, pred grads (--quick: the one compiled variant)'
            if quick_compiled else 'p 1/2 x SOT off/target area/given area')
    size = len(sets['random'][0])
    report.add('correctness', f'float32 {mode_name} vs float64 CPU',
               PASS if worst[1][0] <= 1.0 else FAIL,
               f'{len(results)} comparisons ({size} random + {len(FIG2_CASES)} Fig. 2 pairs; '
               f'{what}); loss, EIoU, SOT factor, grads: worst '
               f'|err|/({ATOL:g} + {RTOL:g}|ref|) = {worst[1][0]:.3g} in {worst[0]} '
               f'{worst[1][1]}; max |err| {max(v[2] for v in results.values()):.2e}')


def check_gradcheck(report, device, args, mode_name, enabled):
    """float64 gradcheck on the device of the per-box loss w.r.t. both boxes (SOT off: with
    SOT the backward is a scaled gradient by design, compared against the reference above)."""
    if args.quick and enabled:
        report.add('correctness', f'gradcheck float64 {mode_name}', SKIP,
                   '--quick: a float64 variant is one more cold compile')
        return
    f2_pred, f2_target = fig2_pairs()
    pred, target = unit_pairs(10, seed=3)
    inputs = (torch.cat([f2_pred, pred.double()]).to(device).requires_grad_(),
              torch.cat([f2_target, target.double()]).to(device).requires_grad_())
    done = []
    for power in (1.0, 2.0):
        with compile_mode(enabled):
            ok = torch.autograd.gradcheck(
                lambda a, b: eiou_loss(a, b, power=power)[0], inputs, eps=1e-6, atol=1e-7,
                rtol=1e-5, raise_exception=False)
        done.append(f'p={power:g} {"ok" if ok else "MISMATCH"}')
        report.data['correctness'][f'gradcheck_{mode_name}_p{power:g}'] = bool(ok)
    report.add('correctness', f'gradcheck float64 {mode_name}',
               PASS if all(d.endswith('ok') for d in done) else FAIL,
               f'{inputs[0].size(0)} pairs (Fig. 2 + random) on {device.type}, both boxes, '
               f'eps 1e-6, atol 1e-7, rtol 1e-5: ' + ', '.join(done))


def check_low_precision(report, device, args, dtype):
    """``dtype`` boxes, and boxes from a layer under autocast to ``dtype``: finite loss and
    gradients (the loss computes in float32: areas in pixels overflow float16)."""
    pred32, target32 = (x.to(device) for x in pixel_pairs(4096, seed=4))
    enabled = not args.quick  # --quick: eager (a SOT variant would be another compile)
    name = str(dtype).replace('torch.', '')
    with compile_mode(enabled):
        p = pred32.to(dtype).requires_grad_()
        loss = eiou_loss(p, target32.to(dtype), power=2.0, sot=True)[0]
        loss.sum().backward()
    ok = bool(torch.isfinite(loss).all() and torch.isfinite(p.grad).all()
              and loss.dtype == dtype and p.grad.dtype == dtype)
    report.add('correctness', f'{name} input', PASS if ok else FAIL,
               f'N=4096 px boxes, p=2 + SOT: loss {loss.dtype}, finite loss and grads: {ok}')
    # a box regressor under autocast: the layer's output is low precision
    layer = torch.nn.Linear(4, 4, device=device)
    with torch.no_grad():
        layer.weight.copy_(torch.eye(4))
        layer.bias.zero_()
    if (device.type == 'cuda' and dtype == torch.bfloat16
            and not torch.cuda.is_bf16_supported()):
        report.add('correctness', f'autocast {name}', SKIP, 'no bfloat16 on this GPU')
        return
    with compile_mode(enabled), torch.autocast(device.type, dtype=dtype):
        p = layer(pred32)
        loss = eiou_loss(p, target32, power=2.0, sot=True)[0].sum()
    loss.backward()
    ok = bool(torch.isfinite(loss) and torch.isfinite(layer.weight.grad).all())
    report.add('correctness', f'autocast {name}', PASS if ok else FAIL,
               f'Linear under autocast ({p.dtype}) -> loss p=2 + SOT: finite loss '
               f'({float(loss.detach()):.4g}) and weight grads: {ok}')


# ------------------------------------------------------------------------------ speed
def giou_loss_eager(pred, target, eps=1e-7):
    """torchvision's generalized_box_iou_loss (reduction 'sum'), written out in plain torch: a
    baseline that is always there, and a check that torchvision's timings are like it."""
    x1, y1, x2, y2 = pred.unbind(-1)
    x1g, y1g, x2g, y2g = target.unbind(-1)
    inter = ((torch.min(x2, x2g) - torch.max(x1, x1g)).clamp(min=0)
             * (torch.min(y2, y2g) - torch.max(y1, y1g)).clamp(min=0))
    union = (x2 - x1) * (y2 - y1) + (x2g - x1g) * (y2g - y1g) - inter
    iou = inter / (union + eps)
    hull = (torch.max(x2, x2g) - torch.min(x1, x1g)) * (torch.max(y2, y2g) - torch.min(y1, y1g))
    return (1 - iou + (hull - union) / (hull + eps)).sum()


def speed_losses(quick):
    """name -> ``fn(pred, target)`` returning a scalar, for what imports here."""
    losses = {'ours p=2': lambda p, t: eiou_loss(p, t, power=2.0)[0].sum()}
    if not quick:
        losses['ours p=2+SOT'] = lambda p, t: eiou_loss(p, t, power=2.0, sot=True)[0].sum()
    tv, _ = optional_import('torchvision')
    if tv is not None:
        from torchvision.ops import complete_box_iou_loss, generalized_box_iou_loss
        losses['torchvision GIoU'] = lambda p, t: generalized_box_iou_loss(p, t, 'sum')
        losses['torchvision CIoU'] = lambda p, t: complete_box_iou_loss(p, t, 'sum')
    losses['torch GIoU (eager)'] = giou_loss_eager
    if optional_import('mmdet')[0] is not None:
        try:
            from mmdet.models.losses import GIoULoss, SmoothL1Loss
            giou, sl1 = GIoULoss(reduction='sum'), SmoothL1Loss(reduction='sum')
            losses['mmdet GIoULoss'] = lambda p, t: giou(p, t)
            losses['mmdet SmoothL1Loss'] = lambda p, t: sl1(p, t)
        except Exception as err:  # noqa: BLE001
            print(f'mmdet losses unavailable: {err}', file=sys.stderr)
    return losses


def median_ms(fn, pred, target, device, warmup, reps):
    """Median forward+backward time: CUDA events around each call on a GPU (synchronised
    between calls), perf_counter on CPU."""
    x = pred.clone().requires_grad_()

    def once():
        x.grad = None
        fn(x, target).backward()

    for _ in range(warmup):
        once()
    sync(device)
    times = []
    for _ in range(reps):
        if device.type == 'cuda':
            start, end = (torch.cuda.Event(enable_timing=True) for _ in range(2))
            start.record()
            once()
            end.record()
            end.synchronize()
            times.append(start.elapsed_time(end))
        else:
            t0 = time.perf_counter()
            once()
            times.append(1e3 * (time.perf_counter() - t0))
    return statistics.median(times)


def check_speed(report, device, args):
    data = report.data['speed']
    losses = speed_losses(args.quick)
    baseline = 'torchvision GIoU' if 'torchvision GIoU' in losses else 'torch GIoU (eager)'
    warmup, reps = (2, max(3, args.reps // 4)) if args.quick else (5, args.reps)
    timer = 'CUDA events' if device.type == 'cuda' else 'perf_counter'
    data.update(timer=timer, warmup=warmup, reps=reps, baseline=baseline, ms={})
    with compile_mode(True):
        for n in args.sizes:
            pred, target = (x.to(device) for x in pixel_pairs(n, seed=5))
            data['ms'][n] = {name: round(median_ms(fn, pred, target, device, warmup, reps), 4)
                             for name, fn in losses.items()}
            del pred, target
    names = list(losses)
    ours = [k for k in names if k.startswith('ours')]
    table = [f'Forward+backward (sum over N pairs, float32, {device.type}), median ms of {reps} '
             f'({timer}); x = ours / {baseline}', '',
             '| N | ' + ' | '.join(names + [f'x ({k})' for k in ours]) + ' |',
             '|---:|' + '---:|' * (len(names) + len(ours))]
    ratios = {k: {} for k in ours}
    for n in args.sizes:
        ms = data['ms'][n]
        for k in ours:
            ratios[k][n] = ms[k] / ms[baseline]
        table.append(f'| {fmt_n(n)} | ' + ' | '.join(f'{ms[k]:.4f}' for k in names) + ' | '
                     + ' | '.join(f'{ratios[k][n]:.2f}' for k in ours) + ' |')
    report.speed_table = table
    data['ratio_over_baseline'] = ratios
    for k in ours:
        report.add('speed', f'{k} / {baseline}', INFO,
                   ', '.join(f'N={fmt_n(n)}: {r:.2f}x' for n, r in ratios[k].items()))
    big = [n for n in args.sizes if n >= 10**4]
    if device.type == 'cuda' and big:
        met = [n for n in big if ratios['ours p=2'][n] <= 0.3]
        report.add('speed', 'target <= 0.3x at N >= 1e4 (stated, not checked)',
                   INFO if len(met) == len(big) else WARN,
                   f'ours p=2 met it at {len(met)} of {len(big)} sizes >= 1e4 ({baseline})')


# ------------------------------------------------------------------------------ host syncs
def count_syncs(fn, device):
    """Host synchronisations ``fn`` makes on CUDA, and where (``file:line`` of the Python
    call that made each; warnings raised in backward surface at ``.backward()``)."""
    sync(device)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        torch.cuda.set_sync_debug_mode('warn')
        try:
            fn()
        finally:
            torch.cuda.set_sync_debug_mode('default')
    # Only the per-operation warnings count: enabling the mode itself warns once that it is
    # a prototype ("Synchronization debug mode is a prototype feature ...").
    found = [w for w in caught if 'called a synchronizing' in str(w.message)]
    return len(found), [f'{osp.basename(w.filename)}:{w.lineno}' for w in found]


EXPECTED_SYNCS = '(expected 1: the documented non-finite check)'


def sync_result(count):
    """One sync is the design; more is a hidden one (FAIL); none means the debug mode missed
    the known one, so the count cannot be trusted (warn)."""
    return PASS if count == 1 else FAIL if count > 1 else WARN


def check_syncs(report, device, args):
    data = report.data['syncs']
    if device.type != 'cuda':
        report.add('syncs', 'host syncs per loss call', SKIP, 'n/a on CPU')
        return
    pred, target = (x.to(device) for x in pixel_pairs(10000, seed=6))

    def functional(sot):
        def call():
            x = pred.clone().requires_grad_()
            eiou_loss(x, target, power=2.0, sot=sot)[0].sum().backward()
        return call

    with compile_mode(True):
        for sot in (False, True):
            call = functional(sot)
            call()
            call()  # compiled and warm: count the steady state
            count, where = count_syncs(call, device)
            data[f'eiou_loss_sot_{sot}'] = dict(count=count, where=where)
            report.add('syncs', f'eiou_loss fwd+bwd{" + SOT" if sot else ""}, N=1e4',
                       sync_result(count), f'{count} {EXPECTED_SYNCS} at {", ".join(where) or "-"}')
        check_module_syncs(report, device, pred, target)
        # What the one sync costs: 50 back-to-back calls, wall clock, with the check and with
        # it replaced by a no-op (measurement only; restored at once). Small N: the sync stops
        # the CPU from queueing ahead; large N: the GPU's work dominates either way.
        per_call = {}
        for n in (10**4, 10**6):
            p, t = (x.to(device) for x in pixel_pairs(n, seed=7))
            for label in ('with check', 'without check'):
                per_call[f'N={fmt_n(n)} {label}'] = round(finite_check_wall_us(
                    p, t, device, disable=label == 'without check'), 1)
    data['finite_check_cost_us'] = per_call
    report.add('syncs', 'cost of the non-finite check', INFO,
               'eiou_loss p=2 + SOT, wall us per fwd+bwd over 50 back-to-back calls: '
               + ', '.join(f'{k} {v:.0f}' for k, v in per_call.items()))
    # A probe of a pattern that syncs unseen: a Python list to a CUDA tensor (pageable copy).
    count, where = count_syncs(lambda: pred.new_tensor([0., 0., 1., 1.]), device)
    data['probe_new_tensor'] = dict(count=count, where=where)
    report.add('syncs', 'probe: Tensor.new_tensor(list) on cuda', INFO,
               f'{count} sync(s) (a pageable host-to-device copy)')


def finite_check_wall_us(pred, target, device, disable):
    """Wall time per call of 50 back-to-back ``eiou_loss`` forward+backward calls, with the
    non-finite check or with it replaced by a no-op (restored before returning)."""
    original = eiou_module._check_finite
    if disable:
        eiou_module._check_finite = lambda finite, pred: None
    try:
        def call():
            x = pred.clone().requires_grad_()
            eiou_loss(x, target, power=2.0, sot=True)[0].sum().backward()

        for _ in range(3):
            call()
        sync(device)
        t0 = time.perf_counter()
        for _ in range(50):
            call()
        sync(device)
        return 1e6 * (time.perf_counter() - t0) / 50
    finally:
        eiou_module._check_finite = original


def check_module_syncs(report, device, pred, target):
    """``mmdet_eiou.EIoULoss`` as a head calls it: some zero weights, priors, avg_factor."""
    if optional_import('mmdet')[0] is None:
        report.add('syncs', 'EIoULoss fwd+bwd', SKIP, 'mmdet not installed')
        return
    from mmdet_eiou.models.losses import EIoULoss
    loss_fn = EIoULoss(power=2.0, sot=True).to(device).train()
    weight = (torch.arange(pred.size(0), device=device) % 3 != 0).float()
    priors = target.detach() + 1.0

    def call():
        x = pred.clone().requires_grad_()
        loss_fn(x, target, weight=weight, avg_factor=100.0, priors=priors).backward()

    call()
    call()
    count, where = count_syncs(call, device)
    loss_fn.pop_stats()
    report.data['syncs']['EIoULoss'] = dict(count=count, where=where)
    report.add('syncs', 'EIoULoss fwd+bwd (weights, priors, SOT)', sync_result(count),
               f'{count} {EXPECTED_SYNCS} at {", ".join(where) or "-"}')


# ------------------------------------------------------------------------------ training
def check_training(report, device, args):
    """A few AMP iterations of the full-method synthetic Faster R-CNN, then a prediction."""
    data = report.data['training']
    env = report.data.get('environment', {})
    mmcv_ops = env.get('mmcv_ops') or 'not checked'
    if optional_import('mmdet')[0] is None or optional_import('mmengine')[0] is None:
        report.add('training', '20 AMP iterations + predict', SKIP, 'mmdet not installed')
        return
    if not mmcv_ops.startswith('ok'):
        report.add('training', '20 AMP iterations + predict', SKIP,
                   f'no mmcv {device.type} ops ({mmcv_ops})')
        return
    if args.quick:
        report.add('training', '20 AMP iterations + predict', SKIP,
                   '--quick (minutes on a CPU; run without --quick to train)')
        return
    if device.type == 'cpu' and torch.cuda.is_available():
        report.add('training', '20 AMP iterations + predict', SKIP,
                   'mmengine would train on the GPU; run with --device cuda')
        return
    from mmengine.config import Config
    from mmengine.runner import Runner

    from mmdet_eiou.datasets import make_dataset
    from mmdet_eiou.engine import enable_amp
    from mmdet_eiou.utils import allow_mmengine_checkpoints
    iters = 20
    with tempfile.TemporaryDirectory() as tmp:  # checkpoints stay out of --out
        root = osp.join(tmp, 'data') + '/'
        make_dataset(root, seed=0, num_train=8, num_val=4)
        cfg = Config.fromfile(osp.join(ROOT, args.train_config))
        for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
            cfg[loader].update(num_workers=0, persistent_workers=False, batch_size=2)
            cfg[loader].dataset.data_root = root
        for evaluator in ('val_evaluator', 'test_evaluator'):
            cfg[evaluator].ann_file = root + 'val.json'
        cfg.train_cfg.update(max_iters=iters, val_interval=iters + 1)
        cfg.param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False, begin=0,
                                    end=iters)]
        cfg.default_hooks.checkpoint.update(interval=iters + 1, save_last=False)
        cfg.default_hooks.logger.interval = 1
        cfg.work_dir = osp.join(tmp, 'work')
        cfg.log_level = 'WARNING'
        cfg.randomness = dict(seed=0)
        enable_amp(cfg)  # AmpOptimWrapper (float16) on CUDA, bfloat16 autocast on CPU
        allow_mmengine_checkpoints()
        runner = Runner.from_cfg(cfg)
        t0 = time.perf_counter()
        runner.train()
        train_s = time.perf_counter() - t0
        logged = {key[len('train/'):]: [float(v) for v in buf.data[0]]
                  for key, buf in runner.message_hub.log_scalars.items()
                  if key.startswith('train/loss')}
        finite = all(math.isfinite(v) for values in logged.values() for v in values)
        model = runner.model.eval()
        batch = next(iter(runner.val_dataloader))
        with torch.no_grad():
            outputs = model.test_step(batch)
        dets = [out.pred_instances for out in outputs]
        pred_ok = all(bool(torch.isfinite(d.bboxes).all() and torch.isfinite(d.scores).all())
                      for d in dets)
    losses = logged.get('loss', [])
    data.update(iterations=iters, train_s=round(train_s, 1), losses=logged,
                wrapper=cfg.optim_wrapper.type, detections=[len(d) for d in dets])
    ok = finite and pred_ok and len(losses) >= iters
    report.add('training', f'{iters} AMP iterations + predict', PASS if ok else FAIL,
               f'{cfg.optim_wrapper.type}, {train_s / iters:.2f} s/iter; loss '
               f'{losses[0] if losses else float("nan"):.3f} -> '
               f'{losses[-1] if losses else float("nan"):.3f} ({len(losses)} logged, finite: '
               f'{finite}); predict on {len(dets)} images: {sum(len(d) for d in dets)} boxes, '
               f'finite: {pred_ok}')


# ------------------------------------------------------------------------------ main
def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--device', choices=['cuda', 'cpu'],
                        default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--out', default=osp.join('work_dirs', 'gpu_check'),
                        help='writes gpu_check.json and gpu_check.md here')
    parser.add_argument('--sizes', nargs='+', type=float,
                        help='box counts of the speed section (default 1e2 .. 1e6; --quick: '
                        '1e2 .. 1e4)')
    parser.add_argument('--quick', action='store_true',
                        help='small sizes, few repetitions, one compiled variant (the tests)')
    parser.add_argument('--reps', type=int, default=25, help='timed repetitions (>= 20 on GPU)')
    parser.add_argument('--sections', nargs='+', choices=SECTIONS, default=list(SECTIONS))
    parser.add_argument('--train-config', default=TRAIN_CONFIG,
                        help=f'config of the training section (default {TRAIN_CONFIG})')
    # For the tests only: perturb the device's loss so that the correctness check must fail.
    parser.add_argument('--inject-failure', action='store_true', help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    default_sizes = [1e2, 1e3, 1e4] if args.quick else [1e2, 1e3, 1e4, 1e5, 1e6]
    args.sizes = [int(n) for n in (args.sizes or default_sizes)]
    # keep the order of SECTIONS: compile must come first to measure a cold compile
    args.sections = [s for s in SECTIONS if s in args.sections]
    return args


def main(argv=None):
    args = parse_args(argv)
    device = torch.device(args.device)
    torch.manual_seed(0)
    # Many (power, SOT, dtype, autocast) variants compile in one run; dynamo's default limit
    # (8 per function) would silently run the rest eager and 'compiled' would test eager.
    for name in ('recompile_limit', 'cache_size_limit'):
        if hasattr(torch._dynamo.config, name):
            setattr(torch._dynamo.config, name, 64)
            break
    report = Report(args)
    checks = dict(environment=check_environment, compile=check_compile,
                  correctness=check_correctness, speed=check_speed, syncs=check_syncs,
                  training=check_training)
    if 'environment' not in args.sections:  # the other sections read what it found
        report.data['environment'] = {}
    for name in args.sections:
        extra = () if name == 'environment' else (args, )
        run_section(report, name, checks[name], device, *extra)
    return report_exit(report)


if __name__ == '__main__':
    sys.exit(main())
