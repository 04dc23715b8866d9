#!/usr/bin/env python3
"""Fails when modules of one crate use each other in a cycle.

A cycle (`auth` uses `limits`, which uses `auth`) means two modules are one
concept split in two, or a third concept hides inside both: either way a
newcomer cannot read one without the other. For each crate (the storefront
library, shop-core, order-api, the WeChat Pay simulator) this reads every `crate::…` and `super::…`
path in its modules (`use` statements, grouped ones included, and paths
written inline), resolves each to the module it names, and reports every
cycle among the modules. A module and its own submodules count as one
(a parent re-exports its children, a child uses its parent's types).

    scripts/module-cycles.py            check the repo's crates
"""

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CRATES = {
    "storefront": REPO / "src",
    "shop-core": REPO / "crates/shop-core/src",
    "order-api": REPO / "crates/order-api/src",
    "wechat-pay-sim": REPO / "crates/wechat-pay-sim/src",
}
# Files that are crates of their own (binaries using the library by name).
NOT_MODULES = {"main.rs", "bin"}


def modules(root):
    """Module path (a tuple) → file, for every module file under root."""
    found = {}
    for file in root.rglob("*.rs"):
        rel = file.relative_to(root)
        if rel.parts[0] in NOT_MODULES:
            continue
        parts = list(rel.with_suffix("").parts)
        if parts[-1] in ("mod", "lib"):
            parts.pop()
        found[tuple(parts)] = file
    return found


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def expand_use_tree(tree):
    """`a::{b, c::{d, e}}` → ['a::b', 'a::c::d', 'a::c::e']."""
    tree = tree.strip()
    brace = tree.find("{")
    if brace < 0:
        return [tree.split(" as ")[0].strip()]
    prefix, inner = tree[:brace], tree[brace + 1 : tree.rfind("}")]
    items, depth, start = [], 0, 0
    for i, c in enumerate(inner):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "," and depth == 0:
            items.append(inner[start:i])
            start = i + 1
    items.append(inner[start:])
    paths = []
    for item in items:
        if item.strip():
            paths.extend(prefix + p for p in expand_use_tree(item))
    return paths


def referenced_paths(text):
    """Every path (as segments, starting `crate` or `super`) the code names."""
    text = strip_comments(text)
    paths = []
    for tree in re.findall(r"\buse\s+((?:crate|super)::[^;]+);", text):
        paths.extend(expand_use_tree(" ".join(tree.split())))
    text = re.sub(r"\buse\s+[^;]+;", "", text)
    paths.extend(re.findall(r"\b(?:crate|super)(?:::\w+)+", text))
    return [[s for s in p.replace(" ", "").split("::") if s] for p in paths]


def resolve(path, here, known):
    """The module a path names, from the module `here`."""
    segments = list(path)
    base = []
    if segments[0] == "crate":
        segments.pop(0)
    else:
        base = list(here)
        while segments and segments[0] == "super":
            segments.pop(0)
            base.pop()
    target = tuple(base)
    for segment in segments:
        if target + (segment,) in known:
            target += (segment,)
        else:
            break
    return target


def related(a, b):
    shorter = min(len(a), len(b))
    return a[:shorter] == b[:shorter]


def cycles(graph):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def main():
    sys.setrecursionlimit(10_000)
    failed = False
    for crate, root in CRATES.items():
        known = modules(root)
        graph, why = {}, {}
        for module, file in known.items():
            for path in referenced_paths(file.read_text()):
                target = resolve(path, module, known)
                if target != module and not related(target, module):
                    graph.setdefault(module, set()).add(target)
                    why.setdefault((module, target), "::".join(path))
        name = lambda m: "::".join(m) or "crate"
        for component in cycles(graph):
            failed = True
            print(f"{crate}: modules that use each other: {', '.join(map(name, component))}")
            members = set(component)
            for a in component:
                for b in sorted(graph.get(a, ())):
                    if b in members:
                        print(f"  {name(a)} -> {name(b)} (via {why[(a, b)]})")
        edges = sum(len(targets) for targets in graph.values())
        print(f"{crate}: {len(known)} modules, {edges} uses between them")
    if failed:
        print("FAIL: break each cycle by moving what both need into a module of its own", file=sys.stderr)
        return 1
    print("no cycles between modules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
