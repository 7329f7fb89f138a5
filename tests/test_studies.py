"""The committed studies that record their results, and their records: every run a study plans is recorded in its store,
every record belongs to a study, and README's tables and the committed reports are what the
records give (regenerate with ``python tools/report_studies.py``)."""
import glob
import json
import os.path as osp

import pytest

from conftest import ROOT
from eiou_lab.experiments.plan import plan
from eiou_lab.experiments.readme import marked_tables, update_tables
from eiou_lab.experiments.report import headline_table, study_summary
from eiou_lab.experiments.study import load_study

STUDIES = sorted(glob.glob(osp.join(ROOT, 'configs', 'studies', '*.py')))


@pytest.fixture(scope='module')
def studies(monkeypatch_module):
    out = {}
    for path in STUDIES:
        study = load_study(path)
        if study.store:  # a recorded study (others, as amp_on_device.py, report to --out)
            out[osp.relpath(path, ROOT)] = (study, plan(study, '/nonexistent/work_dir'))
    return out


@pytest.fixture(scope='module')
def monkeypatch_module():
    """Study files name their configs and stores relative to the repository root."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        yield mp


def test_every_planned_run_is_recorded_and_every_record_planned(studies):
    """A study whose runs are still going says what is missing (``in_progress``) and has
    recorded something; every other study has recorded every run it plans."""
    planned = set()
    for name, (study, runs) in studies.items():
        missing = [run.label for run in runs if not run.is_done()]
        if study.in_progress:
            assert len(missing) < len(runs), f'{name}: in progress, but nothing recorded'
        else:
            assert not missing, f'{name}: not recorded: {missing}'
        planned |= {osp.abspath(run.record_file) for run in runs}
    records = {osp.abspath(p) for p in glob.glob(
        osp.join(ROOT, 'docs', '*', 'runs', '*', 'seed*', 'metrics_*.json'))}
    assert records and records <= planned, sorted(records - planned)


def test_the_census_report_is_generated_from_its_records(studies):
    from eiou_lab.analysis import disjoint_census
    from eiou_lab.experiments.census import stored_census
    censuses = [(n, s, r) for n, (s, r) in studies.items() if s.kind == 'census']
    assert censuses
    for name, study, runs in censuses:
        records = {run.row.name: disjoint_census.read_census(stored_census(run))
                   for run in runs}
        with open(osp.join(ROOT, study.report, 'census.json')) as f:
            committed = json.load(f)
        fresh = json.loads(json.dumps(disjoint_census.census(records)))  # tuples as lists
        assert json.dumps(committed, sort_keys=True) == json.dumps(fresh, sort_keys=True), \
            f'{name}: run python tools/report_studies.py'


def summary_of(study, runs, split):
    return study_summary(study, runs, split)


def test_readme_tables_are_generated_from_the_records(studies):
    with open(osp.join(ROOT, 'README.md')) as f:
        text = f.read()
    blocks = marked_tables(text)
    assert len(blocks) >= 2 and all(name in studies for name, _ in blocks)

    def table(name, split):
        study, runs = studies[name]
        return headline_table(study, summary_of(study, runs, split), study.readme_rows)

    assert update_tables(text, table) == text, 'run python tools/report_studies.py'


@pytest.mark.parametrize('split', ['val', 'test'])
def test_committed_reports_hold_the_records_numbers(studies, split):
    for name, (study, runs) in studies.items():
        if study.kind == 'census' or split not in study.splits:
            continue
        with open(osp.join(ROOT, study.report_dir(split, ''), 'results.json')) as f:
            committed = json.load(f)
        summary = summary_of(study, runs, split)
        for key, fresh in (('gains', summary['gains']), ('summary', summary['rows'])):
            # as JSON text: NaN (not measured) equals itself there, and seeds become strings
            as_text = [json.dumps(x, sort_keys=True) for x in (committed[key], fresh)]
            assert as_text[0] == as_text[1], (name, key)
