/*
 * contract.h - the contract document: a JSON Schema (draft 2020-12) whose
 * `$defs` hold the shapes (enums and models) and whose `x-contract`,
 * `x-events`, `x-routes` and `x-lists` hold the rest (docs/contract-format.md).
 *
 * A document read from a file is checked, then indexed without being built:
 * each `$defs` entry stays text until ct_contract_shape_get() parses and
 * validates it, and ct_contract_shape_put() drops it again, so two 20 MB
 * documents can be compared in little memory. A document built in memory
 * (by an extractor) holds its shapes as json-c objects from the start.
 *
 * Every element keeps an origin (repo, commit, path, line): for a file, the
 * line of the element in the file; for an extracted document, what the
 * extractor recorded. Pinned files carry no line numbers.
 *
 * Ownership: a struct ct_contract owns its text, head, shapes and origins;
 * everything borrowed from it lives until ct_contract_free().
 */
#ifndef CT_CONTRACT_H
#define CT_CONTRACT_H

#include <json-c/json_object.h>
#include <stddef.h>

#include "contracts/buf.h"
#include "contracts/err.h"

/* How much one document may hold (docs/limits.md); past it, loading or
 * validating it fails, naming the limit. */
#define CT_MAX_SHAPES 100000	/* $defs entries */
#define CT_MAX_PROPERTIES 10000 /* properties of one schema */
#define CT_MAX_ROUTES 100000	/* x-routes entries */
#define CT_MAX_ITEMS 100000	/* events, items of one list, enum values */

#define CT_CONTRACT_FORMAT_VERSION 1
#define CT_JSON_SCHEMA_DIALECT "https://json-schema.org/draft/2020-12/schema"

/* Which way data flows, and so which changes break (docs/diff-rules.md). */
enum ct_direction {
	CT_DIR_PROVIDER_TO_CONSUMER,
	CT_DIR_CONSUMER_TO_PROVIDER,
	CT_DIR_EXACT,
	CT_DIR_SUPERSET
};

/* "provider-to-consumer", ...; static strings. */
const char *ct_direction_name(enum ct_direction dir);
/* CT_EINVAL for a name that is not a direction. */
int ct_direction_parse(enum ct_direction *out, const char *name);

/* Where an element came from. Strings are borrowed from the document (or
 * change) that holds the origin; NULL when unknown; line 0 when unknown. */
struct ct_origin {
	const char *repo, *commit, *path;
	unsigned line;
};

struct ct_contract;

/* Reads, checks and indexes the document at `path` (at most `max` bytes;
 * 0 means CT_FILE_MAX_DEFAULT). The caller frees *out with
 * ct_contract_free(). Errors name the path, line and column. */
int ct_contract_load(struct ct_contract **out, const char *path, size_t max,
		     struct ct_err *err);

/* Like ct_contract_load() on text already in memory; takes the buffer's
 * contents (`text` is left empty). `path` names it in errors and origins. */
int ct_contract_parse(struct ct_contract **out, struct ct_buf *text,
		      const char *path, struct ct_err *err);

/* A new empty document named `name`, for extractors to fill. */
struct ct_contract *ct_contract_new(const char *name, enum ct_direction dir);

/* Frees everything; accepts NULL. */
void ct_contract_free(struct ct_contract *c);

/* The `x-contract.name`; borrowed. */
const char *ct_contract_name(const struct ct_contract *c);
/* The path the document was read from, or NULL; borrowed. */
const char *ct_contract_path(const struct ct_contract *c);
/* The declared `x-contract.direction`; CT_ENOTFOUND when it has none. */
int ct_contract_direction(const struct ct_contract *c, enum ct_direction *out);

/* A top-level member other than `$defs` ("x-events", "x-lists", ...), or
 * NULL; borrowed. */
json_object *ct_contract_member(const struct ct_contract *c, const char *key);
/* Sets a top-level member other than `$defs`; takes `value`. */
void ct_contract_set_member(struct ct_contract *c, const char *key,
			    json_object *value);

/* Shapes, sorted by name. */
size_t ct_contract_shape_count(const struct ct_contract *c);
const char *ct_contract_shape_name(const struct ct_contract *c, size_t i);
/* The index of shape `name`, or -1. */
long ct_contract_shape_find(const struct ct_contract *c, const char *name);
/* Parses and validates shape i if needed; *out is borrowed until
 * ct_contract_shape_put(c, i) or ct_contract_free(). */
int ct_contract_shape_get(json_object **out, struct ct_contract *c, size_t i,
			  struct ct_err *err);
/* The text of shape i when it was read from a file: *text is borrowed from
 * `c`. CT_ENOTFOUND for a shape built in memory. */
int ct_contract_shape_text(const char **text, size_t *len,
			   const struct ct_contract *c, size_t i);
/* Validates `shape` as shape i of `c` without parsing shape i: for a shape
 * whose text is byte for byte that of `shape`, already parsed elsewhere.
 * References are checked against `c`. */
int ct_contract_shape_check_as(struct ct_contract *c, size_t i,
			       json_object *shape, struct ct_err *err);
/* Drops a shape parsed from text (a no-op for one built in memory). */
void ct_contract_shape_put(struct ct_contract *c, size_t i);
/* Adds (or replaces) shape `name`; takes `shape`. `origin` (may be NULL)
 * is copied. Validated when the document is written or compared. */
void ct_contract_add_shape(struct ct_contract *c, const char *name,
			   json_object *shape, const struct ct_origin *origin);

/* Records the origin of the element at `pointer` (copied). */
void ct_contract_set_origin(struct ct_contract *c, const char *pointer,
			    const struct ct_origin *origin);
/* The origin of the element at `pointer`, or of its nearest enclosing
 * element that has one; strings borrowed from `c`. */
void ct_contract_origin(struct ct_origin *out, const struct ct_contract *c,
			const char *pointer);

/* The origins noted, in the order noted: the pointer of the i-th, and
 * *out filled (strings borrowed from `c`). */
size_t ct_contract_origin_count(const struct ct_contract *c);
const char *ct_contract_origin_at(struct ct_origin *out,
				  const struct ct_contract *c, size_t i);

/* A document built in memory from `root` (an object as
 * ct_contract_write() writes one: "$defs" and the other members), as an
 * extractor would have built it; takes `root`. The caller frees *out. */
int ct_contract_from_json(struct ct_contract **out, json_object *root,
			  struct ct_err *err);

/* Validates every shape against the document rules (docs/contract-format.md).
 */
int ct_contract_validate(struct ct_contract *c, struct ct_err *err);

/* Puts the sets (`x-events`, `x-routes`) in their canonical order, sorted,
 * moving the origins noted on their items along: a document built in
 * memory then compares as the same document read from its file would.
 * ct_contract_write() does this first. */
void ct_contract_canonicalize(struct ct_contract *c);

/* Writes the canonical form, with one trailing newline: the same document
 * gives the same bytes. Validates as it goes. */
int ct_contract_write(struct ct_buf *out, struct ct_contract *c,
		      struct ct_err *err);

#endif
