/*
 * compat.h - can the reader read what the writer writes? The question a
 * check across two programs asks, where a diff of two versions of one
 * document asks another. It is JSON Schema subschema checking over the
 * contract format: every document the writer's schema allows must be
 * allowed by the reader's (Avro's writer/reader resolution, Confluent's
 * BACKWARD compatibility).
 *
 * Shapes pair by name (after the manifest's renames), then by a constant
 * `event` discriminator (a payload whose `event` defaults to "discovery"
 * pairs with the reader's model whose `event` defaults to the same). Each
 * pair is compared by structure, following `$ref` on both sides whatever
 * the names, each pair of shapes once (so recursive shapes terminate):
 *   - the reader requires a field the writer may omit: breaking;
 *   - the writer sends a field the reader lacks: news when the reader
 *     allows or ignores unknown keys, breaking when it forbids them;
 *   - a value of the writer's type the reader's type refuses (a string
 *     where the reader takes an integer, null where it is not nullable,
 *     an enum value it does not list): breaking; `str` takes an enum,
 *     `number` takes `integer`, `X | None` takes `X`;
 *   - reader defaults never matter; values the reader knows and the
 *     writer never sends are news.
 * Events: the writer's set must be within the reader's. Lists and routes
 * are compared as ct_diff() does under the contract's direction.
 *
 * Each finding names the writer's value or field the reader cannot take
 * (new_value: a witness, such as the refused enum value, null, or a value
 * of the refused type), what the reader takes (old_value), the writer's
 * origin (origin) and the reader's (other).
 */
#ifndef CT_COMPAT_H
#define CT_COMPAT_H

#include <json-c/json_object.h>

#include "contracts/contract.h"
#include "contracts/diff.h"
#include "contracts/err.h"

/* Appends to `out` every way `reader` may fail to read what `writer`
 * writes (and what is only news), under the contract's direction `dir`
 * for lists and routes. `shape_dirs` ({"DiskFormat": "superset"}, may be
 * NULL) names the reader's mirrors kept as supersets on purpose: values
 * they know beyond the writer's are not news. Shapes parsed on the way are
 * validated: an invalid one is the error. */
int ct_compat(struct ct_changes *out, struct ct_contract *writer,
	      struct ct_contract *reader, enum ct_direction dir,
	      json_object *shape_dirs, struct ct_err *err);

/* Whether the changes say the reader can read everything: nothing at
 * warning or above. */
int ct_compat_ok(const struct ct_changes *changes);

#endif
