"""Reproduce the toy experiments of Peng & Yu (TIP 2021), Fig. 3, 4 and 5, with our loss.

    python tools/paper_figures.py [--out-dir work_dirs/paper_figures]

writes ``fig3_giou_counterexample.png``, ``fig4_ct_convergence.png`` and
``fig5_sot_convergence.png`` and prints the numbers behind them. What each figure shows and
the settings: docs/paper_figures.md; the logic: :mod:`eiou_lab.analysis.paper_figures`.
"""
from eiou_lab.analysis.paper_figures import main

if __name__ == '__main__':
    main()
