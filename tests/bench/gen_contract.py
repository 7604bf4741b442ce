#!/usr/bin/env python3
"""Writes a generated contract document for benchmarks.

gen_contract.py SHAPES VARIANT OUT: VARIANT 0 is the baseline; VARIANT 1
drifts about one shape in fifty (enum values added and removed, properties
removed, types and defaults changed, nullability, requiredness), so a
comparison has real work to report. The same arguments give the same bytes.
"""
import json
import random
import sys

shapes, variant, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = random.Random(20261125)
TYPES = ["string", "integer", "number", "boolean"]
defs = {}
for i in range(shapes):
    drift = variant == 1 and i % 50 == 7
    if i % 4 == 0:
        values = [f"value_{i}_{j}" for j in range(60)]
        if drift:
            values = values[1:] + [f"added_{i}"]
        defs[f"Enum{i:05d}"] = {"type": "string", "enum": values}
        continue
    props = {}
    for j in range(16):
        t = TYPES[rng.randrange(4)]
        p = {"type": [t, "null"] if j % 3 == 0 else t,
             "description": f"Field {j} of model {i}."}
        if j % 5 == 0:
            p["default"] = None if j % 3 == 0 else {"string": "x", "integer": 1,
                                                    "boolean": False, "number": 1.5}[t]
        if j % 7 == 0:
            p = {"type": "array", "items": {"$ref": f"#/$defs/Enum{i // 4 * 4:05d}"}}
        props[f"field_{j}_{i}"] = p
    required = list(props)[:8]
    if drift:
        del props[f"field_1_{i}"]
        required.remove(f"field_1_{i}")
        props[f"field_2_{i}"]["type"] = "boolean" if props[f"field_2_{i}"]["type"] != "boolean" else "string"
        props[f"field_5_{i}"]["default"] = "changed"
        props[f"field_4_{i}"]["type"] = [props[f"field_4_{i}"]["type"], "null"]
        required.remove(f"field_3_{i}")
        props[f"extra_{i}"] = {"type": "string"}
    defs[f"Model{i:05d}"] = {"type": "object", "properties": props, "required": required}

doc = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "x-contract": {"name": "bench", "version": 1, "direction": "provider-to-consumer"},
    "$defs": defs,
    "x-events": [f"event_{k}" for k in range(200 + variant)],
}
with open(out, "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
