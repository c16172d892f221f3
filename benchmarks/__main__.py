"""``python -m benchmarks generate|run``: see benchmarks/__init__.py."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_build"]:
        # Internal: the build the runner times, in a child process of its own.
        from benchmarks.runner import build_main

        return build_main(argv[1:])
    if argv[:1] == ["_profile"]:
        from pathlib import Path

        from benchmarks.runner import profile_build

        src, work, out = argv[1:4]
        Path(out).write_text(profile_build(Path(src), Path(work)))
        return 0
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate", help="write N synthetic records in the archive's text format")
    g.add_argument("-n", type=int, default=100, help="number of records (default 100)")
    g.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    g.add_argument("-o", "--out", required=True, help="output folder")
    f = sub.add_parser("fuzz", help="convert N mutated records and count what fails "
                                    "(benchmarks/fuzz.py)")
    f.add_argument("-n", type=int, default=10000, help="number of cases (default 10000)")
    f.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    f.add_argument("-o", "--out", default=None, help="folder for the failing records")
    s = sub.add_parser("paragraphs", help="CPU of one record of N short paragraphs, by N "
                                          "(benchmarks/scaling.py)")
    s.add_argument("--sizes", default="25000,50000,100000",
                   help="paragraph counts (default 25000,50000,100000)")
    r = sub.add_parser("run", help="run the benchmark and write docs/benchmarks.md")
    r.add_argument("--sizes", default="100,1000,10000",
                   help="corpus sizes (default 100,1000,10000)")
    r.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    r.add_argument("--peers-sample", type=int, default=20,
                   help="files run through Saxon-HE and jing one by one (default 20)")
    r.add_argument("--work", default=None, help="scratch folder (default: a temporary folder)")
    r.add_argument("--out", default="docs/benchmarks.md", help="where to write the table")
    r.add_argument("--profile", action="store_true", help="also profile one build (cProfile)")
    r.add_argument("--reuse", action="store_true",
                   help="reuse sizes measured earlier in the same --work folder")
    r.add_argument("--no-incremental", dest="incremental", action="store_false",
                   help="skip the incremental rebuilds")
    args = parser.parse_args(argv)
    if args.cmd == "generate":
        from benchmarks.generator import write_corpus

        paths = write_corpus(args.n, args.out, args.seed)
        print(f"wrote {len(paths)} records to {args.out}")
        return 0
    if args.cmd == "paragraphs":
        from benchmarks.scaling import run as scaling

        scaling([int(x) for x in args.sizes.split(",") if x])
        return 0
    if args.cmd == "fuzz":
        from benchmarks.fuzz import run as fuzz

        counts = fuzz(args.n, args.seed, args.out)
        print("fuzz: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        return 1 if counts["failed"] else 0
    from benchmarks.runner import run

    return run(sizes=[int(s) for s in args.sizes.split(",") if s], jobs=args.jobs,
               peers_sample=args.peers_sample, work=args.work, out=args.out,
               profile=args.profile, reuse=args.reuse, incremental=args.incremental)


if __name__ == "__main__":
    sys.exit(main())
