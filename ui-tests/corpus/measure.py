"""Reads cargo's JSON messages for the corpus and measures each case."""
import json, os, re, sys

out, here = sys.argv[1], sys.argv[2]
verbose = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "-v" else None
INTERNAL = re.compile(r"__private|__ha_cover|evaluation panicked|panicked")

cases = {}
for d in ("src/bin", "renamed/src/bin", "reexported/src/bin"):
    for f in sorted(os.listdir(os.path.join(here, d))):
        if f.endswith(".rs"):
            first = open(os.path.join(here, d, f)).readline()
            m = re.match(r"//! expect: (\S+)(.*)", first)
            kind = m.group(1).rstrip(",") if m else "?"
            kind = kind if kind in ("pass", "either") else "error"
            cases[f[:-3]] = {"expect": kind, "note": (m.group(2) if m else "").strip(" -—:,"), "errors": [], "rendered": []}

for line in open(out):
    try:
        msg = json.loads(line)
    except ValueError:
        continue
    if msg.get("reason") != "compiler-message":
        continue
    name = msg["target"]["name"]
    m = msg["message"]
    if name not in cases or m["level"] not in ("error", "error: internal compiler error"):
        continue
    if m["message"].startswith("aborting due to"):
        continue
    cases[name]["errors"].append(m)
    cases[name]["rendered"].append(m.get("rendered") or m["message"])

if verbose:
    for r in cases[verbose]["rendered"]:
        print(r)
    sys.exit(0)

misuse = [c for c in cases if cases[c]["expect"] == "error"]
either = [c for c in cases if cases[c]["expect"] == "either"]
passes = [c for c in cases if cases[c]["expect"] == "pass"]
one = internal = many = zero = 0
print(f"{'case':40} {'errs':>4} {'int':>3}  first error")
for c in sorted(cases):
    k = cases[c]
    n = len(k["errors"])
    inside = any(INTERNAL.search(r) for r in k["rendered"])
    first = ""
    if k["errors"]:
        e = k["errors"][0]
        span = next((s for s in e["spans"] if s["is_primary"]), None)
        where = f"{span['line_start']}:{span['column_start']} `{span['text'][0]['text'][span['column_start']-1:span['column_end']-1] if span and span['text'] else ''}`" if span else "-"
        first = f"{where} {e['message'][:110]}"
    flag = "!" if inside else ""
    print(f"{c:40} {n:>4} {flag:>3}  {first}")
    if k["expect"] != "error":
        internal += inside
        continue
    one += n == 1
    zero += n == 0
    many += n >= 3
    internal += inside
print()
total = len(misuse)
print(f"misuse cases: {total}; exactly one error: {one} ({100*one/max(total,1):.0f}%); "
      f"no error: {zero}; three or more: {many}; naming internals: {internal}")
bad_pass = [c for c in passes if cases[c]["errors"]]
print(f"pass cases: {len(passes)}; not compiling: {len(bad_pass)} {bad_pass}")
bad_either = [c for c in either if len(cases[c]["errors"]) > 1]
print(f"either cases (pass or one error): {len(either)}; with two or more errors: {len(bad_either)} {bad_either}")
