"""The whole simulation of ``tools/simulate_regression.py``: every loss on the cases of one
scale, and optionally the same losses at other scales for the scale table (Sec. "SOT makes the
result scale-invariant", ``docs/simulation.md``)."""
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence

from torch import Tensor

from . import regression as sim

Progress = Callable[[int], None]


def run_losses(names: Sequence[str], cases: sim.Cases, schedule: sim.Schedule, chunk_size: int,
               progress: Optional[Progress] = None):
    """Every loss of ``names`` on ``cases``: ``{name: summary}`` and ``{name: error map}``."""
    summaries, errors = {}, {}
    for name in names:
        run = sim.run_loss(name, cases, schedule, chunk_size, progress)
        summaries[name] = sim.summarise(run, cases, schedule)
        errors[name] = sim.per_centre_error(run, cases)
    return summaries, errors


@dataclass
class ScalePlan:
    """Which scales the scale table needs, on how many centres, and which of them need runs of
    their own (the main run doubles as the table's entry for its scale when both use every
    case)."""
    scales: List[float]
    centres: int
    runs: List[float] = field(default_factory=list)

    @classmethod
    def make(cls, scale: float, scales: Sequence[float], num_centres: int,
             scale_centres: Optional[int]) -> 'ScalePlan':
        table = sorted(set(scales) | {scale}) if scales else []
        centres = min(scale_centres or num_centres, num_centres)
        runs = [s for s in table if not (s == scale and centres == num_centres)]
        return cls(table, centres, runs)

    def case_runs(self, num_losses: int, num_cases: int) -> int:
        """Case-runs in all (main run and table runs), for a progress count."""
        return num_losses * (num_cases + sim.CASES_PER_CENTRE * self.centres * len(self.runs))


@dataclass
class Simulation:
    cases: sim.Cases
    summaries: Dict[str, Dict]
    errors: Dict[str, Tensor]
    main_wall_s: float
    wall_s: float


def simulate(losses: Sequence[str], cases: sim.Cases, seed: int, plan: ScalePlan,
             schedule: sim.Schedule, chunk_size: int,
             progress: Optional[Progress] = None) -> Simulation:
    """The main run on ``cases`` (of :func:`~.regression.make_cases` with ``seed``), then the
    scale table's runs on the first centres of the same seed (added to the summaries)."""
    start = time.perf_counter()
    summaries, errors = run_losses(losses, cases, schedule, chunk_size, progress)
    main_wall = time.perf_counter() - start
    by_scale = {s: summaries for s in plan.scales if s not in plan.runs}
    for s in plan.runs:
        table_cases = sim.make_cases(plan.centres, seed, s)
        by_scale[s] = run_losses(losses, table_cases, schedule, chunk_size, progress)[0]
    if plan.scales:
        sim.add_scale_table(summaries, by_scale)
    return Simulation(cases, summaries, errors, main_wall, time.perf_counter() - start)
