"""How our tools leave a finished run (mmdet_eiou/utils/exit.py): a gloo run by os._exit after
flushing, any other without the exit's garbage collections but with its atexit hooks."""
from conftest import PYTHON, run_tool


def test_exit_after_a_cpu_distributed_run_flushes_logs_and_console_and_exits_zero(tmp_path):
    log = tmp_path / 'run.log'
    script = f'''
import atexit, logging, sys
from mmdet_eiou.utils import exit_after_cpu_distributed_run
logger = logging.getLogger('run')
logger.addHandler(logging.FileHandler({str(log)!r}))
logger.warning('saved')
sys.stdout.write('console, unflushed')
atexit.register(print, 'teardown ran')
exit_after_cpu_distributed_run()
print('not reached')
'''
    proc = run_tool([PYTHON, '-c', script])
    assert proc.returncode == 0, proc.stderr
    # what the script wrote comes last (OneDL's mmdet prints a line of its own on import)
    assert proc.stdout.split('\n')[-1] == 'console, unflushed', proc.stdout
    assert 'teardown ran' not in proc.stdout and 'not reached' not in proc.stdout
    assert log.read_text() == 'saved\n'


def test_a_finished_run_exits_with_its_hooks_but_without_collecting_what_it_holds(tmp_path):
    log = tmp_path / 'run.log'
    script = f'''
import atexit, gc, logging, sys
import torch
from mmdet_eiou.utils import skip_exit_collections


class Cycle:  # garbage that only the collector frees
    def __init__(self):
        self.me = self

    def __del__(self):
        sys.stdout.write('collected at exit\\n')


logger = logging.getLogger('run')
logger.addHandler(logging.FileHandler({str(log)!r}))
logger.warning('saved')
gc.disable()  # the cycle stays garbage until the exit (the exit collects regardless)
Cycle()
atexit.register(print, 'atexit hook ran')
tracked = len(gc.get_objects())
skip_exit_collections()
assert gc.get_freeze_count() >= tracked, (gc.get_freeze_count(), tracked)
'''
    proc = run_tool([PYTHON, '-c', script])
    assert proc.returncode == 0, proc.stderr
    assert 'atexit hook ran' in proc.stdout and log.read_text() == 'saved\n'
    assert 'collected at exit' not in proc.stdout  # no collection over the frozen heap
