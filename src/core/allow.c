#include "contracts/allow.h"

#include "contracts/file.h"
#include "contracts/json.h"
#include "contracts/xalloc.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void ct_allow_today(char out[11])
{
	const char *env = getenv("CONTRACTS_TODAY");
	time_t now = time(NULL);

	if (env && strlen(env) == 10) {
		memcpy(out, env, 11);
		return;
	}
	strftime(out, 11, "%Y-%m-%d", gmtime(&now));
}

/* A day of the (proleptic Gregorian) calendar, written YYYY-MM-DD. */
static int is_date(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	static const int days[] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};
	int y, m, d;

	if (!s || strlen(s) != 10)
		return 0;
	for (int i = 0; i < 10; i++)
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != '-')
			return 0;
	y = atoi(s);
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1)
		return 0;
	if (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return d <= 29;
	return d <= days[m - 1];
}

/* A version as PEP 440 reads it: [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local],
 * with its alternative spellings (alpha, beta, c, pre, preview; rev, r, -N;
 * separators . - _ or none) and an optional leading v. Numbers are kept as
 * digit strings without leading zeros, so none is too large to compare. */
struct num {
	const char *p;
	size_t len; /* 0 for zero */
};

#define MAX_RELEASE 32

struct version {
	struct num epoch, release[MAX_RELEASE], pre_n, post, dev;
	size_t nrelease;
	int pre; /* 0 none, 1 a, 2 b, 3 rc */
	int has_post, has_dev;
	const char *local; /* after '+', or NULL */
};

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Reads digits at *s into `n`; 0 when there is none. */
static int read_num(struct num *n, const char **s)
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

static int is_sep(char c)
{
	return c == '.' || c == '-' || c == '_';
}

/* An optional separator, an optional number (0 when absent). */
static void read_opt_num(struct num *n, const char **s)
{
	*s += is_sep(**s);
	n->p = "";
	n->len = 0;
	read_num(n, s);
}

/* Reads a suffix whose name is one of `words` (longest first); its index
 * plus one, or 0 when there is none at *s. */
static int read_suffix(struct num *n, const char **s, const char *const *words)
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

static int parse_version(struct version *v, const char *s)
{
	static const char *const pre[] = {"alpha", "a",	 "beta", "b", "preview",
					  "pre",   "rc", "c",	 NULL};
	static const int pre_rank[] = {1, 1, 2, 2, 3, 3, 3, 3};
	static const char *const post[] = {"post", "rev", "r", NULL};
	static const char *const dev[] = {"dev", NULL};
	struct num first;
	int k;

	memset(v, 0, sizeof(*v));
	v->epoch.p = "";
	if (!s)
		return CT_EINVAL;
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
		if (v->nrelease == MAX_RELEASE)
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
		if (p == s || *p)
			return CT_EINVAL;
		v->local = s;
		s = p;
	}
	return *s ? CT_EINVAL : 0;
}

static int num_cmp(struct num a, struct num b)
{
	int d;

	if (a.len != b.len)
		return a.len < b.len ? -1 : 1;
	d = a.len ? memcmp(a.p, b.p, a.len) : 0;
	return (d > 0) - (d < 0);
}

/* Local labels compare segment by segment: numbers as numbers, above
 * words; words without case; a longer label above its own prefix. */
static int local_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		const char *ea = a, *eb = b;
		int na = 1, nb = 1, d = 0;
		while (is_alnum(*ea))
			na &= is_digit(*ea++);
		while (is_alnum(*eb))
			nb &= is_digit(*eb++);
		if (na && nb) {
			struct num x = {"", 0}, y = {"", 0};
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
		a = ea + is_sep(*ea);
		b = eb + is_sep(*eb);
	}
	return (*a != '\0') - (*b != '\0');
}

/* Where the pre-release part sorts: a dev release of a final release first,
 * then a, b, rc, then a final or post release. */
static int pre_rank_of(const struct version *v)
{
	if (!v->pre && !v->has_post && v->has_dev)
		return 0;
	return v->pre ? v->pre : 4;
}

int ct_allow_version_cmp(int *out, const char *a, const char *b)
{
	struct version x, y;
	struct num zero = {"", 0};
	int d;

	if (parse_version(&x, a) || parse_version(&y, b))
		return CT_EINVAL;
	if ((d = num_cmp(x.epoch, y.epoch)))
		goto done;
	for (size_t i = 0; i < x.nrelease || i < y.nrelease; i++)
		if ((d = num_cmp(i < x.nrelease ? x.release[i] : zero,
				 i < y.nrelease ? y.release[i] : zero)))
			goto done;
	if ((d = pre_rank_of(&x) - pre_rank_of(&y)))
		goto done;
	if (x.pre && (d = num_cmp(x.pre_n, y.pre_n)))
		goto done;
	if ((d = x.has_post - y.has_post))
		goto done;
	if (x.has_post && (d = num_cmp(x.post, y.post)))
		goto done;
	if ((d = y.has_dev - x.has_dev))
		goto done;
	if (x.has_dev && (d = num_cmp(x.dev, y.dev)))
		goto done;
	if ((d = (x.local != NULL) - (y.local != NULL)))
		goto done;
	if (x.local)
		d = local_cmp(x.local, y.local);
done:
	*out = (d > 0) - (d < 0);
	return 0;
}

static int is_version(const char *s)
{
	struct version v;

	return !parse_version(&v, s);
}

static int is_fingerprint(const char *s)
{
	if (!s || strlen(s) != 16)
		return 0;
	for (int i = 0; i < 16; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* Reads and checks the file; *out is NULL when it does not exist. */
static int load(json_object **out, const char *path, struct ct_err *err)
{
	struct ct_buf text = CT_BUF_INIT;
	json_object *root = NULL, *list, *v;
	int rc;

	*out = NULL;
	rc = ct_file_read(&text, path, CT_FILE_MAX_DEFAULT, err);
	if (rc == CT_ENOTFOUND) {
		ct_buf_release(&text);
		return 0;
	}
	if (!rc)
		ct_json_drop_bom(&text);
	if (rc || (rc = ct_json_check(text.ptr, text.len, CT_JSON_MAX_DEPTH,
				      path, err)))
		goto done;
	root = json_tokener_parse(text.ptr);
	if (!json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "version", &v) ||
	    json_object_get_int(v) != 1 ||
	    !json_object_object_get_ex(root, "allow", &list) ||
	    !json_object_is_type(list, json_type_array)) {
		rc = ct_err_at(
		    err, CT_EINVAL, path, 0, 0,
		    "not an approvals file: it needs \"version\": 1 and an \"allow\" array");
		goto done;
	}
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		json_object *e = json_object_array_get_idx(list, i), *f, *r, *u,
			    *uv;
		int by_date = json_object_object_get_ex(e, "until", &u) &&
			      is_date(json_object_get_string(u));
		int by_version =
		    json_object_object_get_ex(e, "until_version", &uv) &&
		    is_version(json_object_get_string(uv));
		if (!json_object_object_get_ex(e, "fingerprint", &f) ||
		    !is_fingerprint(json_object_get_string(f)) ||
		    !json_object_object_get_ex(e, "reason", &r) ||
		    !json_object_get_string_len(r) || by_date == by_version) {
			rc = ct_err_at(
			    err, CT_EINVAL, path, 0, 0,
			    "approval %zu needs a 16-hex-digit \"fingerprint\", a \"reason\", and an \"until\" date (YYYY-MM-DD) or an \"until_version\" of the provider",
			    i);
			goto done;
		}
	}
	*out = root;
	root = NULL;
done:
	json_object_put(root);
	ct_buf_release(&text);
	return rc;
}

int ct_allow_needs_version(const char *path, int *needs, struct ct_err *err)
{
	json_object *root, *list;
	int rc = load(&root, path, err);

	*needs = 0;
	if (rc || !root)
		return rc;
	json_object_object_get_ex(root, "allow", &list);
	for (size_t a = 0; a < json_object_array_length(list) && !*needs; a++)
		*needs = json_object_object_get_ex(
		    json_object_array_get_idx(list, a), "until_version", NULL);
	json_object_put(root);
	return 0;
}

int ct_allow_apply(const char *path, const char *today,
		   const char *provider_version, struct ct_changes *changes,
		   size_t n, struct ct_err *err)
{
	json_object *root, *list;
	int rc = load(&root, path, err);

	if (rc || !root)
		return rc;
	json_object_object_get_ex(root, "allow", &list);
	for (size_t a = 0; a < json_object_array_length(list); a++) {
		json_object *e = json_object_array_get_idx(list, a), *uv;
		if (!json_object_object_get_ex(e, "until_version", &uv))
			continue;
		if (!provider_version) {
			json_object_put(root);
			return ct_err_at(
			    err, CT_EINVAL, path, 0, 0,
			    "approval %zu lasts until provider version %s, but no provider version is known: give the provider a \"version_file\" in the manifest",
			    a, json_object_get_string(uv));
		}
		if (!is_version(provider_version)) {
			json_object_put(root);
			return ct_err_set(
			    err, CT_EINVAL,
			    "the provider's version '%s' is not a version such as 0.0.18 (PEP 440)",
			    provider_version);
		}
	}
	for (size_t k = 0; k < n; k++) {
		for (size_t i = 0; i < changes[k].n; i++) {
			struct ct_change *c = &changes[k].v[i];
			for (size_t a = 0; a < json_object_array_length(list);
			     a++) {
				json_object *e = json_object_array_get_idx(list,
									   a),
					    *u;
				const char *reason = json_object_get_string(
				    json_object_object_get(e, "reason"));
				struct ct_buf note = CT_BUF_INIT;
				int active;
				if (strcmp(json_object_get_string(
					       json_object_object_get(
						   e, "fingerprint")),
					   c->fingerprint))
					continue;
				if (json_object_object_get_ex(e, "until", &u)) {
					const char *until =
					    json_object_get_string(u);
					active = strcmp(today, until) <= 0;
					if (active)
						ct_buf_addf(
						    &note,
						    "approved until %s: %s",
						    until, reason);
					else
						ct_buf_addf(
						    &note,
						    "approval expired on %s",
						    until);
				} else {
					const char *until =
					    json_object_get_string(
						json_object_object_get(
						    e, "until_version"));
					int d = 0;
					ct_allow_version_cmp(
					    &d, provider_version, until);
					active = d < 0;
					if (active)
						ct_buf_addf(
						    &note,
						    "approved until provider version %s: %s",
						    until, reason);
					else
						ct_buf_addf(
						    &note,
						    "approval expired at provider version %s (the provider is at %s)",
						    until, provider_version);
				}
				if (active)
					c->severity = CT_SEV_INFO;
				free(c->note);
				c->note = ct_buf_detach(&note, NULL);
				break;
			}
		}
	}
	json_object_put(root);
	return 0;
}

int ct_allow_check(const char *fingerprint, const char *reason,
		   const char *until, const char *until_version,
		   struct ct_err *err)
{
	if (!is_fingerprint(fingerprint))
		return ct_err_set(
		    err, CT_EINVAL,
		    "'%s' is not a fingerprint (16 hex digits, as reports show)",
		    fingerprint);
	if (!reason || !*reason)
		return ct_err_set(err, CT_EINVAL,
				  "an approval needs a --reason");
	if (!until == !until_version)
		return ct_err_set(
		    err, CT_EINVAL,
		    "an approval needs --until DATE or --until-version VERSION, one of them");
	if (until && !is_date(until))
		return ct_err_set(err, CT_EINVAL,
				  "--until '%s' is not a date YYYY-MM-DD",
				  until);
	if (until_version && !is_version(until_version))
		return ct_err_set(
		    err, CT_EINVAL,
		    "--until-version '%s' is not a version such as 0.0.18 (PEP 440)",
		    until_version);
	return 0;
}

/* Writes `root` over `path`, atomically. */
static int save(const char *path, json_object *root, struct ct_err *err)
{
	struct ct_buf out = CT_BUF_INIT;
	int rc;

	ct_json_write(&out, root, 0);
	ct_buf_addch(&out, '\n');
	rc = ct_file_write_atomic(path, out.ptr, out.len, err);
	ct_buf_release(&out);
	return rc;
}

int ct_allow_add(const char *path, const char *fingerprint, const char *reason,
		 const char *until, const char *until_version,
		 struct ct_err *err)
{
	json_object *root, *list, *entry;
	int rc;

	if ((rc = ct_allow_check(fingerprint, reason, until, until_version,
				 err)) ||
	    (rc = load(&root, path, err)))
		return rc;
	if (!root) {
		root = json_object_new_object();
		json_object_object_add(root, "version", json_object_new_int(1));
		json_object_object_add(root, "allow", json_object_new_array());
	}
	json_object_object_get_ex(root, "allow", &list);
	for (size_t i = json_object_array_length(list); i-- > 0;)
		if (!strcmp(
			json_object_get_string(json_object_object_get(
			    json_object_array_get_idx(list, i), "fingerprint")),
			fingerprint))
			json_object_array_del_idx(list, i, 1);
	entry = json_object_new_object();
	json_object_object_add(entry, "fingerprint",
			       json_object_new_string(fingerprint));
	json_object_object_add(entry, "reason", json_object_new_string(reason));
	if (until)
		json_object_object_add(entry, "until",
				       json_object_new_string(until));
	else
		json_object_object_add(entry, "until_version",
				       json_object_new_string(until_version));
	json_object_array_add(list, entry);
	rc = save(path, root, err);
	json_object_put(root);
	return rc;
}

int ct_allow_remove(const char *path, const char *fingerprint,
		    struct ct_err *err)
{
	json_object *root, *list;
	size_t removed = 0;
	int rc;

	if (!is_fingerprint(fingerprint))
		return ct_err_set(
		    err, CT_EINVAL,
		    "'%s' is not a fingerprint (16 hex digits, as reports show)",
		    fingerprint);
	if ((rc = load(&root, path, err)))
		return rc;
	if (!root)
		return ct_err_at(err, CT_ENOTFOUND, path, 0, 0,
				 "no approval of %s: the file does not exist",
				 fingerprint);
	json_object_object_get_ex(root, "allow", &list);
	for (size_t i = json_object_array_length(list); i-- > 0;)
		if (!strcmp(
			json_object_get_string(json_object_object_get(
			    json_object_array_get_idx(list, i), "fingerprint")),
			fingerprint)) {
			json_object_array_del_idx(list, i, 1);
			removed++;
		}
	rc = removed ? save(path, root, err)
		     : ct_err_at(err, CT_ENOTFOUND, path, 0, 0,
				 "no approval of %s", fingerprint);
	json_object_put(root);
	return rc;
}

static char *string_of(json_object *e, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(e, key, &v)
		   ? ct_xstrdup(json_object_get_string(v))
		   : NULL;
}

int ct_allow_list(struct ct_approval **out, size_t *n, const char *path,
		  struct ct_err *err)
{
	json_object *root, *list;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = load(&root, path, err)) || !root)
		return rc;
	json_object_object_get_ex(root, "allow", &list);
	*n = json_object_array_length(list);
	*out = ct_xcalloc(*n ? *n : 1, sizeof(**out));
	for (size_t i = 0; i < *n; i++) {
		json_object *e = json_object_array_get_idx(list, i);
		(*out)[i].fingerprint = string_of(e, "fingerprint");
		(*out)[i].reason = string_of(e, "reason");
		(*out)[i].until = string_of(e, "until");
		(*out)[i].until_version = string_of(e, "until_version");
	}
	json_object_put(root);
	return 0;
}

void ct_allow_list_free(struct ct_approval *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].fingerprint);
		free(v[i].reason);
		free(v[i].until);
		free(v[i].until_version);
	}
	free(v);
}
