/*
 * run.h - running a manifest: the one module that knows the manifest, the
 * sources and the extractors. It builds each contract's documents from
 * their sources and compares them: provider against pinned, consumer
 * against pinned, each committed contract file against pinned, and
 * provider against consumer.
 *
 * Ownership: a struct ct_run borrows its manifest and owns the sources it
 * opens; release it with ct_run_release().
 */
#ifndef CT_RUN_H
#define CT_RUN_H

#include "contracts/contract.h"
#include "contracts/diff.h"
#include "contracts/err.h"
#include "contracts/manifest.h"
#include "contracts/pyrepo.h"
#include "contracts/source.h"

/* The sources opened for a run, one per repository, opened on first use. */
struct ct_run_rec;
struct ct_run_mem;
struct ct_cache;
struct ct_strset;

struct ct_run {
	struct ct_manifest *manifest;
	struct ct_source_opts opts;
	struct ct_source **sources; /* by repo index */
	struct ct_pyrepo **views;   /* by repo index: its Python modules, each
				       parsed once for every contract */
	struct ct_pyrepo **stale;   /* by repo index: the view of the commit
				       read before, whose modules the next
				       view takes over where unchanged */
	struct ct_cache *cache;	    /* owned; see cache.h */
	struct ct_run_rec *rec;	    /* the extraction under way records the
				       files it reads here */
	struct ct_run_mem *mem;	    /* what each side gave, for history */
	struct ct_strset *refused;  /* blobs the scans' filters refused */
};

/* Opens the cache too (docs/cache.md), unless `no_cache`: a side whose
 * tree, or whose files, were seen before is not extracted again, and a
 * file parsed before is not parsed again. */
void ct_run_init(struct ct_run *run, struct ct_manifest *m,
		 const struct ct_source_opts *opts);
void ct_run_init_ex(struct ct_run *run, struct ct_manifest *m,
		    const struct ct_source_opts *opts, int no_cache);
/* The cache's one warning (it could not be written), or NULL. */
const char *ct_run_cache_warning(const struct ct_run *run);
void ct_run_release(struct ct_run *run);

/* Builds the document of one side ("proxbox-api", or "REPO:LABEL" for a
 * repository's committed contract file) of contract c. The caller frees
 * *out. With `problems`, what spoils only part of the document (a file that
 * does not parse, an import that names nothing) is appended there and the
 * document is still built; without, the first problem is the error. */
int ct_run_extract(struct ct_contract **out, struct ct_run *run, size_t c,
		   const char *side, struct ct_errs *problems,
		   struct ct_err *err);

/* Like ct_run_extract(), also giving the SHA-1 of the document's
 * canonical text in `digest`: two extractions with one digest gave one
 * document. With a digest asked for, the run also remembers what the side
 * read, for ct_run_recall() at the next commit of a walk (NULL: neither). */
int ct_run_extract_ex(struct ct_contract **out, char digest[41],
		      struct ct_run *run, size_t c, const char *side,
		      struct ct_errs *problems, struct ct_err *err);

/* Whether side `side` of contract c, at the commit its source reads now,
 * is known without reading a file: 1 with `digest` set (as
 * ct_run_extract_ex() gives it; "" when the side could not be built) when
 * this run extracted it before from a tree with the same files and the
 * same blobs of every file it consulted; 0 when it must be extracted. */
int ct_run_recall(struct ct_run *run, size_t c, const char *side,
		  char digest[41]);

/* The source of repository `repo` (opened on first use); borrowed. */
int ct_run_source(struct ct_source **out, struct ct_run *run, size_t repo,
		  struct ct_err *err);
/* Drops the repository view of `repo`, after its source moved. */
void ct_run_forget_view(struct ct_run *run, size_t repo);

/* The provider's document of contract c against the consumer's, as
 * ct_run_check() compares them (writer against reader). */
int ct_run_pair(struct ct_changes *out, struct ct_run *run, size_t c,
		struct ct_contract *provider, struct ct_contract *consumer,
		struct ct_err *err);

/* Records in doc's x-contract "sources" where side `side` of contract c
 * was read: {"SIDE": {"repo", "ref", "commit"}} (commit absent for a work
 * tree), as pins name the commits they came from. */
void ct_run_note_sources(struct ct_run *run, size_t c, const char *side,
			 struct ct_contract *doc);

/* The provider's version, read from its version_file (a line such as
 * `version = "0.0.17"` or `__version__ = "0.0.17"`): 0 with *out set
 * (malloc'ed), or *out NULL when the manifest names no version_file. */
int ct_run_provider_version(char **out, struct ct_run *run, struct ct_err *err);

/* Compares everything for contract c, appending one ct_changes per
 * comparison to *out (grown as needed, *n updated). A side that cannot be
 * built whole (a file that does not parse, a missing path) or a missing
 * pin, or a source that cannot be reached, spoils only the comparisons
 * that need it: they carry `errors` and no changes, and the rest go on.
 * Errors here are a document the comparison itself refuses. */
int ct_run_check(struct ct_run *run, size_t c, struct ct_changes **out,
		 size_t *n, size_t *cap, struct ct_err *err);

#endif
