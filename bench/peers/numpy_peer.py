# The numpy peer's worker (bench/peers/numpy.mjs; not named numpy.py, which would shadow
# the module): reads the cases' inputs (raw float32 files), times each case with
# time.perf_counter in this process (warm-up first, then up to `reps` runs within `budget`
# seconds), writes each result as raw float32 and prints one JSON line with the times.
# numpy's matmul is its BLAS (OpenBLAS in numpy's wheels).
import json
import os
import sys
import time

import numpy as np

d = sys.argv[1]
spec = json.load(open(os.path.join(d, "spec.json")))


def load(name, shape):
    return np.fromfile(os.path.join(d, name + ".f32"), dtype=np.float32).reshape(shape)


def softmax(x):
    m = x.max(axis=-1, keepdims=True)
    e = np.exp(x - m)
    return e / e.sum(axis=-1, keepdims=True)


cases = {}
for n in (256, 512, 1024):
    a, b = load(f"mm{n}a", (n, n)), load(f"mm{n}b", (n, n))
    cases[f"matmul{n}"] = (lambda a=a, b=b: a @ b)
x4, y4 = load("x4", (-1,)), load("y4", (-1,))
cases["add"] = lambda: x4 + y4
cases["sum"] = lambda: np.asarray(x4.sum(dtype=np.float32))
soft = load("soft", (4096, 1024))
cases["softmax"] = lambda: softmax(soft)

out = {"version": np.__version__, "blas": "", "cases": {}}
try:
    cfg = np.show_config(mode="dicts")
    blas = cfg["Build Dependencies"]["blas"]
    out["blas"] = f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
except Exception:  # older numpy: no dict mode
    pass
for s in spec:
    f = cases.get(s["id"])
    if f is None:
        continue
    t0 = time.perf_counter()
    r = f()
    first = time.perf_counter() - t0
    while time.perf_counter() - t0 < 0.5:  # warm-up, as bench/child.mjs does
        r = f()
    times = []
    start = time.perf_counter()
    slow = first > s["budget"] / 3
    while len(times) < s["reps"] and (len(times) < (1 if slow else 3) or time.perf_counter() - start < s["budget"]):
        t = time.perf_counter()
        r = f()
        times.append((time.perf_counter() - t) * 1000)
    np.asarray(r, dtype=np.float32).tofile(os.path.join(d, "out_" + s["id"] + ".f32"))
    out["cases"][s["id"]] = times
print("@@NUMPY " + json.dumps(out))
