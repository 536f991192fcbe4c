#!/usr/bin/env bash
# Code-health figures for Learning City's Rust sources: big files, long functions, import
# circles between modules and SQL assembled with format!. Compare them before and after a
# refactoring; `--check` fails when a limit is crossed, so the figures can gate a change.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec python3 - "$@" <<'PY'
import bisect, itertools, os, re, sys

CHECK = "--check" in sys.argv[1:]
CRATES = ["app", "db", "domain", "server", "frontend"]
SQL_CRATES = {"app", "db", "server"}
MAX_FILE, MAX_FN, TOP = 600, 80, 15
SQL_WORD = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|WHERE|FROM)\b")
RAW = re.compile(r'[bc]?r(#*)"')
# Unit tests sit next to the code but are not what the limits are about.
TEST_MOD = re.compile(r"#\[cfg\((?:all\()?test\b[^\]]*\]\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?mod\s+\w+\s*\{")
INLINE_MOD = re.compile(r"\bmod\s+(\w+)\s*\{")
FN = re.compile(r"\bfn\s+(?:r#)?(\w+)")
ITEM = re.compile(r"(?m)^[ \t]*(?:pub(?:\([^)]*\))?\s+)?(?:unsafe\s+)?(impl|trait)\b")
USE = re.compile(r"\buse\s+([^;]*);")
PATH = re.compile(r"(?<![\w:$])([a-z_]\w*)((?:::\w+)+)")
warnings = []

def blank(out, a, b):  # offsets and line numbers must survive the masking
    for k in range(a, min(b, len(out))):
        if out[k] != "\n": out[k] = " "

def mask(s):
    """Blanks comments and the insides of string/char literals; returns the literals by offset."""
    out, lits, i, n = list(s), {}, 0, len(s)
    while i < n:
        c = s[i]
        if s.startswith("//", i):
            j = s.find("\n", i); j = n if j < 0 else j; blank(out, i, j); i = j
        elif s.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if s.startswith("/*", j): depth, j = depth + 1, j + 2
                elif s.startswith("*/", j): depth, j = depth - 1, j + 2
                else: j += 1
            blank(out, i, j); i = j
        elif c in 'bcr"' and (i == 0 or not (s[i - 1].isalnum() or s[i - 1] == "_")):
            m = RAW.match(s, i)
            if m:
                end = s.find('"' + m.group(1), m.end()); end = n if end < 0 else end
                lits[i] = s[m.end():end]; blank(out, m.end(), end); i = end + 1 + len(m.group(1))
                continue
            q = i + 1 if c in "bc" and s[i + 1:i + 2] == '"' else i
            if s[q] != '"': i += 1; continue
            j = q + 1
            while j < n and s[j] != '"': j += 2 if s[j] == "\\" else 1
            lits[i] = s[q + 1:j]; blank(out, q + 1, j); i = j + 1
        elif c == "'":
            if s[i + 1:i + 2] == "\\": j = s.find("'", i + 3)
            elif s[i + 2:i + 3] == "'": j = i + 2
            else: i += 1; continue  # a lifetime or loop label
            blank(out, i + 1, j); i = j + 1
        else: i += 1
    return "".join(out), lits

def braces(code, path):
    pairs, stack = {}, []
    for i, ch in enumerate(code):
        if ch == "{": stack.append(i)
        elif ch == "}" and stack: pairs[stack.pop()] = i
        elif ch == "}": warnings.append(f"{path}: unmatched '}}' at offset {i}")
    if stack: warnings.append(f"{path}: {len(stack)} unclosed '{{'")
    return pairs

def open_brace(code, j):
    """Offset of the `{` opening the body of the item whose header starts at j, or None."""
    depth = 0
    for j in range(j, len(code)):
        ch = code[j]
        depth += (ch in "([") - (ch in ")]")
        if depth == 0 and ch in "{;": return j if ch == "{" else None
    return None

def owner_name(kind, header):
    header = re.sub(r"'\w+", "", re.split(r"\bwhere\b", header)[0]).strip()
    while (bare := re.sub(r"<[^<>]*>", "", header)) != header: header = bare
    if kind == "impl": header = re.split(r"\bfor\b", header)[-1]
    words = [w for w in re.findall(r"[A-Za-z_][\w:]*", header) if w not in ("dyn", "mut", "const")]
    return words[0].split("::")[-1] if words else "?"

def expand_use(text):
    toks = re.findall(r"\w+|::|[{},*]", text)
    def tree(i, prefix):
        path, out = list(prefix), []
        while i < len(toks):
            t = toks[i]
            if t == "{":
                i += 1
                while i < len(toks) and toks[i] != "}":
                    sub, i = tree(i, path); out += sub
                    if i < len(toks) and toks[i] == ",": i += 1
                return out, i + 1
            if t in ("*", ",", "}"): return out + [path], i + (t == "*")
            if t == "::": i += 1; continue
            path.append(t); i += 1
            if i < len(toks) and toks[i] == "as": i += 2
            if i >= len(toks) or toks[i] != "::": return out + [path], i
        return out + [path], i
    return [p for p in tree(0, [])[0] if p]

files, modules = [], {}  # modules: (crate, module path) -> the file holding it
for crate in CRATES:
    src = os.path.join(crate, "src")
    for root, dirs, names in os.walk(src):
        dirs[:] = sorted(d for d in dirs if d not in ("tests", "target"))
        for name in sorted(n for n in names if n.endswith(".rs")):
            path = os.path.join(root, name)
            text = open(path, encoding="utf-8").read()
            if "@generated" in text[:500]: continue
            parts = os.path.relpath(path, src)[:-3].split(os.sep)
            if parts[-1] in ("mod", "lib"): parts = parts[:-1]
            if parts == ["main"] and os.path.exists(os.path.join(src, "lib.rs")):
                parts = ["<bin>"]  # the binary is its own crate; its `crate::` is not the library's
            elif parts == ["main"]: parts = []
            masked, lits = mask(text)
            code, pairs = list(masked), braces(masked, path)
            for m in TEST_MOD.finditer(masked): blank(code, m.start(), pairs.get(m.end() - 1, m.end()) + 1)
            code = "".join(code)
            nl = [i for i, ch in enumerate(code) if ch == "\n"]
            f = dict(path=path, crate=crate, mod=tuple(parts), code=code, lits=lits, pairs=pairs,
                     lines=text.count("\n") + (not text.endswith("\n") and text != ""),
                     line=lambda p, nl=nl: bisect.bisect_left(nl, p) + 1, inline=[])
            modules[(crate, f["mod"])] = f
            for m in INLINE_MOD.finditer(code):
                f["inline"].append((m.end() - 1, pairs.get(m.end() - 1, len(code)), m.group(1)))
            files.append(f)

def module_at(f, pos):
    return f["mod"] + tuple(n for s, e, n in sorted(f["inline"]) if s < pos < e)
for f in files:
    for s, _, _ in f["inline"]:
        modules[(f["crate"], module_at(f, s + 1))] = f

# 1. File sizes.
by_size = sorted(files, key=lambda f: (-f["lines"], f["path"]))
big = [f for f in by_size if f["lines"] > MAX_FILE]
print(f"== largest files (lines path) ==")
for f in by_size[:TOP]: print(f"{f['lines']:6} {f['path']}")
print(f"files over {MAX_FILE} lines: {len(big)} of {len(files)}")

# 2. Function lengths.
fns = []
for f in files:
    code, pairs = f["code"], f["pairs"]
    owners = []
    for m in ITEM.finditer(code):
        b = open_brace(code, m.end())
        if b is not None and b in pairs:
            owners.append((b, pairs[b], owner_name(m.group(1), code[m.end():b])))
    for m in FN.finditer(code):
        b = open_brace(code, m.end())
        if b is None: continue  # a declaration without a body
        if b not in pairs: warnings.append(f"{f['path']}:{f['line'](m.start())}: no body end for fn {m.group(1)}"); continue
        inner = [o for o in owners if o[0] < m.start() < o[1]]
        name = (max(inner)[2] + "::" if inner else "") + m.group(1)
        start = f["line"](m.start())
        fns.append((f["line"](pairs[b]) - start + 1, f["path"], start, name))
fns.sort(key=lambda x: (-x[0], x[1], x[2]))
long_fns = [x for x in fns if x[0] > MAX_FN]
print(f"\n== longest functions (lines path:line name; #[cfg(test)] modules left out) ==")
for n, p, l, name in fns[:TOP]: print(f"{n:6} {p}:{l} {name}")
print(f"functions over {MAX_FN} lines: {len(long_fns)} of {len(fns)}")

# 3. Import circles between file modules.
def resolve(f, pos, segs):
    here, crate = module_at(f, pos), f["crate"]
    if here[:1] == ("<bin>",): return None
    if segs[0] == "crate": base, segs = (), segs[1:]
    elif segs[0] == "self": base, segs = here, segs[1:]
    elif segs[0] == "super":
        k = len(segs) - len(tuple(itertools.dropwhile(lambda x: x == "super", segs)))
        base, segs = here[:len(here) - k], segs[k:]
    elif (crate, here + (segs[0],)) in modules: base = here
    else: return None
    target = base + tuple(s for s in segs if s != "self")
    for k in range(len(target), -1, -1):
        if (crate, target[:k]) in modules: return modules[(crate, target[:k])]
    return None

edges = {}  # (crate, from module, to module) -> first place seen
for f in files:
    code = f["code"]
    found = [(m.start(), p) for m in USE.finditer(code) for p in expand_use(m.group(1))]
    rest = USE.sub(lambda m: " " * len(m.group(0)), code)
    found += [(m.start(), [m.group(1)] + m.group(2).split("::")[1:]) for m in PATH.finditer(rest)]
    for pos, segs in found:
        to = resolve(f, pos, segs)
        if to is not None and to is not f:
            edges.setdefault((f["crate"], f["mod"], to["mod"]), f"{f['path']}:{f['line'](pos)}")

def tarjan(nodes, succ):
    index, low, stack, on, out = {}, {}, [], set(), []
    def visit(v):
        index[v] = low[v] = len(index); stack.append(v); on.add(v)
        for w in sorted(succ.get(v, ())):
            if w not in nodes: continue
            if w not in index: visit(w); low[v] = min(low[v], low[w])
            elif w in on: low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            k = stack.index(v); out.append(set(stack[k:])); on.difference_update(stack[k:]); del stack[k:]
    for v in sorted(nodes):
        if v not in index: visit(v)
    return [c for c in out if len(c) > 1]

def name(m): return "::".join(m) or "crate"
def ancestor(a, b): return len(a) < len(b) and b[:len(a)] == a
# The whole file graph is one knot through each crate root, so circles are read level by level:
# under each parent, every child stands for its whole subtree. A circle among the children alone
# is a sibling circle; one that needs the parent is the usual parent/child pattern.
family, siblings, knots = [], [], []
for crate in CRATES:
    mods = {f["mod"] for f in files if f["crate"] == crate}
    succ = {}
    for c, a, b in edges:
        if c == crate: succ.setdefault(a, set()).add(b)
    knots += [f"{crate} {len(c)}" for c in sorted(tarjan(mods, succ), key=len, reverse=True)]
    for P in sorted({m[:k] for m in mods for k in range(len(m))}):
        up = lambda m: m if m == P else m[:len(P) + 1] if ancestor(P, m) else None
        level, where = {}, {}
        for (c, a, b), at in sorted(edges.items()):
            A, B = up(a), up(b)
            if c == crate and A is not None and B is not None and A != B:
                level.setdefault(A, set()).add(B); where.setdefault((A, B), at)
        nodes = set(level) | {n for s in level.values() for n in s}
        family += [(crate, sorted(c)) for c in tarjan(nodes, level) if P in c]
        siblings += [(crate, sorted(c), where) for c in tarjan(nodes - {P}, level)]
print(f"\n== strongly connected file modules (crate size): {', '.join(knots) or 'none'}")
print(f"== import circles between sibling or unrelated modules: {len(siblings)} ==")
for crate, comp, where in sorted(siblings, key=lambda x: x[:2]):
    print(f"{crate}: " + " <-> ".join(map(name, comp)))
    for (a, b), at in sorted(where.items()):
        if a in comp and b in comp: print(f"    {name(a)} -> {name(b)}  ({at})")
print(f"== import circles of a parent with its children (normal in Rust): {len(family)} ==")
for crate, comp in sorted(family): print(f"{crate}: " + " <-> ".join(map(name, comp)))

# 4. SQL text assembled with format!.
sql = []
for f in files:
    if f["crate"] not in SQL_CRATES: continue
    for m in re.finditer(r"\bformat!\s*\(\s*", f["code"]):
        lit = f["lits"].get(m.end())
        if lit is not None and SQL_WORD.search(lit): sql.append((f["path"], f["line"](m.start())))
sql.sort()
print(f"\n== SQL built with format! (app, db, server): {len(sql)} ==")
for p, l in sql: print(f"{p}:{l}")

for w in sorted(set(warnings)): print(f"warning: {w}", file=sys.stderr)
if CHECK:
    fails = [f"file over {MAX_FILE} lines: {f['lines']} {f['path']}" for f in big]
    fails += [f"function over {MAX_FN} lines: {n} {p}:{l} {nm}" for n, p, l, nm in long_fns]
    fails += [f"sibling import circle: {c}: " + " <-> ".join(map(name, m)) for c, m, _ in sorted(siblings, key=lambda x: x[:2])]
    fails += [f"SQL built with format!: {p}:{l}" for p, l in sql]
    print(f"\n== check: {len(fails)} failures ==")
    for x in fails: print(f"FAIL {x}")
    sys.exit(1 if fails else 0)
PY
