"""CI stops only the processes it started (issue 22, item 7)."""

import re
from pathlib import Path

CI_RUN = Path(__file__).resolve().parent.parent / ".ci" / "run"


def test_ci_run_never_kills_by_pattern():
    text = CI_RUN.read_text()
    commands = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    for line in commands:
        assert not re.search(r"\b(pkill|killall)\b", line), f"kills by name or pattern: {line.strip()}"


def test_ci_run_starts_make_run_in_its_own_group_and_ends_that_group():
    text = CI_RUN.read_text()
    assert re.search(r"exec setsid make run\b", text)
    assert 'run_pgid=$!' in text
    assert re.search(r'kill -TERM -- "-\$run_pgid"', text)
    assert re.search(r'kill -KILL -- "-\$run_pgid"', text)
