/*
 * strset.h - a set of strings (open addressing, FNV-1a): membership in O(1)
 * among many, where a scan of a list would make work quadratic.
 *
 * Ownership: the set owns copies of what is added; release it with
 * ct_strset_release(). A zeroed struct (CT_STRSET_INIT) is empty.
 */
#ifndef CT_STRSET_H
#define CT_STRSET_H

#include <stddef.h>

struct ct_strset {
	char **slot;
	size_t cap, n;
};

#define CT_STRSET_INIT                                                         \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

/* Adds a copy of `s`: 1 when it was new, 0 when it was there already. */
int ct_strset_add(struct ct_strset *set, const char *s);
int ct_strset_has(const struct ct_strset *set, const char *s);
void ct_strset_release(struct ct_strset *set);

#endif
