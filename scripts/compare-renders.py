#!/usr/bin/python3
"""Renders the example sessions and the bench sessions with two mixdown binaries, and compares every file.

Usage: scripts/compare-renders.py BEFORE_BINARY AFTER_BINARY [--seconds S] [--work DIR]

A refactor that must not change a bit (a rewrite of the execution plan, a kernel written once) is checked by
rendering with the binary built before it and the one built after, at -j 1 and -j 2, and comparing the
output folders byte for byte: mixes, stems, reports. The sessions: every sessions/*.json (after
build/make-demo-audio has written their audio) and the bench's 16- and 64-track sessions with stems
(bench/run.py's generator, SECONDS long, 30 s by default). Exits 0 when every file is identical, 1 when
any differs or is missing on one side (each is listed), 2 on a usage error.
"""

import argparse
import filecmp
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))


def bench_sessions(seconds, work):
    """Writes the bench's 16- and 64-track sessions (with stems) of `seconds` into work; returns their paths."""
    os.environ["BENCH_SECONDS"] = f"{seconds:g}"
    import run as bench  # noqa: E402  (reads BENCH_SECONDS when imported)

    bench.WORK = work
    paths = []
    for count in (16, 64):
        bench.ensure_corpus(64, seconds)
        workload = bench.Workload(f"{count}-tracks", bench.make_tracks(count, seconds), seconds)
        paths.append(bench.write_session(workload, stems=True))
    return paths


def render(binary, session, out, jobs):
    command = [binary, "render", session, "-o", out, "-j", str(jobs), "--quiet", "--no-progress"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(f"{' '.join(command)} exited {result.returncode}:\n{result.stderr}")
    return result.returncode


def files_under(folder):
    found = set()
    for directory, _, names in os.walk(folder):
        for name in names:
            found.add(os.path.relpath(os.path.join(directory, name), folder))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the bench sessions' tracks")
    parser.add_argument("--work", default=os.path.join(ROOT, "build", "compare-renders"))
    arguments = parser.parse_args()
    for binary in (arguments.before, arguments.after):
        if not os.access(binary, os.X_OK):
            parser.error(f"{binary} is not an executable")

    subprocess.run([os.path.join(ROOT, "build", "make-demo-audio"), os.path.join(ROOT, "sessions", "audio")],
                   check=True, capture_output=True)
    sessions = sorted(os.path.join(ROOT, "sessions", name) for name in os.listdir(os.path.join(ROOT, "sessions"))
                      if name.endswith(".json"))
    sessions += bench_sessions(arguments.seconds, arguments.work)

    differences = 0
    for session in sessions:
        label = os.path.splitext(os.path.basename(session))[0]
        for jobs in (1, 2):
            folders = []
            for side, binary in (("before", arguments.before), ("after", arguments.after)):
                folder = os.path.join(arguments.work, "out", f"{label}-j{jobs}", side)
                subprocess.run(["rm", "-rf", folder], check=True)
                if render(binary, session, folder, jobs) != 0:
                    differences += 1
                folders.append(folder)
            before, after = (files_under(folder) for folder in folders)
            for name in sorted(before ^ after):
                print(f"{label} -j {jobs}: {name} exists on one side only")
                differences += 1
            for name in sorted(before & after):
                if not filecmp.cmp(os.path.join(folders[0], name), os.path.join(folders[1], name), shallow=False):
                    print(f"{label} -j {jobs}: {name} differs")
                    differences += 1
            print(f"{label} -j {jobs}: {len(before & after)} files compared")
    print("identical" if differences == 0 else f"{differences} differences")
    return 0 if differences == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
