"""Compare the rows a driver returned (DIR/NAME.txt) with psql's (REF/NAME.txt).

usage: /usr/bin/python3 compare.py REF DIR LABEL [NAME=REFNAME ...]

Rows are unaligned (col|col).  A cell equals when its text is the same, or
when both read as the same float8 (a driver formats a binary float8 its own
way: 6.19e-05 against 6.19E-5; both are the shortest text of one double, so
they read back to the same value exactly), or both as arrays of equal
elements ({young} against {"young"}).  Prints one TAP line per file.
"""
import os
import sys


def array(cell):
    if not (cell.startswith("{") and cell.endswith("}")):
        return None
    inner = cell[1:-1]
    return [e.strip('"') for e in inner.split(",")] if inner else []


def same_cell(a, b):
    if a == b:
        return True
    try:
        return float(a) == float(b)
    except ValueError:
        pass
    aa, bb = array(a), array(b)
    return aa is not None and aa == bb


def compare(ref_path, got_path):
    with open(ref_path) as f:
        ref = f.read().splitlines()
    if not os.path.exists(got_path):
        return "missing"
    with open(got_path) as f:
        got = f.read().splitlines()
    if len(ref) != len(got):
        return "%d rows, psql has %d" % (len(got), len(ref))
    if not ref:
        return "no rows"
    for i, (r, g) in enumerate(zip(ref, got)):
        rc, gc = r.split("|"), g.split("|")
        if len(rc) != len(gc) or not all(same_cell(x, y) for x, y in zip(rc, gc)):
            return "row %d: %r, psql: %r" % (i + 1, g, r)
    return None


def main():
    ref, got, label = sys.argv[1:4]
    pairs = [(n[:-4], n[:-4]) for n in sorted(os.listdir(ref)) if n.endswith(".txt")]
    pairs += [tuple(a.split("=")) for a in sys.argv[4:]]
    failed = 0
    for name, refname in pairs:
        problem = compare(os.path.join(ref, refname + ".txt"), os.path.join(got, name + ".txt"))
        rows = sum(1 for _ in open(os.path.join(ref, refname + ".txt")))
        what = name if name == refname else "%s (as %s)" % (name, refname)
        if problem:
            print("not ok - %s: %s differs from the literal query through psql: %s" % (label, what, problem))
            failed += 1
        else:
            print("ok - %s: %s: the same %d rows as the literal query through psql" % (label, what, rows))
    return 1 if failed else 0


sys.exit(main())
