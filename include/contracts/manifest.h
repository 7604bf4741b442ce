/*
 * manifest.h - which repositories and contracts to check (JSON,
 * contracts/manifest.json; reference in docs/manifest.md). Running one is
 * run.h's business.
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
	/* its "release" block, or NULL: an owned reference, read and checked
	 * by gate.h */
	json_object *release;
};

struct ct_msource {
	size_t repo; /* index in repos */
	char *side;  /* the document it feeds: the repo name, or NAME:LABEL */
	char *extractor;
	char **paths; /* globs */
	size_t npaths;
	char **exclude; /* globs of files the paths match but not to read */
	size_t nexclude;
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

/* The sides of contract c, in manifest order, each once (borrowed). */
size_t ct_manifest_sides(const struct ct_manifest *m, size_t c,
			 const char **sides, size_t max);

#endif
