"""What a study is: rows (configs, each optionally at a tuning point), a baseline, seeds,
splits, tuning points, and where its results are recorded.

A study is data: a small file in mmengine's config style (``configs/studies/*.py``), or the
same built from a command line (``tools/ablation.py --rows A.py B.py``). Keys of a study file:

* ``rows``: configs, or dicts ``dict(config=..., tag=..., cfg_options=[...], ...)`` (the
  fields of :class:`Row`), in report order; ``baseline``: the row name every other row is
  paired with (default: the first row); ``steps``: further pairs ``(row, against)`` of row
  names, for tables that add one part at a time (each step against the row before it);
* ``seeds``, ``splits`` (``val`` to choose, ``test`` to report); a row may have its own
  ``seeds`` (a subset run to fewer seeds);
* ``tuning``: groups ``dict(param=..., chosen=..., why=..., points=[dict(value=..., tag=...,
  cfg_options=[...]), ...])``, each point a row of the same config scored on val with the
  study's first seed; a point without a tag is the row as configured (the chosen one);
* ``store``: the folder where every scored run's metrics are recorded (committed data);
  ``report``: where reports go, ``{split}`` standing for the split;
* ``data_root``, ``cfg_options``, ``max_iters``: for every run;
* ``kind``: ``'ablation'`` (default: variants of one detector, paired against the baseline) or
  ``'census'`` (different detectors, each trained once with ``eiou_lab.DisjointCensusHook``;
  ``tools/census.py`` runs it and :mod:`.census` reports it);
* ``readme_rows``: the rows, by name, that README's table of the study shows (default: all);
* ``command``: the command line that runs the study, which its report quotes (the census's);
* ``in_progress``: what is not recorded yet, for a study whose runs are still going (its
  reports then cover the recorded runs; without it every planned run must be recorded).
"""
import os.path as osp
from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Sequence, Tuple

SPLITS = ('val', 'test')
KINDS = ('ablation', 'census')


def config_name(config: str) -> str:
    return osp.splitext(osp.basename(config))[0]


@dataclass(frozen=True)
class Row:
    """One line of a table: a config, optionally at a tuning point.

    ``tag`` names the point (its settings, e.g. ``b1-w2``); ``cfg_options`` change training and
    scoring; ``test_options`` change scoring only: such a row trains nothing and scores the
    checkpoint of the row ``from_tag`` (``''``: the untagged one) with them; ``at_iter``
    makes the same kind of row score that training's checkpoint of iteration ``at_iter``
    instead of its last (AP early in training; the trained row must keep it:
    ``default_hooks.checkpoint.interval`` dividing it, ``max_keep_ckpts=-1``). ``max_iters``
    sets the schedule's length (milestones scale alike), ``seeds`` replaces the study's,
    ``threads`` limits the torch threads of its training (a point trained on one core);
    ``label`` is what tables call it (default: its name); ``train_args`` are further
    arguments of ``tools/train.py`` (``['--amp']``: mixed precision, bfloat16 on a CPU).
    """
    config: str
    tag: str = ''
    cfg_options: Tuple[str, ...] = ()
    test_options: Tuple[str, ...] = ()
    from_tag: str = ''
    max_iters: Optional[int] = None
    seeds: Optional[Tuple[int, ...]] = None
    threads: Optional[int] = None
    label: str = ''
    train_args: Tuple[str, ...] = ()
    at_iter: Optional[int] = None

    def __post_init__(self):
        if self.scores_only and (not self.tag or self.cfg_options):
            raise ValueError('test_options and at_iter make an inference-only point of a row '
                             'as it is: give it a tag and no cfg_options')
        if self.from_tag and not self.scores_only:
            raise ValueError('from_tag goes with test_options or at_iter')
        if self.at_iter is not None and self.at_iter < 1:
            raise ValueError(f'at_iter must be a positive iteration, got {self.at_iter}')

    @property
    def scores_only(self) -> bool:
        """Whether this row trains nothing (it scores the training of the row ``from_tag``)."""
        return bool(self.test_options) or self.at_iter is not None

    @property
    def name(self) -> str:
        return config_name(self.config) + (f'_{self.tag}' if self.tag else '')

    @property
    def title(self) -> str:
        return self.label or self.name

    @property
    def train_name(self) -> str:
        """The row whose training this row uses: itself, or for an inference-only point the
        row ``from_tag``."""
        if not self.scores_only:
            return self.name
        return config_name(self.config) + (f'_{self.from_tag}' if self.from_tag else '')


@dataclass(frozen=True)
class TuningPoint:
    value: str
    row: Row


@dataclass(frozen=True)
class TuningGroup:
    """One hyper-parameter swept on val: its points, the value chosen and why."""
    param: str
    points: Tuple[TuningPoint, ...]
    chosen: str = ''
    why: str = ''


@dataclass
class Study:
    name: str
    rows: List[Row]
    seeds: Tuple[int, ...] = (0, )
    splits: Tuple[str, ...] = ('val', )
    baseline: str = ''
    steps: List[Tuple[str, str]] = field(default_factory=list)
    tuning: List[TuningGroup] = field(default_factory=list)
    store: Optional[str] = None
    report: Optional[str] = None
    data_root: Optional[str] = None
    kind: str = 'ablation'
    in_progress: str = ''
    command: str = ''
    readme_rows: Tuple[str, ...] = ()

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f'study {self.name}: kind must be one of {KINDS}, got {self.kind!r}')
        names = [r.name for r in self.rows]
        if len(set(names)) != len(names):
            raise ValueError(f'study {self.name}: a row appears twice in {names}')
        self.baseline = self.baseline or (names[0] if names else '')
        if names and self.baseline not in names:
            raise ValueError(f'study {self.name}: baseline {self.baseline!r} is not a row '
                             f'({names})')
        if not set(self.readme_rows) <= set(names):
            raise ValueError(f'study {self.name}: readme_rows must name rows, got '
                             f'{sorted(set(self.readme_rows) - set(names))}')
        for pair in self.steps:
            if len(pair) != 2 or not set(pair) <= set(names):
                raise ValueError(f'study {self.name}: a step must pair two rows, got {pair}')
        for split in self.splits:
            if split not in SPLITS:
                raise ValueError(f'split must be one of {SPLITS}, got {split!r}')

    def seeds_of(self, row: Row) -> Tuple[int, ...]:
        return row.seeds if row.seeds is not None else self.seeds

    def baselines(self) -> Dict[str, str]:
        """The row each row is paired with: the baseline, except that a row scored at an
        earlier iteration (``at_iter``) is paired with the baseline's training scored at that
        iteration when the study has that row (like with like: AP at iteration 100 against
        the baseline's AP at iteration 100, not at the end of its training)."""
        early = {r.at_iter: r.name for r in self.rows
                 if r.at_iter is not None and r.train_name == self.baseline}
        return {r.name: early.get(r.at_iter, self.baseline) if r.at_iter is not None
                else self.baseline for r in self.rows}

    def report_dir(self, split: str, default: str) -> str:
        return self.report.format(split=split) if self.report else default


def make_row(spec, cfg_options: Sequence[str] = (), max_iters: Optional[int] = None) -> Row:
    """A :class:`Row` from a config path or a dict of its fields; the study's ``cfg_options``
    come first (a row's own override them) and its ``max_iters`` is the default."""
    spec = dict(config=spec) if isinstance(spec, str) else dict(spec)
    spec['cfg_options'] = (*cfg_options, *spec.get('cfg_options', ()))
    spec['test_options'] = tuple(spec.get('test_options', ()))
    spec['train_args'] = tuple(spec.get('train_args', ()))
    spec.setdefault('max_iters', max_iters)
    if spec.get('seeds') is not None:
        spec['seeds'] = tuple(spec['seeds'])
    return Row(**spec)


def load_study(path: str) -> Study:
    """The :class:`Study` of a study file (see the module docstring)."""
    from mmengine.config import Config
    cfg = Config.fromfile(path)
    common = dict(cfg_options=tuple(cfg.get('cfg_options', ())), max_iters=cfg.get('max_iters'))
    rows = [make_row(spec, **common) for spec in cfg.rows]
    tuning = []
    for group in cfg.get('tuning', []):
        config = group['config']
        points = tuple(
            TuningPoint(str(p['value']), make_row(
                dict(config=config, **{k: v for k, v in p.items() if k != 'value'}), **common))
            for p in group['points'])
        tuning.append(TuningGroup(group['param'], points, str(group.get('chosen', '')),
                                  group.get('why', '')))
    return Study(name=cfg.get('name', config_name(path)), rows=rows,
                 seeds=tuple(cfg.get('seeds', (0, ))),
                 splits=tuple(cfg.get('splits', ('val', ))), baseline=cfg.get('baseline', ''),
                 steps=[tuple(pair) for pair in cfg.get('steps', [])], tuning=tuning,
                 store=cfg.get('store'), report=cfg.get('report'), data_root=cfg.get('data_root'),
                 kind=cfg.get('kind', 'ablation'), in_progress=cfg.get('in_progress', ''),
                 command=cfg.get('command', ''), readme_rows=tuple(cfg.get('readme_rows', ())))


def with_max_iters(study: Study, max_iters: int) -> Study:
    """The study with every row and tuning point trained ``max_iters`` iterations (a dry run;
    give it a work dir of its own: the runs keep their names)."""
    groups = [replace(g, points=tuple(replace(p, row=replace(p.row, max_iters=max_iters))
                                      for p in g.points)) for g in study.tuning]
    return replace(study, rows=[replace(r, max_iters=max_iters) for r in study.rows],
                   tuning=groups)


def with_seeds(study: Study, seeds: Sequence[int]) -> Study:
    """The study run to ``seeds`` only (rows with their own seeds keep those among them)."""
    seeds = tuple(seeds)
    rows = [replace(r, seeds=None if r.seeds is None else
                    tuple(s for s in r.seeds if s in seeds)) for r in study.rows]
    return replace(study, rows=rows, seeds=seeds)


def with_rows(study: Study, names: Sequence[str]) -> Study:
    """The study run on the rows ``names`` only, the baseline always among them (it pairs
    them), with the steps between kept rows and no tuning; a name that is not a row raises.
    Its report goes where a study without ``report`` puts it (``--out``, or the work dir),
    never over the whole study's reports."""
    unknown = sorted(set(names) - {r.name for r in study.rows})
    if unknown:
        raise ValueError(f'study {study.name}: {unknown} are not rows '
                         f'({[r.name for r in study.rows]})')
    kept = set(names) | {study.baseline}
    return replace(study, rows=[r for r in study.rows if r.name in kept],
                   steps=[pair for pair in study.steps if set(pair) <= kept], tuning=[],
                   readme_rows=tuple(r for r in study.readme_rows if r in kept), report=None)
