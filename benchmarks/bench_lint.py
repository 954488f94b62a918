"""How long `quiz lint` takes on 10,000 questions (target: under 10 s on the 2-core machine).

usage: python benchmarks/bench_lint.py [--questions N] [--files F] [--keep DIR]

Writes N synthetic questions with /work/shared/tools/gen_bank.py (or ../shared/tools
beside the checkout), plants near-duplicates across banks, then times loading and
each lint check separately, and checks that every planted duplicate is found.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quiz.loader import load_paths  # noqa: E402
from quiz.trainer.lint import CHECKS, lint_library  # noqa: E402

GEN = ROOT.parent / "shared" / "tools" / "gen_bank.py"
PLANTED = 20


def plant_duplicates(folder: Path) -> list[str]:
    """Copy PLANTED questions of the first bank into a new bank, each with one character changed."""
    first = sorted(folder.glob("synthetic-*.yaml"))[0]
    data = yaml.safe_load(first.read_text(encoding="utf-8"))
    copies = []
    originals = []
    for q in data["questions"][:PLANTED]:
        c = dict(q)
        c["id"] = "copy-" + q["id"]
        c["prompt"] = q["prompt"][:-2] + "吗" + q["prompt"][-1]
        copies.append(c)
        originals.append(f"{data['bank']}/{q['id']}")
    bank = {"bank": "planted-copies", "title": "抄来的题", "questions": copies}
    (folder / "planted.yaml").write_text(yaml.safe_dump(bank, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return [f"planted-copies/copy-{o.split('/')[1]}" for o in originals]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", type=int, default=10_000)
    ap.add_argument("--files", type=int, default=10)
    ap.add_argument("--keep", metavar="DIR", help="write the banks here instead of a temporary folder")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(a.keep) if a.keep else Path(tmp) / "banks"
        subprocess.run([sys.executable, str(GEN), str(folder), "--questions", str(a.questions), "--files", str(a.files)],
                       check=True, stdout=subprocess.DEVNULL)
        planted = plant_duplicates(folder)

        t0 = time.perf_counter()
        lib, problems = load_paths([folder], use_cache=False)
        t_load = time.perf_counter() - t0
        assert not problems, problems[:3]
        print(f"{len(lib)} questions in {len(lib.banks)} banks, {len(lib.exams)} exam(s); load {t_load:.2f} s")

        total = 0.0
        found: set[str] = set()
        for check in CHECKS:
            t0 = time.perf_counter()
            warnings = lint_library(lib, checks=[check])
            dt = time.perf_counter() - t0
            total += dt
            print(f"  {check:<18} {dt:6.2f} s  {len(warnings):6d} warning(s)")
            if check == "near-duplicate":
                found = {w.qid for w in warnings} | {w.message.split(" of ")[1].split(" ")[0] for w in warnings}
        t0 = time.perf_counter()
        everything = lint_library(lib)
        t_all = time.perf_counter() - t0
        print(f"lint, all checks at once: {t_all:.2f} s ({len(everything)} warnings); sum of checks {total:.2f} s")
        missing = [q for q in planted if q not in found]
        print(f"planted near-duplicates found: {PLANTED - len(missing)}/{PLANTED}")
        if missing:
            print("  missed:", ", ".join(missing[:5]))
            sys.exit(1)


if __name__ == "__main__":
    main()
