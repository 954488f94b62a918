"""Bank loading at 10,000 questions: libyaml alone, our cold start, our warm start.

usage: python benchmarks/bench_load.py [--questions N] [--repeat R]

Targets (issue 2): warm <= 0.5 x libyaml's parse, cold <= 1.5 x. Each run is a
fresh interpreter, so nothing is shared between them; the best of R runs is
reported, as is usual for timings on a shared machine.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GEN = REPO.parent / "shared" / "tools" / "gen_bank.py"

LIBYAML = """
import sys, time, yaml
from pathlib import Path
files = sorted(Path(sys.argv[1]).glob('*.yaml'))
t = time.perf_counter()
for f in files:
    yaml.load(f.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)
print(time.perf_counter() - t)
"""

OURS = """
import sys, time
t = time.perf_counter()
from quiz.loader import load_paths
lib, problems = load_paths([sys.argv[1]])
assert not problems and len(lib) > 0, problems[:3]
print(time.perf_counter() - t)
"""


def run(code: str, banks: Path, cache: Path) -> float:
    env = {"QUIZ_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code, str(banks)], capture_output=True, text=True, env=env, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        banks, cache = Path(tmp) / "banks", Path(tmp) / "cache"
        subprocess.run([sys.executable, str(GEN), str(banks), "--questions", str(a.questions)], check=True,
                       capture_output=True)
        base = min(run(LIBYAML, banks, cache) for _ in range(a.repeat))
        colds, warms = [], []
        for _ in range(a.repeat):
            for f in cache.glob("*"):
                f.unlink()
            colds.append(run(OURS, banks, cache))
            warms.append(run(OURS, banks, cache))
        cold, warm = min(colds), min(warms)
    print(f"questions:            {a.questions}")
    print(f"libyaml parse alone:  {base:.3f} s")
    print(f"cold start (ours):    {cold:.3f} s  = {cold / base:.2f} x libyaml (target <= 1.5)")
    print(f"warm start (cache):   {warm:.3f} s  = {warm / base:.2f} x libyaml (target <= 0.5)")


if __name__ == "__main__":
    main()
