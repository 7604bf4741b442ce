/*
 * extract.h - extractors turn source files into parts of a contract
 * document: shapes (`$defs`), events, routes and ordered lists, each
 * element with its origin (repo, commit, path, line).
 *
 * An extractor is a name, a summary and a function over a set of files;
 * they are listed in one table (registry.c), so adding one is adding a file
 * and a line. Extractors take bytes and paths, never touch the disk or git.
 *
 * The Python readers (CT_EXTRACT_PYTHON) see the repository, not only their
 * files: given a view (pyrepo.h), they take their files' parsed modules from
 * it, the files' `data` may be NULL, and they resolve bases and annotations
 * through any module of the repository. Without a view they parse the files
 * given and resolve among them.
 *
 * Problems that spoil only part of the result (a file that does not parse,
 * an import of the repository that names nothing) go to `problems` when it
 * is set, and the extraction goes on; without it, the first one is the
 * error returned.
 *
 * Options are a JSON object (borrowed), as the manifest gives them:
 *   python-enum   {"bases": [extra enum base names]}
 *   python-model  {"bases": [model base names, default ["BaseModel"]]}
 *   python-literal {"name": VARIABLE, "select": "/ * /1/ *" (no spaces),
 * "list": NAME} python-calls  {"functions": [names], "keys": [dict keys]}
 *   fastapi-routes {}
 *   http-calls    {"functions": [names], "keywords": ["path", "route"],
 *                  "methods": {function: METHOD}}
 */
#ifndef CT_EXTRACT_H
#define CT_EXTRACT_H

#include <json-c/json_object.h>
#include <stddef.h>

#include "contracts/contract.h"
#include "contracts/err.h"
#include "contracts/pyrepo.h"

struct ct_source_file {
	const char *path; /* as reports should name it (repo-relative) */
	const char *data;
	size_t len;
};

struct ct_extract_ctx {
	const char *repo, *commit; /* for origins; NULL when unknown */
	json_object *options;	   /* borrowed; may be NULL */
	struct ct_contract *out;   /* receives what is found */
	int keep_going;		   /* skip files that do not parse */
	struct ct_pyrepo *view;	   /* the repository, or NULL; borrowed */
	struct ct_errs *problems;  /* where problems go, or NULL */
};

#define CT_EXTRACT_PYTHON 1u /* reads Python modules through a view */

/* What an option of an extractor holds. */
enum ct_opt_type {
	CT_OPT_STRING = 1, /* "text" (one of `values` when they are given) */
	CT_OPT_STRINGS,	   /* ["text", ...] */
	CT_OPT_STRING_MAP, /* {"key": "text", ...} */
	CT_OPT_NAMES	   /* ["name", ...] or {"name": index >= 0, ...} */
};

struct ct_optspec {
	const char *key;
	enum ct_opt_type type;
	const char *const *values; /* the strings allowed, or NULL */
};

struct ct_extractor {
	const char *name;
	const char *summary;
	unsigned flags; /* CT_EXTRACT_PYTHON */
	int (*run)(struct ct_extract_ctx *ctx,
		   const struct ct_source_file *files, size_t n,
		   struct ct_err *err);
	/* the options it takes, ended by {NULL}; NULL: not checked */
	const struct ct_optspec *options;
};

/* Checks `options` (a JSON object, may be NULL) against what extractor `x`
 * takes: an unknown key or a value of the wrong type is CT_EINVAL, with
 * the key in `key` (of `size` bytes) and the message in `err`. */
int ct_extractor_check_options(const struct ct_extractor *x,
			       json_object *options, char *key, size_t size,
			       struct ct_err *err);

/* The extractor called `name`, or NULL; the i-th one, or NULL past the
 * end. */
const struct ct_extractor *ct_extractor_find(const char *name);
const struct ct_extractor *ct_extractor_at(size_t i);

#endif
