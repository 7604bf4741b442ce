/* PEP 440 versions, as `packaging` reads and orders them (pep440.h). Moved
 * here from core/allow.c so allow and gate share one implementation. */
#include "contracts/pep440.h"

#include "contracts/err.h"

#include <string.h>

typedef struct ct_pep440_num num;

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int is_sep(char c)
{
	return c == '.' || c == '-' || c == '_';
}

/* Reads digits at *s into `n`; 0 when there is none. */
static int read_num(num *n, const char **s)
{
	const char *p = *s, *e = p;

	while (is_digit(*e))
		e++;
	if (e == p)
		return 0;
	while (p < e && *p == '0')
		p++;
	n->p = p;
	n->len = (size_t)(e - p);
	*s = e;
	return 1;
}

/* Reads the word `w` at *s, in any case. */
static int read_word(const char **s, const char *w)
{
	size_t i = 0;

	for (; w[i]; i++)
		if (lower((*s)[i]) != w[i])
			return 0;
	*s += i;
	return 1;
}

/* An optional separator, an optional number (0 when absent). */
static void read_opt_num(num *n, const char **s)
{
	*s += is_sep(**s);
	n->p = "";
	n->len = 0;
	read_num(n, s);
}

/* Reads a suffix whose name is one of `words` (longest first); its index
 * plus one, or 0 when there is none at *s. */
static int read_suffix(num *n, const char **s, const char *const *words)
{
	const char *p = *s + is_sep(**s);

	for (int i = 0; words[i]; i++) {
		if (read_word(&p, words[i])) {
			read_opt_num(n, &p);
			*s = p;
			return i + 1;
		}
	}
	return 0;
}

int ct_pep440_parse(struct ct_pep440 *v, const char *s)
{
	static const char *const pre[] = {"alpha", "a",	 "beta", "b", "preview",
					  "pre",   "rc", "c",	 NULL};
	static const enum ct_pep440_pre pre_rank[] = {
	    CT_PEP440_A,  CT_PEP440_A,	CT_PEP440_B,  CT_PEP440_B,
	    CT_PEP440_RC, CT_PEP440_RC, CT_PEP440_RC, CT_PEP440_RC};
	static const char *const post[] = {"post", "rev", "r", NULL};
	static const char *const dev[] = {"dev", NULL};
	num first;
	int k;

	memset(v, 0, sizeof(*v));
	v->epoch.p = "";
	if (!s)
		return CT_EINVAL;
	while (is_space(*s))
		s++;
	if (*s == 'v' || *s == 'V')
		s++;
	if (!read_num(&first, &s))
		return CT_EINVAL;
	if (*s == '!') {
		v->epoch = first;
		s++;
		if (!read_num(&first, &s))
			return CT_EINVAL;
	}
	v->release[v->nrelease++] = first;
	while (*s == '.' && is_digit(s[1])) {
		if (v->nrelease == CT_PEP440_MAX_RELEASE)
			return CT_EINVAL;
		s++;
		read_num(&v->release[v->nrelease++], &s);
	}
	if ((k = read_suffix(&v->pre_n, &s, pre)))
		v->pre = pre_rank[k - 1];
	if (*s == '-' && is_digit(s[1])) {
		s++;
		v->has_post = read_num(&v->post, &s);
	} else {
		v->has_post = read_suffix(&v->post, &s, post) != 0;
	}
	v->has_dev = read_suffix(&v->dev, &s, dev) != 0;
	if (*s == '+') {
		const char *p = ++s;
		while (is_alnum(*p) || (is_sep(*p) && is_alnum(p[1]) && p > s &&
					is_alnum(p[-1])))
			p++;
		if (p == s)
			return CT_EINVAL;
		v->local = s;
		v->local_len = (size_t)(p - s);
		s = p;
	}
	while (is_space(*s))
		s++;
	return *s ? CT_EINVAL : 0;
}

int ct_pep440_valid(const char *s)
{
	struct ct_pep440 v;

	return !ct_pep440_parse(&v, s);
}

static int num_cmp(num a, num b)
{
	int d;

	if (a.len != b.len)
		return a.len < b.len ? -1 : 1;
	d = a.len ? memcmp(a.p, b.p, a.len) : 0;
	return (d > 0) - (d < 0);
}

/* Local labels compare segment by segment: numbers as numbers, above
 * words; words without case; a longer label above its own prefix. */
static int local_cmp(const char *a, const char *ae, const char *b,
		     const char *be)
{
	while (a < ae && b < be) {
		const char *ea = a, *eb = b;
		int na = 1, nb = 1, d = 0;
		while (ea < ae && is_alnum(*ea))
			na &= is_digit(*ea++);
		while (eb < be && is_alnum(*eb))
			nb &= is_digit(*eb++);
		if (na && nb) {
			num x = {"", 0}, y = {"", 0};
			read_num(&x, &a);
			read_num(&y, &b);
			d = num_cmp(x, y);
		} else if (na != nb) {
			d = na ? 1 : -1;
		} else {
			for (; !d && a < ea && b < eb; a++, b++)
				d = (lower(*a) > lower(*b)) -
				    (lower(*a) < lower(*b));
			if (!d)
				d = (ea - a > eb - b) - (ea - a < eb - b);
		}
		if (d)
			return d;
		a = ea + (ea < ae);
		b = eb + (eb < be);
	}
	return (a < ae) - (b < be);
}

/* Where the pre-release part sorts: a dev release of a final release first,
 * then a, b, rc, then a final or post release. */
static int pre_rank_of(const struct ct_pep440 *v)
{
	if (!v->pre && !v->has_post && v->has_dev)
		return 0;
	return v->pre ? (int)v->pre : 4;
}

int ct_pep440_order(const struct ct_pep440 *x, const struct ct_pep440 *y)
{
	num zero = {"", 0};
	int d;

	if ((d = num_cmp(x->epoch, y->epoch)))
		goto done;
	/* trailing zeros do not count: 1.0 == 1.0.0 */
	for (size_t i = 0; i < x->nrelease || i < y->nrelease; i++)
		if ((d = num_cmp(i < x->nrelease ? x->release[i] : zero,
				 i < y->nrelease ? y->release[i] : zero)))
			goto done;
	if ((d = pre_rank_of(x) - pre_rank_of(y)))
		goto done;
	if (x->pre && (d = num_cmp(x->pre_n, y->pre_n)))
		goto done;
	if ((d = x->has_post - y->has_post))
		goto done;
	if (x->has_post && (d = num_cmp(x->post, y->post)))
		goto done;
	if ((d = y->has_dev - x->has_dev))
		goto done;
	if (x->has_dev && (d = num_cmp(x->dev, y->dev)))
		goto done;
	if ((d = (x->local != NULL) - (y->local != NULL)))
		goto done;
	if (x->local)
		d = local_cmp(x->local, x->local + x->local_len, y->local,
			      y->local + y->local_len);
done:
	return (d > 0) - (d < 0);
}

int ct_pep440_cmp(int *out, const char *a, const char *b)
{
	struct ct_pep440 x, y;

	if (ct_pep440_parse(&x, a) || ct_pep440_parse(&y, b))
		return CT_EINVAL;
	*out = ct_pep440_order(&x, &y);
	return 0;
}

static void add_num(struct ct_buf *out, num n)
{
	if (n.len)
		ct_buf_add(out, n.p, n.len);
	else
		ct_buf_addch(out, '0');
}

void ct_pep440_release_text(struct ct_buf *out, const struct ct_pep440 *v)
{
	if (v->epoch.len) {
		add_num(out, v->epoch);
		ct_buf_addch(out, '!');
	}
	for (size_t i = 0; i < v->nrelease; i++) {
		if (i)
			ct_buf_addch(out, '.');
		add_num(out, v->release[i]);
	}
}

void ct_pep440_normalize(struct ct_buf *out, const struct ct_pep440 *v)
{
	static const char *const pre[] = {"", "a", "b", "rc"};

	ct_pep440_release_text(out, v);
	if (v->pre) {
		ct_buf_adds(out, pre[v->pre]);
		add_num(out, v->pre_n);
	}
	if (v->has_post) {
		ct_buf_adds(out, ".post");
		add_num(out, v->post);
	}
	if (v->has_dev) {
		ct_buf_adds(out, ".dev");
		add_num(out, v->dev);
	}
	if (v->local) {
		ct_buf_addch(out, '+');
		for (size_t i = 0; i < v->local_len; i++)
			ct_buf_addch(out, is_sep(v->local[i])
					      ? '.'
					      : lower(v->local[i]));
	}
}
