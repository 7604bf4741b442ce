#!/usr/bin/env python3
"""Property test of `contracts compat` against `contracts validate`.

Random writer/reader pairs come from a small grammar of shapes (scalars,
nullable types, enums, arrays, objects with required and optional fields,
open or closed to unknown keys). For each pair:
- when compat says compatible (nothing at warning or above), random
  instances of the writer's shape all validate against the reader's;
- when it says incompatible, one of its findings names an instance (a
  minimal writer document with the finding's witness put in place) that
  validates against the writer's shape and not against the reader's.

A writer's documents hold only its declared properties unless its schema
says additionalProperties: true (pydantic's extra="allow"): that is how
compat reads a writer.

Usage: compat_property.py CONTRACTS [PAIRS] [SEED]
"""
import json
import os
import random
import subprocess
import sys
import tempfile

NAMES = ["a", "b", "c"]
WORDS = ["x", "y", "z"]


def gen_schema(rng, depth):
    """A schema of the grammar: scalar, enum, array or object."""
    kind = rng.choice(["scalar"] * 3 + ["enum"] + (["array", "object"] if depth < 2 else []))
    if kind == "scalar":
        s = {"type": rng.choice(["string", "integer", "number", "boolean"])}
    elif kind == "enum":
        s = {"type": "string", "enum": rng.sample(WORDS, rng.randint(1, 3))}
    elif kind == "array":
        s = {"type": "array", "items": gen_schema(rng, depth + 1)}
    else:
        s = gen_object(rng, depth + 1)
    if rng.random() < 0.2 and kind != "enum":
        t = s["type"]
        s["type"] = [t, "null"]
    return s


def gen_object(rng, depth):
    names = rng.sample(NAMES, rng.randint(0, 3))
    props = {n: gen_schema(rng, depth) for n in names}
    s = {"type": "object", "properties": props,
         "required": [n for n in names if rng.random() < 0.5]}
    r = rng.random()
    if r < 0.25:
        s["additionalProperties"] = True
    elif r < 0.4:
        s["additionalProperties"] = False
    return s


def mutate(rng, s, depth=0):
    """A reader made from the writer: often the same, sometimes wider or
    narrower, so both verdicts come up."""
    s = json.loads(json.dumps(s))
    r = rng.random()
    if r < 0.35:
        return s
    if r < 0.45:
        return gen_schema(rng, depth)
    t = s.get("type")
    if "properties" in s:
        for n in list(s["properties"]):
            s["properties"][n] = mutate(rng, s["properties"][n], depth + 1)
            if rng.random() < 0.1:
                del s["properties"][n]
                s["required"] = [x for x in s["required"] if x != n]
        if rng.random() < 0.3:
            n = rng.choice(NAMES)
            s["properties"].setdefault(n, gen_schema(rng, depth + 1))
            if rng.random() < 0.5 and n not in s["required"]:
                s["required"].append(n)
        if rng.random() < 0.3:
            s["required"] = [n for n in s["properties"] if rng.random() < 0.5]
        if rng.random() < 0.2:
            s["additionalProperties"] = rng.choice([True, False])
    elif "items" in s:
        s["items"] = mutate(rng, s["items"], depth + 1)
    elif "enum" in s:
        s["enum"] = rng.sample(WORDS, rng.randint(1, 3))
    elif isinstance(t, str) and rng.random() < 0.3:
        s["type"] = [t, "null"]
    elif isinstance(t, list) and rng.random() < 0.3:
        s["type"] = t[0]
    elif t == "integer" and rng.random() < 0.5:
        s["type"] = "number"
    elif t == "number" and rng.random() < 0.5:
        s["type"] = "integer"
    return s


def types_of(s):
    t = s.get("type")
    return t if isinstance(t, list) else [t]


def value(rng, s):
    """A random instance of schema s, as the writer would send it."""
    if "enum" in s:
        if "null" in types_of(s) and rng.random() < 0.2:
            return None
        return rng.choice(s["enum"])
    t = rng.choice(types_of(s))
    if t == "null":
        return None
    if t == "string":
        return rng.choice(["", "x", "hello"])
    if t == "integer":
        return rng.randint(-3, 3)
    if t == "number":
        return rng.choice([0.5, -1.25, 2.0, 3])
    if t == "boolean":
        return rng.random() < 0.5
    if t == "array":
        return [value(rng, s["items"]) for _ in range(rng.randint(0, 2))]
    o = {}
    for n, ps in s.get("properties", {}).items():
        if n in s.get("required", []) or rng.random() < 0.5:
            o[n] = value(rng, ps)
    if s.get("additionalProperties") is True and rng.random() < 0.5:
        o["extra"] = 1
    return o


def minimal(s):
    """The smallest writer instance: required fields only, first choices."""
    if "enum" in s:
        return s["enum"][0]
    t = [x for x in types_of(s) if x != "null"][0]
    return {"string": "x", "integer": 1, "number": 1, "boolean": True, "array": [],
            "object": {n: minimal(ps) for n, ps in s.get("properties", {}).items()
                       if n in s.get("required", [])}}[t]


FAIL = object()


def place(doc, schema, tokens, how, witness):
    """Puts the witness at the instance path a schema pointer names: the
    changed instance, or FAIL when the path cannot be built."""
    if not tokens or tokens == ["enum"]:
        if how == "value":
            return witness
        if how == "keys":
            d = dict(doc) if isinstance(doc, dict) else {}
            d["unknown-key"] = 1
            return d
        return FAIL
    if tokens[0] == "properties" and len(tokens) > 1:
        name, rest = tokens[1], tokens[2:]
        ps = schema.get("properties", {}).get(name)
        if not isinstance(doc, dict):
            return FAIL
        doc = dict(doc)
        if not rest and how == "omit":
            doc.pop(name, None)
            return doc
        if ps is None:
            return FAIL
        if not rest and how == "field":
            doc[name] = minimal(ps)
            return doc
        got = place(doc.get(name, minimal(ps)), ps, rest, how, witness)
        if got is FAIL:
            return FAIL
        doc[name] = got
        return doc
    if tokens[0] == "items" and "items" in schema:
        got = place(minimal(schema["items"]), schema["items"], tokens[1:], how, witness)
        return FAIL if got is FAIL else [got]
    return FAIL


def run(argv, **kw):
    return subprocess.run(argv, capture_output=True, text=True, **kw)


def main():
    binary = sys.argv[1]
    pairs = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    rng = random.Random(seed)
    tmp = tempfile.mkdtemp(prefix="ct-compat-prop-")
    wpath, rpath = os.path.join(tmp, "w.json"), os.path.join(tmp, "r.json")
    ipath = os.path.join(tmp, "i.jsonl")
    ok = bad = failures = 0
    for i in range(pairs):
        ws = gen_object(rng, 0)
        rs = mutate(rng, ws)
        if rs.get("type") != "object":
            rs = gen_object(rng, 0)
        for path, s in ((wpath, ws), (rpath, rs)):
            json.dump({"$schema": "https://json-schema.org/draft/2020-12/schema",
                       "x-contract": {"name": "p", "version": 1}, "$defs": {"M": s}},
                      open(path, "w"))
        c = run([binary, "compat", wpath, rpath, "--format", "json", "--fail-on", "warning"])
        if c.returncode not in (0, 1):
            print(f"pair {i}: compat exit {c.returncode}: {c.stderr.strip()}")
            failures += 1
            continue
        if c.returncode == 0:
            ok += 1
            with open(ipath, "w") as f:
                for _ in range(20):
                    f.write(json.dumps(value(rng, ws)) + "\n")
            v = run([binary, "validate", rpath, ipath, "--shape", "M", "--lines"])
            if v.returncode != 0:
                print(f"pair {i}: compat says compatible, yet a writer instance fails the reader")
                print("  writer", json.dumps(ws))
                print("  reader", json.dumps(rs))
                print("  " + v.stdout.strip().replace("\n", "\n  "))
                failures += 1
            continue
        bad += 1
        changes = [ch for f in json.loads(c.stdout)["contracts"][0]["findings"]
                   for ch in f["comparisons"] if "kind" in ch]
        named = False
        for ch in changes:
            if ch["severity"] == "info":
                continue
            how = {"value-refused": "value", "field-may-be-missing": "omit",
                   "field-forbidden": "field", "keys-forbidden": "keys"}.get(ch["kind"])
            tokens = ch["pointer"].split("/")[3:]  # after /$defs/M
            if not how or ch["pointer"].split("/")[2] != "M":
                continue
            inst = place(minimal(ws), ws, tokens, how, ch["new"])
            if inst is FAIL:
                continue
            json.dump(inst, open(ipath, "w"))
            vw = run([binary, "validate", wpath, ipath, "--shape", "M"])
            vr = run([binary, "validate", rpath, ipath, "--shape", "M"])
            if vw.returncode == 0 and vr.returncode == 1:
                named = True
                break
        if not named:
            print(f"pair {i}: compat says incompatible, but no finding names a writer instance the reader refuses")
            print("  writer", json.dumps(ws))
            print("  reader", json.dumps(rs))
            print("  findings", [(c["kind"], c["pointer"], c["new"]) for c in changes])
            failures += 1
    print(f"compat_property: {pairs} pairs (seed {seed}): {ok} compatible, {bad} incompatible, "
          f"{failures} disagreements with validate")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
