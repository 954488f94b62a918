"""Bank loading at 10,000 questions: libyaml alone, our cold start, our warm start; and ``quiz stats --json``.

usage: python benchmarks/bench_load.py [--questions N] [--repeat R]

Targets (issue 2): loading warm <= 0.5 x libyaml's parse, cold <= 1.5 x (times inside the
process). Issue 12: the whole ``quiz stats --json`` command, a process from start to exit,
warm (the bank cache filled) <= 0.5 x and cold (the cache emptied) <= 1.5 x a process that
does nothing but parse the same files with libyaml. Each run is a fresh interpreter, so
nothing is shared between them; the best of R runs is reported, as is usual for timings on
a shared machine.
"""

from __future__ import annotations

import argparse
import compileall
import subprocess
import sys
import tempfile
import time
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


LIBYAML_PROCESS = """
import sys, yaml
from pathlib import Path
for f in sorted(Path(sys.argv[1]).glob('*.yaml')):
    yaml.load(f.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)
"""


def process_time(argv: list[str], cache: Path) -> float:
    """Wall time of a whole process, start to exit."""
    env = {"QUIZ_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HOME": str(cache)}
    t = time.perf_counter()
    subprocess.run(argv, capture_output=True, env=env, check=True)
    return time.perf_counter() - t


def stats_json(banks: Path, cache: Path, db: Path, repeat: int) -> tuple[float, float, float]:
    """(libyaml process, cold ``quiz stats --json``, warm ``quiz stats --json``): best of ``repeat``."""
    quiz = [sys.executable, "-m", "quiz.cli", "--banks", str(banks), "--db", str(db), "stats", "--json"]
    base = min(process_time([sys.executable, "-c", LIBYAML_PROCESS, str(banks)], cache) for _ in range(repeat))
    colds, warms = [], []
    for _ in range(repeat):
        for f in cache.glob("*"):
            f.unlink()
        colds.append(process_time(quiz, cache))
        warms.append(process_time(quiz, cache))
    return base, min(colds), min(warms)


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
        compileall.compile_dir(str(REPO / "quiz"), quiet=1)  # as an installed wheel has them
        p_base, p_cold, p_warm = stats_json(banks, cache, Path(tmp) / "progress.db", a.repeat)
    print(f"questions:            {a.questions}")
    print(f"libyaml parse alone:  {base:.3f} s")
    print(f"cold start (ours):    {cold:.3f} s  = {cold / base:.2f} x libyaml (target <= 1.5)")
    print(f"warm start (cache):   {warm:.3f} s  = {warm / base:.2f} x libyaml (target <= 0.5)")
    print("whole processes, start to exit:")
    print(f"libyaml parse:        {p_base:.3f} s")
    print(f"quiz stats --json:    cold {p_cold:.3f} s = {p_cold / p_base:.2f} x (target <= 1.5), "
          f"warm {p_warm:.3f} s = {p_warm / p_base:.2f} x (target <= 0.5)")


if __name__ == "__main__":
    main()
