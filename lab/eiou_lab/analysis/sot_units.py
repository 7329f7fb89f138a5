"""SOT's unit for a head without priors, by measurement: the SOT factor every positive pair of
a DETR-style head would get under each candidate unit.

SOT (Eq. 28) multiplies a box's gradient by its extended union ``U_e`` in the units the box is
regressed in, bounded by ``M`` (Theorem 1). An anchor-based head regresses in units of its
prior, so the factor is ``U_e / S_prior``. A DETR-style head (mmdet's ``DETRHead`` and its
subclasses) has no prior; each decoder layer refines a reference box (the previous layer's
box, detached; the first layer's is the encoder's proposal, or the noised ground truth of a
denoising query) in normalised image coordinates. The candidates:

* ``target``: ``U_e / S_target``, what ``mmdet_eiou.EIoULoss`` uses when no prior is passed
  (at least 1 for every pair: ``U_e >= S_target``);
* ``reference``: ``U_e / S_reference``, the box the layer refines, the closest analogue of a
  prior (``mmdet_eiou.PriorsToLossDINOHead`` hands them to the loss);
* ``image``: ``U_e / (W H)``, the union in the normalised coordinates the head outputs.

:class:`DETRPairRecorder` watches a head's ``loss_iou`` while the model computes its losses
(wrapping the head instance, as :class:`~eiou_lab.disjoint_census_hook.DisjointCensusHook` does; the
encoder's proposals have no reference there: its priors stay inside the detector) and
:func:`summarise` reduces each unit's factors. ``tools/sot_units.py`` runs it on checkpoints.
:func:`update_size_exponents` works out, through the head's sigmoid, how one gradient step
on a box scales with the box's size under each unit. Needs mmdet.
"""
from typing import Dict, List, Optional, Sequence

import torch
from mmdet.structures.bbox import bbox_cxcywh_to_xyxy
from torch import Tensor

from eiou_lab.disjoint_census_hook import (ENCODER, DETRSourceTracker,
                                                          positive_pairs)
from mmdet_eiou.models.dense_heads.priors_to_loss_dino_head import (DENOISING, MATCHED,
                                                                    reference_boxes)
from mmdet_eiou.ops import box_area, extended_intersection_union

UNITS = ('target', 'reference', 'image')
#: ``S_target / S_reference``: how far the reference unit is from the target unit
REFERENCE_TO_TARGET = 'reference / target'


def unit_factors(union: Tensor, target: Tensor, reference: Optional[Tensor],
                 image_area: Tensor) -> Dict[str, Optional[Tensor]]:
    """Unclamped SOT factor ``U_e / S_unit`` of each pair under each unit of :data:`UNITS`
    (``reference`` is None without references), from the pairs' extended union ``U_e``
    (``extended_intersection_union(pred, target)[1]``, ``(N,)``). Boxes ``(N, 4)`` xyxy in
    pixels, ``image_area`` ``(N,)``."""

    def per(area):  # the floor sot_scale puts under a unit's area
        return union / area.clamp(min=1e-6)

    return {'target': per(box_area(target)),
            'reference': None if reference is None else per(box_area(reference)),
            'image': per(image_area)}


def summarise(factors: Tensor, sot_max: float) -> Dict[str, float]:
    """Median, 1st and 99th percentiles of the unclamped factors, the share that SOT's bound
    ``sot_max`` clamps, and the mean factor SOT applies (clamped)."""
    f = factors.double()
    if f.numel() == 0:
        return dict(pairs=0)
    q = torch.quantile(f, torch.tensor([0.01, 0.5, 0.99], dtype=f.dtype))
    return dict(pairs=int(f.numel()), p01=float(q[0]), median=float(q[1]), p99=float(q[2]),
                clamped=float((f > sot_max).double().mean()),
                applied_mean=float(f.clamp(max=sot_max).mean()))


class DETRPairRecorder:
    """Record, for every call of a DETR-style head's ``loss_iou``, the positive pairs'
    factors under each unit, with their source (``decoder``, ``denoising``, ``encoder``),
    decoder layer, whether the pair is disjoint (``EIoU < 0``) and the boxes (pixels, xyxy:
    ``pred``, ``target``, ``reference`` or None).

    Use as a context manager around ``model.loss(...)``; set :attr:`img_shapes` to the batch's
    ``(h, w)`` per image first (the loss receives boxes in pixels, the head's references are
    normalised).
    """

    def __init__(self, head) -> None:
        self.head = head
        self.img_shapes: Sequence = ()
        self.records: List[dict] = []
        self._tracker = DETRSourceTracker()
        self._references: Optional[List[Tensor]] = None
        self._handle = None

    def __enter__(self) -> 'DETRPairRecorder':
        if not self._tracker.install(self.head):
            raise TypeError(f'{type(self.head).__name__} is not a DETR-style head (mmdet '
                            'DETRHead or a subclass)')
        forward = self.head.forward

        def record_references(hidden_states, references, *args, **kwargs):
            self._references = [r.detach() for r in references]
            return forward(hidden_states, references, *args, **kwargs)

        self.head.forward = record_references
        self._handle = self.head.loss_iou.register_forward_hook(self._record, with_kwargs=True)
        return self

    def __exit__(self, *exc) -> None:
        self._handle.remove()
        self.head.__dict__.pop('forward', None)
        self._tracker.remove()

    def _reference_rows(self, rows: int) -> Optional[Tensor]:
        """The reference boxes (pixels, xyxy) of the queries this call's rows belong to;
        None for the encoder's proposals (or a head that refines points, not boxes)."""
        layer = self._tracker.layer
        if layer is None or self._references is None or self._references[layer].size(-1) != 4:
            return None
        queries = DENOISING if self._tracker.source == 'denoising' else MATCHED
        return reference_boxes(self._references[layer], queries, rows, self.img_shapes)

    def _record(self, module, args, kwargs, output) -> None:
        pred, target, keep = positive_pairs(args, kwargs)
        rows = keep.numel()
        shapes = torch.tensor([list(s) for s in self.img_shapes], dtype=pred.dtype,
                              device=pred.device)
        hw = shapes.repeat_interleave(rows // len(shapes), dim=0)[keep]  # (h, w) of each row
        reference = self._reference_rows(rows)
        if reference is not None:
            reference = reference[keep].to(pred.dtype)
        with torch.no_grad():
            inter, union = extended_intersection_union(pred.float(), target.float())
            factors = unit_factors(union, target.float(),
                                   None if reference is None else reference.float(),
                                   hw.prod(dim=1).float())
        ratio = None if reference is None else factors['reference'] / factors['target']
        self.records.append(dict(source=self._tracker.source, layer=self._tracker.layer,
                                 disjoint=inter < 0, **factors, **{REFERENCE_TO_TARGET: ratio},
                                 boxes=dict(pred=pred, target=target, reference=reference)))

    def factors(self, source: str, unit: str, disjoint: Optional[bool] = None) -> Tensor:
        """Every recorded factor of ``source`` under ``unit`` (a name of :data:`UNITS` or
        :data:`REFERENCE_TO_TARGET`; only the disjoint pairs, or only
        the overlapping ones, when ``disjoint`` is given)."""
        parts = []
        for r in self.records:
            if r['source'] != source or r[unit] is None:
                continue
            f = r[unit]
            parts.append(f if disjoint is None else f[r['disjoint'] == disjoint])
        return torch.cat(parts) if parts else torch.zeros(0)

    def sources(self) -> List[str]:
        return sorted({r['source'] for r in self.records}, key=lambda s: (s == ENCODER, s))


def measure(model, batches, sot_max: float = 10.0) -> Dict[str, Dict[str, dict]]:
    """Run ``model.loss`` (no gradient, training mode: matching and denoising as in training)
    on each batch of ``batches`` (as a dataloader yields them) and summarise every source's
    factors per unit, and the ratio of the reference unit's to the target's:
    ``{source: {name or name + ' (disjoint)': summary}}`` (a ratio's ``clamped`` means
    nothing)."""
    model.train()
    with DETRPairRecorder(model.bbox_head) as recorder:
        for data in batches:
            data = model.data_preprocessor(data, True)
            recorder.img_shapes = [s.metainfo['img_shape'] for s in data['data_samples']]
            with torch.no_grad():
                model.loss(data['inputs'], data['data_samples'])
    out = {}
    for source in recorder.sources():
        out[source] = {}
        for unit in (*UNITS, REFERENCE_TO_TARGET):
            for disjoint, suffix in ((None, ''), (True, ' (disjoint)')):
                summary = summarise(recorder.factors(source, unit, disjoint), sot_max)
                if summary['pairs']:
                    out[source][unit + suffix] = summary
    return out


def update_size_exponents(unit: Optional[str], sizes: Sequence[float] = (0.01, 0.02, 0.04,
                                                                          0.08),
                          image: float = 1000.) -> Dict[str, float]:
    """How one gradient step on a DETR-style head's output moves a box, as a power of its size.

    A DETR-style head outputs ``z`` and its box is ``sigmoid(z)`` in normalised ``(cx, cy, w,
    h)`` (``z`` = the layer's output plus the inverse sigmoid of its reference); the loss sees
    that box in pixels. A step ``-grad_z`` on ``z`` moves the pixel box by
    ``(image * sigmoid'(z))**2 * grad_box``. SOT's aim (Eq. 28, Fig. 5a) is a step
    proportional to the box's size ``s``: exponent 1 for every coordinate. Here one pair
    (the prediction 1.3 times the target's size, shifted by 0.2 of it; the loss ``1 - EIoU``
    times the unit's SOT factor, unclamped; ``unit`` None: no SOT) is scaled through ``sizes``
    (normalised width = height) and the log-log slope of the step's centre and size
    components is returned: ``{'centre': ., 'size': .}``. The reference box is the
    prediction itself (a layer's output at its reference).
    """
    steps = []
    for s in sizes:
        target = torch.tensor([[0.5, 0.5, s, s]], dtype=torch.float64)
        pred = torch.tensor([[0.5 + 0.2 * s, 0.5 + 0.2 * s, 1.3 * s, 1.3 * s]],
                            dtype=torch.float64)
        z = torch.logit(pred).requires_grad_()
        box = bbox_cxcywh_to_xyxy(z.sigmoid()) * image
        target_px = bbox_cxcywh_to_xyxy(target) * image
        inter, union = extended_intersection_union(box, target_px)
        if unit is None:
            factor = torch.ones(1, dtype=torch.float64)
        else:
            factor = unit_factors(union, target_px, box, torch.full((1, ), image**2,
                                                                     dtype=torch.float64))[unit]
        loss = ((1 - inter / union) * factor.detach()).sum()
        grad, = torch.autograd.grad(loss, z)
        sig = z.detach().sigmoid()
        # grad holds d box / d z = image * sigmoid'(z) once; the box moves by that times -grad
        step = image * sig * (1 - sig) * grad  # the pixel box's move, (cx, cy, w, h)
        steps.append(step[0].abs())
    steps = torch.stack(steps).log()
    log_s = torch.tensor(sizes, dtype=torch.float64).log()

    def slope(y):
        x = log_s - log_s.mean()
        return float((x * (y - y.mean())).sum() / (x * x).sum())

    return {'centre': slope(steps[:, :2].mean(1)), 'size': slope(steps[:, 2:].mean(1))}


def header(saved: dict) -> str:
    """What the tables are and the command that made them."""
    return ('# SOT\'s factor under each candidate unit (generated by tools/sot_units.py)\n\n'
            f"Config `{saved['config']}`, {saved['batches']} training batches per checkpoint "
            f"(seed {saved['seed']}), M = {saved['sot_max']:g}. The factor is `U_e / S_unit` "
            'before the bound; `reference / target` is the ratio of the two units\' factors '
            '(`S_target / S_reference`). Units: lab/eiou_lab/analysis/sot_units.py.\n\n')


def markdown(results: dict, sot_max: float) -> str:
    """One table per checkpoint: a line per source and unit."""
    lines = []
    for checkpoint, by_source in results.items():
        lines += [f'**{checkpoint}**', '',
                  f'| source | unit | pairs | median | 1-99 % | clamped at M = {sot_max:g} '
                  '| mean applied |', '|---|---|---:|---:|---:|---:|---:|']
        for source, by_unit in by_source.items():
            for unit, s in by_unit.items():
                applied = (f"{100 * s['clamped']:.1f} % | {s['applied_mean']:.3g}"
                           if not unit.startswith('reference /') else '- | -')  # a ratio
                lines.append(f"| {source} | {unit} | {s['pairs']} | {s['median']:.3g} | "
                             f"{s['p01']:.3g}-{s['p99']:.3g} | {applied} |")
        lines.append('')
    return '\n'.join(lines)


def tables(saved: dict) -> str:
    """The markdown file of a measurement saved as JSON (``tools/sot_units.py --out``): its
    header, then a table per checkpoint."""
    return header(saved) + markdown(saved['results'], saved['sot_max'])
