#!/usr/bin/env python3
# tests/data/traces/expect.py: the expected values test_fixtures.c holds
# for the real-tool traces here, worked out from the Trace Event Format's
# meaning and not from gantty: for each file, the threads that have a
# slice (a distinct (pid, tid) with an "X" or a "B"), and for each the
# busy time, the union of its slices' intervals [ts, ts + dur) (a B/E
# pair per thread is a slice from the B to the E that closes it, the
# latest open B first; a zero-length slice adds nothing), with the first
# instant it is busy, and the innermost slice at a few instants (of the
# slices holding the instant, the latest start, then the shortest).
#
# Usage: python3 expect.py FILE [FILE...]   (a .gz is read through gzip)
import gzip
import json
import sys


def events(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rt', encoding='utf-8') as f:
        d = json.load(f)
    return d if isinstance(d, list) else d['traceEvents']


def slices(ev):
    """(pid, tid) -> list of (ts, end, name, order) in microseconds."""
    out, open_b = {}, {}
    last = max(e['ts'] + e.get('dur', 0) for e in ev if 'ts' in e)
    # B/E are matched in time order, file order at equal times
    for i, e in sorted(enumerate(ev), key=lambda x: (x[1].get('ts', 0), x[0])):
        ph, key = e.get('ph'), (e.get('pid'), e.get('tid'))
        if ph == 'X':
            out.setdefault(key, []).append(
                (e['ts'], e['ts'] + e['dur'], e.get('name', ''), i))
        elif ph == 'B':
            out.setdefault(key, [])
            open_b.setdefault(key, []).append((e['ts'], e.get('name', ''), i))
        elif ph == 'E' and open_b.get(key):
            ts, name, j = open_b[key].pop()
            out[key].append((ts, e['ts'], name, j))
    for key, stack in open_b.items():
        for ts, name, j in stack:
            out[key].append((ts, last, name, j))
    return out


def busy(sl):
    total, cur_a, cur_b = 0, None, None
    for a, b, _, _ in sorted(s for s in sl if s[1] > s[0]):
        if cur_b is None or a > cur_b:
            if cur_b is not None:
                total += cur_b - cur_a
            cur_a, cur_b = a, b
        else:
            cur_b = max(cur_b, b)
    if cur_b is not None:
        total += cur_b - cur_a
    return total


def innermost(sl, t):
    held = [s for s in sl if s[0] <= t < s[1]]
    if not held:
        return None
    return sorted(held, key=lambda s: (-s[0], s[1] - s[0]))[0][2]


def main():
    for path in sys.argv[1:]:
        ev = events(path)
        sl = slices(ev)
        print('%s: %d lanes (distinct pid, tid with an X or a B)'
              % (path, len(sl)))
        for key, s in sorted(sl.items(), key=lambda kv: -len(kv[1]))[:3]:
            pos = [x for x in s if x[1] > x[0]]
            first = min(x[0] for x in pos) if pos else None
            print('  pid %s tid %s: %d slices, busy %g us, first busy at %s'
                  % (key[0], key[1], len(s), busy(s), first))
            # a child written before its parent with the same start
            for a in s:
                par = [b for b in s if b[0] == a[0] and b[1] > a[1]
                       and b[3] > a[3]]
                if a[1] > a[0] and par and innermost(s, a[0]) == a[2] \
                        and a[2] != par[0][2]:
                    print('    at first+%d us: innermost "%s" (its parent'
                          ' "%s", same start, written after it)'
                          % (a[0] - first, a[2], par[0][2]))
                    break
            for t in sorted(set(x[0] for x in pos))[1:4]:
                print('    at first+%d us: innermost "%s"'
                      % (t - first, innermost(s, t)))


main()
