"""eiou_lab: the research apparatus of mmdet-eiou, beside the add-on and built on it.

The add-on (``mmdet_eiou``) is what a detector needs at train and test time; this package holds
what measures it: ablation studies (:mod:`.experiments`: plan, run locally, with torchrun or on
Slurm, collect, paired statistics, reports), analyses (:mod:`.analysis`: the paper's figures,
localisation, the disjoint-pair census, SOT units, gradient scales), loss benchmarks
(:mod:`.benchmark`), the regression simulation (:mod:`.simulation`), the embedded synthetic
shapes data (:mod:`.datasets`) and the shared box-pair sampler (:mod:`.box_pairs`). It imports
``mmdet_eiou``; ``mmdet_eiou`` never imports it. Install it with ``pip install -e lab``.
"""
__version__ = '0.2.0'
