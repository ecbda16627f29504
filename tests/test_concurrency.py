"""Two copies of the program writing takes at once do not corrupt or collide."""

import subprocess
import sys
import textwrap

SAVER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, sys.argv[2])
    from helpers import timeline
    from mock_interview.core.judge.questions import find_question
    from mock_interview.core.store.banks import load_banks
    from mock_interview.core.report import build_report
    from mock_interview.core.store.storage import Store

    drift = find_question(load_banks(), "drift")
    with Store.open() as store:
        for i in range(int(sys.argv[1])):
            store.save_take(build_report(timeline(f"take number {i} um"), 5, drift), drift, None)
    """
)


def test_two_processes_saving_at_once(isolated_home, tmp_path):
    import os
    from pathlib import Path

    from mock_interview.core.store.storage import Store

    tests = str(Path(__file__).parent)
    env = dict(os.environ, MOCK_INTERVIEW_HOME=str(isolated_home))
    procs = [
        subprocess.Popen([sys.executable, "-c", SAVER, "25", tests], env=env, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    with Store.open() as store:
        numbers = sorted(t.number for t in store.takes(question_id="drift"))
        assert numbers == list(range(1, 51))
        assert store.integrity_problem() is None
