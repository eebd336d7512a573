#!/usr/bin/python3
"""Checks that the source folders include each other only downward, with no cycle.

Usage: scripts/check-layers.py [--graph] [--root DIR]

The folders, top to bottom (a folder may include its own headers and those of any folder below it):

    cli -> render -> graph -> {analysis, session, dsp, plugins, io} -> audio -> util

The five folders of the middle layer are siblings: they may include each other only where the arrows
among them form no cycle. Every `#include "mixdown/<folder>/..."` in src/ and include/mixdown/ counts;
src/main.cpp stands above cli. Prints each offending include (file, line, folders) and exits 1 if any,
else 0. --graph prints every folder-to-folder arrow with its number of includes; --root checks another
tree laid out as this one (the test plants upward includes and cycles in one).
"""

import argparse
import os
import re
import sys

LAYERS = [["main"], ["cli"], ["render"], ["graph"], ["analysis", "session", "dsp", "plugins", "io"], ["audio"], ["util"]]
RANK = {folder: rank for rank, layer in enumerate(LAYERS) for folder in layer}
INCLUDE = re.compile(r'^\s*#\s*include\s+"mixdown/([a-z_]+)/')


def folder_of(path, root):
    """The folder a source file belongs to: src/<folder>/... or include/mixdown/<folder>/...; main for src/main.cpp."""
    parts = os.path.relpath(path, root).split(os.sep)
    if parts[0] == "src":
        return "main" if len(parts) == 2 else parts[1]
    return parts[2]


def includes(root):
    """Yields (file, line number, from folder, to folder) for every mixdown include across folders of root."""
    for top in (os.path.join(root, "src"), os.path.join(root, "include", "mixdown")):
        for directory, _, names in sorted(os.walk(top)):
            for name in sorted(names):
                if not name.endswith((".h", ".cpp")):
                    continue
                path = os.path.join(directory, name)
                source = folder_of(path, root)
                with open(path, encoding="utf-8") as stream:
                    for number, line in enumerate(stream, 1):
                        match = INCLUDE.match(line)
                        if match and match.group(1) != source:
                            yield os.path.relpath(path, root), number, source, match.group(1)


def cycle_among(arrows):
    """A cycle in the folder graph (a list of folders, first repeated last), or None; iterative depth-first search."""
    state = {}
    for start in sorted(arrows):
        if state.get(start):
            continue
        stack = [(start, iter(sorted(arrows.get(start, ()))))]
        path = [start]
        state[start] = 1  # on the current path
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2  # done
                stack.pop()
                path.pop()
            elif state.get(child) == 1:
                return path[path.index(child):] + [child]
            elif not state.get(child):
                state[child] = 1
                stack.append((child, iter(sorted(arrows.get(child, ())))))
                path.append(child)
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", action="store_true", help="print every folder-to-folder arrow")
    parser.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        help="the tree to check (default: this repository)")
    arguments = parser.parse_args()

    problems = 0
    arrows = {}
    counts = {}
    for path, number, source, target in includes(arguments.root):
        if target not in RANK or source not in RANK:
            unknown = target if target not in RANK else source
            print(f"{path}:{number}: folder '{unknown}' is in no layer (scripts/check-layers.py LAYERS)")
            problems += 1
            continue
        counts[(source, target)] = counts.get((source, target), 0) + 1
        arrows.setdefault(source, set()).add(target)
        if RANK[target] < RANK[source]:
            print(f"{path}:{number}: {source} includes {target}, a folder above it")
            problems += 1
    cycle = cycle_among(arrows)
    if cycle:
        print("folder cycle: " + " -> ".join(cycle))
        problems += 1
    if arguments.graph:
        for (source, target), count in sorted(counts.items(), key=lambda item: (RANK[item[0][0]], item[0])):
            print(f"{source} -> {target}: {count}")
    if problems == 0:
        print("layers: " + " -> ".join("{" + ", ".join(layer) + "}" if len(layer) > 1 else layer[0]
                                       for layer in LAYERS[1:]) + ": no upward include, no cycle")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
