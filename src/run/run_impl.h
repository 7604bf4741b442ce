/* run_impl.h - what run.c shares with memo.c. */
#ifndef CT_RUN_IMPL_H
#define CT_RUN_IMPL_H

#include "contracts/contract.h"
#include "contracts/run.h"
#include "contracts/source.h"
#include "contracts/strset.h"

/* The paths whose bytes one extraction consulted, in order. */
struct ct_run_rec {
	char **paths;
	size_t n, cap;
	struct ct_strset seen;
};

/* Adds `path` to the record `data` (a ct_pyrepo_touch_fn). */
void ct_run_rec_touch(void *data, const char *path);
void ct_run_rec_release(struct ct_run_rec *rec);

/* The key of side `side` of contract c: a hash of everything the manifest
 * says about it. -1 when it cannot be remembered (it reads a URL). */
int ct_run_memo_key(char out[41], const struct ct_run *run, size_t c,
		    const char *side);
/* The side's document as remembered for the tree `src` reads: 0 with *out
 * (the caller frees it), or CT_ENOTFOUND. */
int ct_run_memo_load(struct ct_contract **out, struct ct_run *run,
		     struct ct_source *src, const char *key, char digest[41]);
/* Remembers `doc`, extracted from `src` reading the paths of `rec` (when
 * the run has a cache), and gives its digest. */
void ct_run_memo_store(struct ct_run *run, struct ct_source *src,
		       const char *key, struct ct_contract *doc,
		       const struct ct_run_rec *rec, char digest[41]);
/* What this run extracted, in memory: ct_run_mem_recall() gives the
 * digest of side `key` (or "" when it could not be built) when the tree
 * `src` reads has every file the last extraction consulted, unchanged,
 * and the same files; 0 when it must be extracted. */
int ct_run_mem_recall(struct ct_run *run, struct ct_source *src,
		      const char *key, char digest[41]);
void ct_run_mem_note(struct ct_run *run, struct ct_source *src, const char *key,
		     const struct ct_run_rec *rec, const char *digest);
void ct_run_mem_free(struct ct_run_mem *mem);

/* SHA-1 of the canonical text of `doc`. */
int ct_run_digest(char out[41], struct ct_contract *doc);

#endif
