"""WSGI entry point: gunicorn and `flask --app wsgi` load the app from here."""

import os

# one BLAS thread per process, set before numpy is first imported (the matcher's matrix products): the workers
# are the parallelism, and OpenBLAS would otherwise start a thread per core in each of them
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

from clubess import create_app  # noqa: E402

app = create_app()
