#include "contracts/strset.h"

#include "contracts/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

int ct_strset_add(struct ct_strset *set, const char *s)
{
	size_t i;

	if (2 * (set->n + 1) > set->cap) {
		struct ct_strset big = {NULL, set->cap ? 2 * set->cap : 64, 0};
		big.slot = ct_xcalloc(big.cap, sizeof(*big.slot));
		for (size_t k = 0; k < set->cap; k++) {
			if (!set->slot[k])
				continue;
			for (i = hash(set->slot[k]) & (big.cap - 1);
			     big.slot[i]; i = (i + 1) & (big.cap - 1))
				;
			big.slot[i] = set->slot[k];
			big.n++;
		}
		free(set->slot);
		*set = big;
	}
	for (i = hash(s) & (set->cap - 1); set->slot[i];
	     i = (i + 1) & (set->cap - 1))
		if (!strcmp(set->slot[i], s))
			return 0;
	set->slot[i] = ct_xstrdup(s);
	set->n++;
	return 1;
}

int ct_strset_has(const struct ct_strset *set, const char *s)
{
	if (!set->cap)
		return 0;
	for (size_t i = hash(s) & (set->cap - 1); set->slot[i];
	     i = (i + 1) & (set->cap - 1))
		if (!strcmp(set->slot[i], s))
			return 1;
	return 0;
}

void ct_strset_release(struct ct_strset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slot[i]);
	free(set->slot);
	memset(set, 0, sizeof(*set));
}
