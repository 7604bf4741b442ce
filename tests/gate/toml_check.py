#!/usr/bin/env python3
"""Our TOML reader against Python's tomllib on a generated corpus.

usage: toml_check.py TOML_DUMP [FILE...]

Writes a corpus of documents (strings of every kind, escapes, numbers in
every base, dates and times, arrays of tables, dotted keys, inline tables,
the table rules, CRLF, and bad input of each kind) into a temporary folder,
adds the FILEs given (real pyproject.toml and uv.lock files), and runs
tests/gate/toml_dump.c on each: a document tomllib reads must come out with
the same values, one tomllib refuses must be refused. Prints one line per
disagreement and exits 1 if there is any.
"""
import datetime
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import tomllib

VALID = [
    # strings of every kind
    'a = "plain"\nb = \'literal \\n kept\'\n',
    's = "tab\\there \\"q\\" \\\\ \\b\\f\\r\\n \\u00e9 \\U0001F600 \\u0000"\n',
    's = """\nfirst\nsecond"""\n',
    's = """\\\n   joined \\\n\n   up"""\n',
    's = """ends with quotes"""""\n',
    "s = '''\nraw \\n ''text'' '''\n",
    "s = '''two quotes at the end'''''\n",
    's = "unicode é ü 漢字 🎉"\n',
    's = ""\nt = \'\'\nu = """"""\nv = \'\'\'\'\'\'\n',
    's = """a\\tb "" c"""\n',
    's = "\ttab inside"\n',
    's = """line \\   \n  next"""\n',
    # keys
    '"quoted key" = 1\n\'literal key\' = 2\nbare-key_1 = 3\n1234 = 4\n',
    'a.b.c = 1\na.b.d = 2\na . e = 3\n"x.y".z = 4\n',
    '"" = "empty key"\n',
    'site."google.com" = true\n',
    # numbers
    'i = [0, +1, -1, 1_000, 9223372036854775807, -9223372036854775808]\n',
    'h = [0xDEADBEEF, 0xdead_beef, 0o755, 0o0, 0b1101, 0b0, 0x0]\n',
    'f = [1.0, -0.0, +3.14, 6.02e23, 1e-7, 6.626E-34, 9_224.617_445, 1e1_0]\n',
    'f = [inf, +inf, -inf, nan, +nan, -nan]\n',
    'f = [0.1, 1e400, 5e-324, 123456789.123456789]\n',
    # booleans
    't = true\nf = false\n',
    # dates and times
    'd = 1979-05-27T07:32:00Z\ne = 1979-05-27T00:32:00-07:00\n'
    'f = 1979-05-27T00:32:00.999999+05:30\n',
    'd = 1979-05-27T07:32:00\ne = 1979-05-27 07:32:00.5\nf = 1979-05-27t07:32:00z\n',
    'd = 1979-05-27\nt = 07:32:00\nu = 00:32:00.999999\nv = 23:59:59.1\n',
    'd = 2000-02-29\ne = 2024-12-31T23:59:59.123456789\n',
    # arrays
    'a = [ 1, 2, 3, ]\nb = [ "a", \'b\', """c""" ]\nc = [ [1, 2], ["a", 1.5] ]\n',
    'a = [\n  1, # one\n  2,\n  # alone\n]\nb = []\nc = [ ]\n',
    'a = [ { x = 1 }, { y = [1, { z = 2 }] } ]\n',
    # inline tables
    'p = { x = 1, y = "two", z = { deep = true } }\nq = {}\n',
    'p = { a.b = 1, a.c = 2 }\n',
    # tables
    '[a]\nx = 1\n[b]\ny = 2\n[a.c]\nz = 3\n',
    '[a.b.c]\nx = 1\n[a]\ny = 2\n',
    '[ a . "b" . c ]\nx = 1\n',
    '[a]\nb.c = 1\n[a.b.d]\ne = 2\n',
    '[fruit]\napple.color = "red"\napple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true\n',
    # arrays of tables
    '[[products]]\nname = "Hammer"\n[[products]]\n[[products]]\nname = "Nail"\ncolor = "gray"\n',
    '[[fruits]]\nname = "apple"\n[fruits.physical]\ncolor = "red"\n[[fruits.varieties]]\n'
    'name = "red delicious"\n[[fruits.varieties]]\nname = "granny smith"\n'
    '[[fruits]]\nname = "banana"\n[[fruits.varieties]]\nname = "plantain"\n',
    '[[a]]\nb.c = 1\n[[a]]\nb.c = 2\n',
    '[[a.b]]\nx = 1\n[a]\ny = 2\n',
    # comments and white space
    '# only a comment\n\n   \t\n',
    'a = 1 # trailing\n# é comment 漢字\n[t] # on a header\n',
    '',
    'a = 1',
    # CRLF
    'a = 1\r\nb = """x\r\ny"""\r\n[t]\r\nc = 2 # c\r\n',
    # a project file
    '[project]\nname = "demo"\nversion = "1.2.3"\n\n[tool.x]\nlist = ["a"]\n',
]

INVALID = [
    'a = 1\na = 2\n',
    '[a]\n[a]\n',
    '[a]\nb = 1\n[a.b]\n',
    'a = {}\n[a]\n',
    'a = {x = 1}\na.y = 2\n',
    'a = [1]\n[[a]]\n',
    '[a]\nb.c = 1\n[a.b]\n',
    'a.b = 1\n[a]\n',
    '[a.b]\n[a]\nb.c = 1\n',
    '[[a]]\n[a]\n',
    '[a]\n[[a]]\n',
    'a = 1\na.b = 2\n',
    'p = { x = 1, x = 2 }\n',
    'p = { x = 1, }\n',
    'p = { x = 1\n}\n',
    'p = { a = {b = 1}, a.c = 2 }\n',
    'p = { a = [1], a.b = 2 }\n',
    's = "no end\n',
    's = "bad \\e escape"\n',
    's = "bad \\x41"\n',
    's = "\\uD800"\n',
    's = "\\U00110000"\n',
    's = "\\u12"\n',
    's = "ctrl \x01 char"\n',
    's = \'ctrl \x7f\'\n',
    's = """ctrl \x0b"""\n',
    's = "lone \r cr"\n',
    'a = 1 # ctrl \x01 in comment\n',
    'a = 1\rb = 2\n',
    'a = 01\n',
    'a = 1__0\n',
    'a = _1\n',
    'a = 1_\n',
    'a = 1.\n',
    'a = .5\n',
    'a = 1.e5\n',
    'a = 1e\n',
    'a = +0x1\n',
    'a = 0x\n',
    'a = 0b2\n',
    'a = 0o8\n',
    'a = INF\n',
    'a = True\n',
    'a = tru\n',
    'a = 1979-02-30\n',
    'a = 1979-13-01\n',
    'a = 0000-01-01\n',
    'a = 1979-05-27T24:00:00\n',
    'a = 1979-05-27T07:60:00\n',
    'a = 07:32\n',
    'a = 1979-05-27T07:32:00+24:00\n',
    'a = [1, 2\n',
    'a = [1 2]\n',
    'a = [,]\n',
    'a =\n',
    '= 1\n',
    'a b = 1\n',
    'a. = 1\n',
    '.a = 1\n',
    'a = 1 b = 2\n',
    '[a\n',
    '[]\n',
    '[[a]\n',
    '[a]]\n',
    '[a.]\n',
    'é = 1\n',
    '\ufeffa = 1\n',
    'a = "x" "y"\n',
    'a = """abc""""""\n',
    "a = '''abc''''''\n",
]

# TOML 1.0 says an integer that does not fit 64 bits MUST be refused;
# tomllib reads it as a Python int. We follow the specification.
OUT_OF_RANGE = ['a = 9223372036854775808\n', 'a = -9223372036854775809\n',
                'a = 0x8000000000000000\n', 'a = [1, 99999999999999999999]\n']

BAD_BYTES = [b'a = "\xff"\n', b'a = "\xc0\x80"\n', b'a = "\xed\xa0\x80"\n',
             b'a = "\xf4\x90\x80\x80"\n', b'# \xe9\n']


def gen_value(rnd, depth):
    k = rnd.randrange(12 if depth < 3 else 9)
    if k == 0:
        return '"%s"' % rnd.choice(['x', 'a b', '\\t', '\\u00e9', 'é', '\\"', ''])
    if k == 1:
        return "'%s'" % rnd.choice(['x', 'c:\\path', 'é', ''])
    if k == 2:
        return str(rnd.randint(-2**63, 2**63 - 1))
    if k == 3:
        return rnd.choice(['0x1F', '0o17', '0b101', '1_000', '-0', '+7'])
    if k == 4:
        return rnd.choice(['1.5', '-2e-3', '3E+2', '0.0', '1_0.0_1', 'inf', '-nan'])
    if k == 5:
        return rnd.choice(['true', 'false'])
    if k == 6:
        return rnd.choice(['2001-01-01', '2001-01-01T01:02:03', '2001-01-01 01:02:03Z',
                           '2001-01-01T01:02:03.25-01:30', '12:34:56', '00:00:00.000001'])
    if k == 7:
        return '"""%s"""' % rnd.choice(['a\nb', '\nx', 'q"q', 'tab\\tx'])
    if k == 8:
        return "'''%s'''" % rnd.choice(['a\nb', '\nx', "q'q"])
    if k == 9 or k == 10:
        items = [gen_value(rnd, depth + 1) for _ in range(rnd.randrange(4))]
        sep = rnd.choice([', ', ',\n  ', ' , '])
        trail = rnd.choice(['', ',']) if items else ''
        return '[' + sep.join(items) + trail + ']'
    n = rnd.randrange(4)
    keys = rnd.sample(['a', 'b', '"c d"', "'e'", 'f.g', 'h-i'], n)
    return '{' + ', '.join('%s = %s' % (key, gen_value(rnd, depth + 1)) for key in keys) + '}'


def gen_doc(rnd):
    lines = []
    used = set()
    # mostly distinct keys, so that most documents are valid; a repeat
    # now and then must be refused by both
    for key in rnd.sample(['k', 'key', '"quoted"', "'lit'", 'x.y', 'n1'], rnd.randrange(1, 6)):
        lines.append('%s = %s' % (key, gen_value(rnd, 0)))
    for t in range(rnd.randrange(4)):
        kind = rnd.random()
        name = rnd.choice(['t', 'u.v', '"w x"', 'srv'])
        if kind < 0.4:
            lines.append('[[%s]]' % name)
        else:
            if name in used:
                continue
            used.add(name)
            lines.append('[%s]' % name)
        for key in rnd.sample(['a', 'b.c', '"d"', 'e', 'a'], rnd.randrange(4)):
            lines.append('%s = %s  # c' % (key, gen_value(rnd, 0)))
    return '\n'.join(lines) + '\n'


def tagged(v):
    if isinstance(v, dict):
        return {k: tagged(x) for k, x in v.items()}
    if isinstance(v, list):
        return [tagged(x) for x in v]
    if isinstance(v, bool):
        return {'type': 'bool', 'value': 'true' if v else 'false'}
    if isinstance(v, int):
        return {'type': 'integer', 'value': str(v)}
    if isinstance(v, float):
        return {'type': 'float', 'value': v}
    if isinstance(v, str):
        return {'type': 'string', 'value': v}
    if isinstance(v, datetime.datetime):
        return {'type': 'datetime' if v.tzinfo else 'datetime-local', 'value': v}
    if isinstance(v, datetime.date):
        return {'type': 'date-local', 'value': v}
    if isinstance(v, datetime.time):
        return {'type': 'time-local', 'value': v}
    raise TypeError(v)


def parse_ours(t, text):
    """Our date-time text as the Python object tomllib would make."""
    if t in ('time-local',):
        hh, mm, rest = text.split(':')
        ss, _, frac = rest.partition('.')
        return datetime.time(int(hh), int(mm), int(ss), int(frac[:6].ljust(6, '0')) if frac else 0)
    if t == 'date-local':
        return datetime.date.fromisoformat(text)
    date, _, time = text.partition('T')
    tz = None
    if time.endswith('Z'):
        tz, time = datetime.timezone.utc, time[:-1]
    elif time[-6] in '+-':
        sign = 1 if time[-6] == '+' else -1
        tz = datetime.timezone(sign * datetime.timedelta(hours=int(time[-5:-3]), minutes=int(time[-2:])))
        time = time[:-6]
    t0 = parse_ours('time-local', time)
    d = datetime.date.fromisoformat(date)
    return datetime.datetime(d.year, d.month, d.day, t0.hour, t0.minute, t0.second, t0.microsecond, tzinfo=tz)


def same(want, got, where):
    if isinstance(want, dict) and 'type' in want and isinstance(want.get('type'), str) and set(want) == {'type', 'value'}:
        if not isinstance(got, dict) or got.get('type') != want['type']:
            return '%s: type %s, ours %r' % (where, want['type'], got)
        w, g = want['value'], got['value']
        if want['type'] == 'float':
            g = float(g)
            if math.isnan(w) and math.isnan(g):
                return None
            if w != g or math.copysign(1, w) != math.copysign(1, g):
                return '%s: %r, ours %r' % (where, w, g)
            return None
        if want['type'] in ('datetime', 'datetime-local', 'date-local', 'time-local'):
            g = parse_ours(want['type'], g)
            if w != g or (isinstance(w, datetime.datetime) and w.utcoffset() != g.utcoffset()):
                return '%s: %r, ours %r' % (where, w, g)
            return None
        return None if w == g else '%s: %r, ours %r' % (where, w, g)
    if isinstance(want, dict):
        if not isinstance(got, dict) or list(want) != list(got):
            return '%s: keys %r, ours %r' % (where, list(want), list(got) if isinstance(got, dict) else got)
        for k in want:
            e = same(want[k], got[k], where + '/' + k)
            if e:
                return e
        return None
    if not isinstance(got, list) or len(want) != len(got):
        return '%s: %r, ours %r' % (where, want, got)
    for i, (w, g) in enumerate(zip(want, got)):
        e = same(w, g, '%s/%d' % (where, i))
        if e:
            return e
    return None


def main():
    dump = sys.argv[1]
    rnd = random.Random(440)
    docs = [(t.encode(), 'valid') for t in VALID]
    docs += [(t.encode(), 'invalid') for t in INVALID]
    docs += [(b, 'invalid') for b in BAD_BYTES]
    docs += [(t.encode(), 'out-of-range') for t in OUT_OF_RANGE]
    docs += [(gen_doc(rnd).encode(), 'generated') for _ in range(400)]
    for path in sys.argv[2:]:
        with open(path, 'rb') as f:
            docs.append((f.read(), path))
    bad = 0
    counts = {'read': 0, 'refused': 0}
    with tempfile.TemporaryDirectory() as tmp:
        for i, (data, label) in enumerate(docs):
            path = os.path.join(tmp, 'doc%d.toml' % i)
            with open(path, 'wb') as f:
                f.write(data)
            try:
                want = tagged(tomllib.loads(data.decode('utf-8')))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                want = None
            r = subprocess.run([dump, path], capture_output=True)
            got = json.loads(r.stdout) if r.returncode == 0 else None
            if r.returncode not in (0, 1):
                print('FAIL %s #%d: toml_dump exit %d: %s' % (label, i, r.returncode, r.stderr.decode()))
                bad += 1
                continue
            if label == 'valid' and want is None:
                print('FAIL the corpus: tomllib refuses valid #%d %r' % (i, data))
                bad += 1
            if label == 'invalid' and want is not None:
                print('FAIL the corpus: tomllib reads invalid #%d %r' % (i, data))
                bad += 1
            if label == 'out-of-range':
                if got is not None:
                    print('FAIL out-of-range #%d: read %r' % (i, data))
                    bad += 1
                continue
            if want is None and got is not None:
                print('FAIL %s #%d: tomllib refuses it, we read it: %r' % (label, i, data[:200]))
                bad += 1
            elif want is not None and got is None:
                print('FAIL %s #%d: we refuse what tomllib reads: %s %r' % (label, i, r.stderr.decode().strip(), data[:200]))
                bad += 1
            elif want is not None:
                e = same(want, got, '')
                if e:
                    print('FAIL %s #%d: %s in %r' % (label, i, e, data[:200]))
                    bad += 1
            counts['read' if want is not None else 'refused'] += 1
    print('toml: %d documents (%d read, %d refused) against tomllib %s: %d disagreements'
          % (len(docs), counts['read'], counts['refused'], sys.version.split()[0], bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
