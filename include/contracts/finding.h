/*
 * finding.h - one finding per change. A run compares a contract several
 * times (the pin against each side, the provider against the consumer),
 * and one change shows in several of those comparisons, each time under
 * another kind ("enum value added" against the pin, "the reader refuses"
 * between the programs). This module groups the changes of all
 * comparisons of a contract by the identity of the change (contract,
 * where, member and kind family) into findings, each with a side table:
 * what every document holds, which side moved from the pin, the highest
 * severity over its comparisons, every origin and one next step.
 * Reports render findings (src/report/), never raw changes.
 *
 * A comparison that could not be made (a missing pin, a file that does not
 * parse, a source that fails) is an error finding of its contract, one per
 * distinct error.
 *
 * Ownership: struct ct_findings owns every string in it and borrows the
 * comparisons (struct ct_changes) it was built from, which must outlive
 * it; release it with ct_findings_release(). Depends on diff.h (and
 * json-c for values) only.
 */
#ifndef CT_FINDING_H
#define CT_FINDING_H

#include <stddef.h>

#include "contracts/buf.h"
#include "contracts/diff.h"

/* What a side holds when it was compared and nothing there says more:
 * the member is missing from it. */
#define CT_FINDING_ABSENT "absent"

/* One place a finding comes from; strings owned. */
struct ct_forigin {
	enum ct_side side;
	char *repo, *commit, *path; /* repo and commit NULL for a pin file */
	unsigned line;		    /* 1-based, 0 when unknown */
};

/* One comparison that saw the change. */
struct ct_fseen {
	const struct ct_changes *cmp; /* borrowed */
	const struct ct_change *change;
};

struct ct_finding {
	char id[17]; /* FNV-1a 64 of the identity: stable across runs */
	const char *contract; /* borrowed from a comparison */
	enum ct_direction direction;
	int error;		    /* a comparison could not be made */
	enum ct_severity severity;  /* the highest over its comparisons */
	const char *family;	    /* "enum-value", "route"...; static */
	char *where;		    /* "StreamMessageType", "routes" */
	char *member;		    /* value, field, event or route; or NULL */
	char *message;		    /* one line in terms of the programs */
	char *next;		    /* one line: what to do */
	char *state[CT_SIDE_COUNT]; /* what each side holds; NULL: not
				       compared */
	unsigned moved;		    /* bit (1 << side): differs from the pin */
	struct ct_forigin *origins;
	size_t norigins;
	struct ct_fseen *seen; /* every comparison that saw it */
	size_t nseen;
	struct ct_err err; /* for an error finding */
};

/* The documents of one contract and its comparisons. */
struct ct_fcontract {
	const char *name; /* borrowed */
	enum ct_direction direction;
	const char *label[CT_SIDE_COUNT]; /* each document compared; borrowed;
					     NULL when the contract has no
					     such side */
	const struct ct_changes **cmps;	  /* borrowed */
	size_t ncmps;
	size_t first, n; /* its findings: v[first .. first + n) */
	size_t counts[3], errors;
};

struct ct_findings {
	struct ct_finding *v; /* by contract, then errors, then severity */
	size_t n;
	struct ct_fcontract *contracts; /* in the order first seen */
	size_t ncontracts;
	size_t counts[3]; /* findings per severity (not errors) */
	size_t errors;	  /* error findings */
};

/* Groups the changes of `n` comparisons into findings. Comparisons of one
 * contract need not be adjacent. `out` is overwritten. */
void ct_findings_build(struct ct_findings *out, const struct ct_changes *diffs,
		       size_t n);
void ct_findings_release(struct ct_findings *f);

/* The side's name in plain words ("the provider", "the consumer's
 * committed file"); static. */
const char *ct_side_title(enum ct_side side);
/* The side's key in JSON ("provider", "consumer_file"); static. */
const char *ct_side_key(enum ct_side side);

/* Where a change sits, such as `DiscoveryMessage.items[]`. */
void ct_change_where(struct ct_buf *out, const struct ct_change *c);

/* The kind family a change belongs to ("enum-value"); static. */
const char *ct_change_family(const struct ct_change *c);

#endif
