/*
 * manifest.h - which repositories and contracts to check (JSON,
 * contracts/manifest.json; reference in docs/manifest.md), and the run
 * that builds each contract's documents from its sources and compares
 * them: provider against pinned, consumer against pinned, each committed
 * contract file against pinned, and provider against consumer.
 *
 * Ownership: a struct ct_manifest owns its strings and options (json-c
 * objects); free it with ct_manifest_free().
 */
#ifndef CT_MANIFEST_H
#define CT_MANIFEST_H

#include <json-c/json_object.h>
#include <stddef.h>

#include "contracts/contract.h"
#include "contracts/diff.h"
#include "contracts/err.h"
#include "contracts/source.h"

enum ct_role { CT_ROLE_PROVIDER, CT_ROLE_CONSUMER };

struct ct_mrepo {
	char *name, *location, *ref; /* ref may be NULL: default branch */
	enum ct_role role;
	char *spec;	    /* an override from --repo NAME=SPEC, or NULL */
	char *version_file; /* where its version is written, or NULL */
};

struct ct_msource {
	size_t repo; /* index in repos */
	char *side;  /* the document it feeds: the repo name, or NAME:LABEL */
	char *extractor;
	char **paths; /* globs */
	size_t npaths;
	json_object *options; /* owned reference, may be NULL */
	char *url;	      /* instead of paths: a document to GET */
	char *token_env;      /* the variable holding its bearer token */
};

struct ct_mcontract {
	char *name,
	    *pinned; /* pinned: path relative to the manifest's folder */
	enum ct_direction direction;
	json_object *shape_dirs; /* {"DiskFormat": "superset"}, or NULL */
	struct ct_msource *sources;
	size_t nsources;
};

struct ct_manifest {
	char *path, *dir; /* the file and its folder */
	struct ct_mrepo *repos;
	size_t nrepos;
	struct ct_mcontract *contracts;
	size_t ncontracts;
};

/* Reads and validates a manifest: unknown keys, unknown extractors, paths
 * escaping a repository, duplicate names and missing fields are errors
 * (CT_EINVAL) naming the key. */
int ct_manifest_load(struct ct_manifest **out, const char *path,
		     struct ct_err *err);
void ct_manifest_free(struct ct_manifest *m);

/* Index of the contract or repository called `name`, or -1. */
long ct_manifest_contract(const struct ct_manifest *m, const char *name);
long ct_manifest_repo(const struct ct_manifest *m, const char *name);

/* The sources opened for a run, one per repository, opened on first use. */
struct ct_run {
	struct ct_manifest *manifest;
	struct ct_source_opts opts;
	struct ct_source **sources; /* by repo index */
};

void ct_run_init(struct ct_run *run, struct ct_manifest *m,
		 const struct ct_source_opts *opts);
void ct_run_release(struct ct_run *run);

/* Builds the document of one side ("proxbox-api", or "REPO:LABEL" for a
 * repository's committed contract file) of contract c. The caller frees
 * *out. */
int ct_run_extract(struct ct_contract **out, struct ct_run *run, size_t c,
		   const char *side, struct ct_err *err);

/* The sides of contract c, in manifest order, each once (borrowed). */
size_t ct_manifest_sides(const struct ct_manifest *m, size_t c,
			 const char **sides, size_t max);

/* The provider's version, read from its version_file (a line such as
 * `version = "0.0.17"` or `__version__ = "0.0.17"`): 0 with *out set
 * (malloc'ed), or *out NULL when the manifest names no version_file. */
int ct_run_provider_version(char **out, struct ct_run *run, struct ct_err *err);

/* Compares everything for contract c, appending one ct_changes per
 * comparison to *out (grown as needed, *n updated). */
int ct_run_check(struct ct_run *run, size_t c, struct ct_changes **out,
		 size_t *n, size_t *cap, struct ct_err *err);

#endif
