/*
 * validate.h - checks JSON instances against the shapes of a contract
 * document, with the meaning JSON Schema 2020-12 gives the keywords a
 * contract uses (docs/contract-format.md, docs/validate.md): `type` (an
 * integer is any number with a zero fraction, so 3.0 is one), `enum`
 * (values compared as JSON, 1 equals 1.0), `properties`, `required`,
 * `additionalProperties`, `items`, `anyOf` (one branch suffices) and `$ref`
 * ("#/$defs/NAME"). `default`, `description`, `title` and the `x-` keys are
 * annotations and accept anything, as does `{}`. Other keys are ignored: the
 * contract loader refuses them.
 *
 * Validation goes on past the first violation and lists every one, with
 * the JSON pointer into the instance, the JSON pointer into the document of
 * the keyword that refused it, and a message ("3.5 is not an integer").
 * Recursive shapes are followed at most CT_VALIDATE_MAX_DEPTH nested `$ref`
 * deep; deeper, or a `$ref` that loops back to itself on the same value, is
 * a violation, never a crash.
 *
 * A valid instance costs no allocation, so thousands of instances can be
 * checked in one process (`contracts validate --lines`).
 *
 * Ownership: a struct ct_violations owns its entries and their strings;
 * the instance and schema are borrowed for the call only. Depends on
 * contract.h and json.h.
 */
#ifndef CT_VALIDATE_H
#define CT_VALIDATE_H

#include <json-c/json_object.h>
#include <stddef.h>

#include "contracts/contract.h"
#include "contracts/err.h"

/* Nested `$ref` followed on one path through an instance. */
#define CT_VALIDATE_MAX_DEPTH 64
/* Nesting of instance text read by ct_validate_text(). */
#define CT_VALIDATE_MAX_NESTING 256
/* Schema evaluations a call may make: CT_VALIDATE_MIN_STEPS plus
 * CT_VALIDATE_STEPS_PER_VALUE for each value of the instance, a bound on
 * pathological `anyOf` branching (duplicate branches over a recursive
 * shape). A call that needs more fails with CT_ETOOBIG. */
#define CT_VALIDATE_MIN_STEPS ((unsigned long)1 << 20)
#define CT_VALIDATE_STEPS_PER_VALUE 64ul

struct ct_violation {
	char *pointer;	      /* into the instance (RFC 6901); "" the whole */
	char *schema_pointer; /* of the refusing keyword: "/$defs/A/.../type" */
	char *message;	      /* "3.5 is not an integer" */
};

/* Violations in the order found: within one value `$ref`, `type`, `enum`,
 * `required`, `properties` (in declaration order), `additionalProperties`
 * (in the instance's key order), `items` (in index order), `anyOf`. */
struct ct_violations {
	struct ct_violation *v;
	size_t n, cap;
};

#define CT_VIOLATIONS_INIT                                                     \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

/* Frees the entries and keeps the array, for the next instance. */
void ct_violations_reset(struct ct_violations *list);
/* Frees everything and returns the list to CT_VIOLATIONS_INIT. */
void ct_violations_release(struct ct_violations *list);

/* Validates `instance` (NULL is JSON null) against shape `shape` of `c` and
 * appends every violation to `out`. Returns 0 when the validation ran,
 * whether or not it found violations (out->n tells); CT_ENOTFOUND for an
 * unknown shape; the error of a shape that does not load; CT_ETOOBIG past
 * the step budget. Schema pointers start at "/$defs/SHAPE". */
int ct_validate(struct ct_violations *out, struct ct_contract *c,
		const char *shape, json_object *instance, struct ct_err *err);

/* Validates `instance` against `schema` directly. `$ref` resolves in `c`'s
 * shapes, or, when `c` is NULL, in the `$defs` of `schema` itself (the
 * schema is the root document). Schema pointers are relative to `schema`
 * ("" is `schema`) until a `$ref` leads to "/$defs/NAME". `schema` is not
 * checked against the document rules first: a keyword whose value has the
 * wrong form fails with CT_EINVAL, a `$ref` that does not resolve with
 * CT_ENOTFOUND. Otherwise as ct_validate(). */
int ct_validate_schema(struct ct_violations *out, struct ct_contract *c,
		       json_object *schema, json_object *instance,
		       struct ct_err *err);

/* Parses text[0..len) strictly as one JSON value (at most
 * CT_VALIDATE_MAX_NESTING deep) and validates it as ct_validate() does.
 * Text that is not JSON fails with CT_EPARSE, naming `path` (may be NULL),
 * line and column. */
int ct_validate_text(struct ct_violations *out, struct ct_contract *c,
		     const char *shape, const char *text, size_t len,
		     const char *path, struct ct_err *err);

#endif
