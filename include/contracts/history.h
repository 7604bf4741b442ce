/*
 * history.h - the history of a contract: at which commits one side's
 * extracted contract changed (`contracts log`), and when the two sides
 * drifted apart and came together again (`contracts log --pair`).
 *
 * Both walk first-parent history, oldest first, extracting each side at
 * each commit through the run (so through its cache: a commit that did not
 * touch what a side reads costs a few lookups).
 *
 * Ownership: a struct ct_log owns its entries; release it with
 * ct_log_release(). Likewise struct ct_drifts.
 */
#ifndef CT_HISTORY_H
#define CT_HISTORY_H

#include "contracts/buf.h"
#include "contracts/diff.h"
#include "contracts/err.h"
#include "contracts/run.h"

/* A commit at which one contract's side changed. */
struct ct_log_entry {
	size_t contract; /* index in the manifest */
	char commit[41];
	long long time;
	char summary[120];
	struct ct_changes changes; /* against the side at the previous
				      commit where it could be built */
	/* a merge: per change, the commit of the merged branch where it
	 * first appeared ("" when not found) */
	char (*introduced)[41];
	int first;	 /* the side's first extraction: no previous one */
	size_t elements; /* first: its shapes, events, routes and lists */
};

struct ct_log {
	char *side;	 /* the repository walked */
	char *location;	 /* its location, for links */
	size_t commits;	 /* commits walked */
	size_t failures; /* extractions that failed (the side not there yet,
			    a file that does not parse) */
	struct ct_log_entry *v;
	size_t n, cap;
};

struct ct_log_opts {
	const char *side;     /* repository name (required) */
	const char *range;    /* "A..B", "B", or NULL: the manifest's ref */
	long long since;      /* commits before this time are skipped; 0 */
	const char *contract; /* NULL: every contract with this side */
};

/* Walks `o->side`'s history. Contracts the side has no part in are left
 * out; none at all is CT_EINVAL. */
int ct_log_side(struct ct_log *out, struct ct_run *run,
		const struct ct_log_opts *o, struct ct_err *err);
void ct_log_release(struct ct_log *log);

/* One drift: a finding between the provider and the consumer, from the
 * commit that made it to the one that resolved it. */
struct ct_drift {
	size_t contract;
	struct ct_change change; /* as first seen; owned */
	char opened_by[64];	 /* the repository that moved first */
	char opened_commit[41];
	long long opened;
	char closed_by[64]; /* "" while still open */
	char closed_commit[41];
	long long closed;
};

struct ct_drifts {
	struct ct_drift *v;
	size_t n, cap;
	size_t commits[2];    /* provider, consumer commits walked */
	long long *times[2];  /* their committer times, for the timeline */
	long long start, end; /* from when both repositories exist */
	enum ct_severity min; /* findings below are left out */
	char *names[2];	      /* provider, consumer */
	char *locations[2];
};

/* Walks both repositories, pairing each commit of one with the latest of
 * the other at or before its committer time, and gathers every interval
 * during which a finding of `min` severity or more stood between them. */
int ct_log_pair(struct ct_drifts *out, struct ct_run *run, const char *contract,
		long long since, enum ct_severity min, struct ct_err *err);
void ct_drifts_release(struct ct_drifts *d);

/* A whole history asked for, as the cache names it. */
struct ct_history_query {
	int pair;
	const char *side; /* not pair */
	const char *range, *contract, *format;
	long long since;
	enum ct_severity min;
};

/* The cache's name for the answer to `q`: a hash of the tool's version,
 * the query, the head commit of each repository walked and everything the
 * manifest says of every side, so an answer kept is an answer still
 * right. CT_ENOTFOUND when it is not to be kept (no cache, a range, a work
 * tree). */
int ct_history_key(char out[41], struct ct_run *run,
		   const struct ct_history_query *q, struct ct_err *err);
/* The answer kept under `key` (0), or CT_ENOTFOUND. */
int ct_history_recall(struct ct_buf *out, struct ct_run *run, const char *key);
void ct_history_keep(struct ct_run *run, const char *key,
		     const struct ct_buf *text);

/* Renderers: "text", "json", "markdown" or "svg". CT_EINVAL for another
 * format. */
int ct_log_render(struct ct_buf *out, const struct ct_log *log,
		  const struct ct_manifest *m, const char *format,
		  struct ct_err *err);
int ct_drifts_render(struct ct_buf *out, const struct ct_drifts *d,
		     const struct ct_manifest *m, const char *format,
		     struct ct_err *err);

#endif
