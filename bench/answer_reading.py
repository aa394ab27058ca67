"""How well answers are read: the answer corpus (tests/answers/corpus_*.yaml) by kind of answer.

Targets (issue 27): no yes read as no; at most 2% of no answers read as yes; at
most 15% of clear (yes or no) answers said back; reading one answer within
20 ms at the 95th percentile. Printed per kind, with the misses, so a change to
the words or the reader shows what it bought and what it cost.

    python -m bench.answer_reading            # the table and the misses
    python -m bench.answer_reading --quiet    # the table only
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import defaultdict

from harness.answer_corpus import Read, Reader, load_corpus
from voice.conversation.content import load_content

MAX_NO_AS_YES = 0.02
MAX_READ_BACK = 0.15
MAX_P95_MS = 20.0


def _row(name: str, reads: list[Read]) -> str:
    clear = [r for r in reads if r.case.means != "unclear"]
    nos = [r for r in reads if r.case.means == "no"]
    right = sum(r.right for r in reads)
    return (f"{name:26} {len(reads):5d} {100 * right / len(reads):6.1f}% "
            f"{sum(r.yes_read_as_no for r in reads):6d} "
            f"{sum(r.no_read_as_yes for r in reads):4d}/{len(nos):<4d}"
            f"{sum(r.read_back for r in clear):5d}/{len(clear):<4d}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="leave out the misses")
    args = parser.parse_args()
    reader = Reader(load_content())
    reads = [reader.read(case) for case in load_corpus()]
    by_kind: dict[str, list[Read]] = defaultdict(list)
    for read in reads:
        by_kind[read.case.kind].append(read)
    print(f"{'kind':26} {'n':>5} {'right':>7} {'yes>no':>6} {'no>yes':>9} {'said back':>9}")
    for kind in sorted(by_kind):
        print(_row(kind, by_kind[kind]))
    print(_row("all", reads))
    nos = [r for r in reads if r.case.means == "no"]
    clear = [r for r in reads if r.case.means != "unclear"]
    yes_as_no = sum(r.yes_read_as_no for r in reads)
    no_as_yes = sum(r.no_read_as_yes for r in reads) / len(nos)
    read_back = sum(r.read_back for r in clear) / len(clear)
    times = sorted(r.seconds * 1000 for r in reads)
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"\nyes read as no: {yes_as_no} (target 0); no read as yes: {100 * no_as_yes:.1f}% "
          f"(target <= {100 * MAX_NO_AS_YES:.0f}%); clear answers said back: "
          f"{100 * read_back:.1f}% (target <= {100 * MAX_READ_BACK:.0f}%)")
    print(f"reading one answer: p50 {statistics.median(times):.2f} ms, p95 {p95:.2f} ms "
          f"(target <= {MAX_P95_MS:.0f} ms)")
    if not args.quiet:
        print("\nmisses (question | said | clinician | read as):")
        for read in reads:
            if not read.right or read.read_back:
                answer = read.answer.value if read.answer else "none"
                back = " (said back)" if read.read_back else ""
                mark = "!!" if read.yes_read_as_no or read.no_read_as_yes else "  "
                print(f"{mark} {read.case.question:24} {read.case.said!r:70} {read.case.means:7} "
                      f"{answer}{back}")
    ok = (yes_as_no == 0 and no_as_yes <= MAX_NO_AS_YES and read_back <= MAX_READ_BACK
          and p95 <= MAX_P95_MS)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
