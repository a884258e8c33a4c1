# Copied from the project's shared tooling (../shared/tools/import-cycles.py, unchanged below this line); run by .ci/run.
"""Import cycles in a Rust crate, read from its `crate::` paths (usage: python3 import-cycles.py [SRC_DIR]).

Prints the strongly connected components of (1) the graph of top-level folders of src/ and
(2) the graph of modules inside src/model/, then a summary line; exit 1 if either has a cycle.
A module is a file (src/model/offer.rs -> model::offer; src/model/x/mod.rs -> model::x)."""
import os, re, sys

src = sys.argv[1] if len(sys.argv) > 1 else 'src'
mods = {}
for root, _, files in os.walk(src):
    for f in files:
        if f.endswith('.rs'):
            p = os.path.relpath(os.path.join(root, f), src)[:-3].split(os.sep)
            if p[-1] in ('mod', 'lib', 'main'):
                p = p[:-1]
            mods['::'.join(p)] = os.path.join(root, f)
pat = re.compile(r'crate::((?:[a-z_][a-z0-9_]*::)*[a-z_][a-z0-9_]*)')
def resolve(path):
    parts = path.split('::')
    for k in range(len(parts), 0, -1):
        m = '::'.join(parts[:k])
        if m in mods:
            return m
    return None
edges = {m: set() for m in mods}
for m, f in mods.items():
    text = open(f, encoding='utf-8', errors='replace').read()
    text = re.sub(r'//[^\n]*', '', text)
    # `use crate::{a::b, c}` groups
    for g in re.finditer(r'use crate::\{([^}]*)\}', text):
        for item in g.group(1).split(','):
            item = item.strip().split(' as ')[0].strip()
            if item:
                t = resolve(item)
                if t and t != m: edges[m].add(t)
    for u in pat.finditer(text):
        t = resolve(u.group(1))
        if t and t != m: edges[m].add(t)
    # `super::x` from a file module m = a::b::c means a::b::x (from a mod.rs, one level higher)
    parent = m.split('::')[:-1] if not mods[m].endswith('mod.rs') else m.split('::')[:-1]
    for u in re.finditer(r'super::((?:[a-z_][a-z0-9_]*::)*[a-z_][a-z0-9_]*)', text):
        t = resolve('::'.join(parent + u.group(1).split('::')))
        if t and t != m: edges[m].add(t)
    for g in re.finditer(r'use super::\{([^}]*)\}', text):
        for item in g.group(1).split(','):
            item = item.strip().split(' as ')[0].strip()
            if item:
                t = resolve('::'.join(parent + item.split('::')))
                if t and t != m: edges[m].add(t)
# test-only modules are not part of the architecture
test_only = lambda m: m.split('::')[-1] in ('testing', 'tests') or m.endswith('_tests')
for m in list(edges):
    if test_only(m):
        del edges[m]
for m in edges:
    edges[m] = {t for t in edges[m] if not test_only(t)}
mods = {m: f for m, f in mods.items() if not test_only(m)}

def sccs(nodes, adj):
    index, low, stack, on, out, i = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)
    def visit(v):
        index[v] = low[v] = i[0]; i[0] += 1; stack.append(v); on.add(v)
        for w in adj.get(v, ()):
            if w not in index:
                visit(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v: break
            if len(comp) > 1: out.append(sorted(comp))
    for v in nodes:
        if v not in index: visit(v)
    return out

top = lambda m: m.split('::')[0]
fold = {}
for m, ts in edges.items():
    for t in ts:
        if top(m) != top(t):
            fold.setdefault(top(m), set()).add(top(t))
c1 = sccs(sorted({top(m) for m in mods}), fold)
inmodel = {m: {t for t in ts if t.startswith('model')} for m, ts in edges.items() if m.startswith('model')}
c2 = sccs(sorted(inmodel), inmodel)
for c in c1: print('folder cycle:', ' <-> '.join(c))
for c in c2: print('model cycle:', ' <-> '.join(c))
print(f"import cycles: {len(c1)} between top-level folders, {len(c2)} inside model/")
sys.exit(1 if c1 or c2 else 0)
