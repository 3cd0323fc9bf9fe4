"""The served processes run the matcher's matrix products on one thread: gunicorn's workers are the parallelism."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: prints the threads Python did not start (OpenBLAS starts its own when numpy is imported)
PROBE = """
import os, threading
import wsgi
import numpy as np
matrix = np.ones((100000, 384), dtype=np.float32)
matrix @ np.ones(384, dtype=np.float32)
print(len(os.listdir("/proc/self/task")) - len(threading.enumerate()), os.environ["OPENBLAS_NUM_THREADS"])
"""


def test_a_served_process_keeps_numpy_to_one_thread_even_on_several_cores():
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    env.update(CLUBESS_ENV="testing", DATABASE_URL="sqlite://")
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["0", "1"]


def test_without_the_setting_numpy_would_start_a_thread_per_core():
    """The probe can fail: on this machine's cores numpy alone starts more threads."""
    if (os.cpu_count() or 1) < 2:
        return
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    probe = PROBE.replace("import wsgi", "").replace(', os.environ["OPENBLAS_NUM_THREADS"]', "")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert int(out.stdout) > 0
