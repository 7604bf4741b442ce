/*
 * pep440.h - versions as PEP 440 writes them and as Python's `packaging`
 * parses, normalises and orders them: [N!]N(.N)*[{a|b|rc}N][.postN][.devN]
 * [+local], with the alternative spellings packaging accepts (alpha, beta,
 * c, pre, preview; rev, r, -N; separators '.', '-', '_' or none; implicit
 * numbers; a leading 'v'; surrounding white space; any case).
 *
 * Numbers are kept as digit strings without leading zeros, so none is too
 * large to compare. A parsed version borrows the string it was read from:
 * keep that string alive while the struct is used. Depends on nothing but
 * util/buf.
 */
#ifndef CT_PEP440_H
#define CT_PEP440_H

#include <stddef.h>

#include "contracts/buf.h"

#define CT_PEP440_MAX_RELEASE 32

struct ct_pep440_num {
	const char *p; /* digits, borrowed */
	size_t len;    /* 0 for zero */
};

enum ct_pep440_pre { CT_PEP440_NO_PRE, CT_PEP440_A, CT_PEP440_B, CT_PEP440_RC };

struct ct_pep440 {
	struct ct_pep440_num epoch, release[CT_PEP440_MAX_RELEASE], pre_n, post,
	    dev;
	size_t nrelease;
	enum ct_pep440_pre pre;
	int has_post, has_dev;
	const char *local; /* after '+', borrowed; NULL when absent */
	size_t local_len;
};

/* Parses `s` into *out (borrowing `s`). A string that is not a version
 * (or has more than CT_PEP440_MAX_RELEASE release numbers) is CT_EINVAL. */
int ct_pep440_parse(struct ct_pep440 *out, const char *s);

/* <0, 0 or >0 as `packaging.version.Version` orders a and b. */
int ct_pep440_order(const struct ct_pep440 *a, const struct ct_pep440 *b);

/* Compares two version strings, setting *out to -1, 0 or 1; CT_EINVAL when
 * either is not a version. */
int ct_pep440_cmp(int *out, const char *a, const char *b);

/* Appends the normal form, as str(Version(s)) writes it: "1!2.0rc1.post3
 * .dev4+ubuntu.1" (no 'v', no leading zeros, lowercase, '.' in local). */
void ct_pep440_normalize(struct ct_buf *out, const struct ct_pep440 *v);

/* Appends the public version's release part only ("1!0.0.19"), for building
 * the next versions after it. */
void ct_pep440_release_text(struct ct_buf *out, const struct ct_pep440 *v);

/* Whether `s` is a version. */
int ct_pep440_valid(const char *s);

#endif
