#include "contracts/diff.h"

#include "schema.h"

#include "contracts/json.h"
#include "contracts/strset.h"
#include "contracts/xalloc.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct differ {
	struct ct_changes *out;
	struct ct_contract *exp, *act;
	enum ct_direction dir, base;
	json_object *shape_dirs; /* per-shape directions, or NULL */
	struct ct_buf ptr;	 /* pointer of the element being compared */
	const char *subject;
};

/* ---- recording ---------------------------------------------------------- */

static char *dup_or_null(const char *s)
{
	return s ? ct_xstrdup(s) : NULL;
}

/* Records a change at d->ptr (+ `suffix`). The origin is looked up at
 * `origin_ptr` (default: the change's pointer) in the actual document, or
 * in the expected one when `in_expected` (what was removed lives there). */
static void add(struct differ *d, enum ct_change_kind kind, const char *suffix,
		const char *member, json_object *oldv, json_object *newv,
		int in_expected, const char *origin_ptr)
{
	struct ct_changes *out = d->out;
	struct ct_change *c;
	struct ct_origin o;
	size_t mark = d->ptr.len;

	if (suffix)
		ct_buf_adds(&d->ptr, suffix);
	out->v = ct_xgrow(out->v, &out->cap, out->n + 1, sizeof(*out->v));
	c = &out->v[out->n++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->severity = ct_rules_severity(d->dir, kind);
	c->pointer = ct_xstrdup(d->ptr.ptr);
	c->subject = ct_xstrdup(d->subject);
	c->member = dup_or_null(member);
	c->old_value = oldv ? json_object_get(oldv) : NULL;
	c->new_value = newv ? json_object_get(newv) : NULL;
	ct_contract_origin(&o, in_expected ? d->exp : d->act,
			   origin_ptr ? origin_ptr : d->ptr.ptr);
	c->origin.repo = dup_or_null(o.repo);
	c->origin.commit = dup_or_null(o.commit);
	c->origin.path = dup_or_null(o.path);
	c->origin.line = o.line;
	ct_change_fingerprint(c->fingerprint, out->contract, c);
	d->ptr.len = mark;
	d->ptr.ptr[mark] = '\0';
}

/* Adds a pointer token to d->ptr; returns the old length for pop(). */
static size_t push(struct differ *d, const char *token)
{
	size_t mark = d->ptr.len;
	ct_json_pointer_add(&d->ptr, token);
	return mark;
}

static void pop(struct differ *d, size_t mark)
{
	d->ptr.len = mark;
	d->ptr.ptr[mark] = '\0';
}

/* ---- comparisons ----------------------------------------------------------
 */

static void diff_schema(struct differ *d, json_object *e, json_object *a);

static char *value_text(json_object *v)
{
	if (json_object_is_type(v, json_type_string))
		return ct_xstrdup(json_object_get_string(v));
	return ct_xstrdup(
	    json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
}

static long index_of(json_object *arr, json_object *v)
{
	size_t n = json_object_array_length(arr);

	for (size_t i = 0; i < n; i++)
		if (ct_json_equal(json_object_array_get_idx(arr, i), v))
			return (long)i;
	return -1;
}

/* Records `kind` for each value of `from` that `other` lacks, in the order
 * of `from`, with the origin of the value itself. */
static void missing_values(struct differ *d, json_object *from,
			   json_object *shown, const struct ct_json_set *other,
			   enum ct_change_kind kind, int in_expected)
{
	size_t n = json_object_array_length(from);
	struct ct_buf op = CT_BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(from, i);
		char *m;
		if (ct_json_set_has(other, v))
			continue;
		if (shown) /* compared by key, named as written */
			v = json_object_array_get_idx(shown, i);
		m = value_text(v);
		ct_buf_reset(&op);
		ct_buf_addf(&op, "%s/%zu", d->ptr.ptr, i);
		add(d, kind, NULL, m, in_expected ? v : NULL,
		    in_expected ? NULL : v, in_expected, op.ptr);
		free(m);
	}
	ct_buf_release(&op);
}

/* Set difference of two arrays of keys: each key only in `e` is removed,
 * each only in `a` is added. A change shows the item of `e_shown` or
 * `a_shown` at the key's place (or the key itself when they are NULL). */
static void diff_keys(struct differ *d, json_object *e, json_object *a,
		      json_object *e_shown, json_object *a_shown,
		      enum ct_change_kind added, enum ct_change_kind removed)
{
	struct ct_json_set *se = ct_json_set_new(e), *sa = ct_json_set_new(a);

	missing_values(d, e, e_shown, sa, removed, 1);
	missing_values(d, a, a_shown, se, added, 0);
	ct_json_set_free(se);
	ct_json_set_free(sa);
}

static void diff_set(struct differ *d, json_object *e, json_object *a,
		     enum ct_change_kind added, enum ct_change_kind removed)
{
	diff_keys(d, e, a, NULL, NULL, added, removed);
}

static int in_required(json_object *req, const char *name)
{
	for (size_t i = 0; i < json_object_array_length(req); i++)
		if (!strcmp(json_object_get_string(
				json_object_array_get_idx(req, i)),
			    name))
			return 1;
	return 0;
}

static void diff_props(struct differ *d, const struct ct_sview *e,
		       const struct ct_sview *a)
{
	size_t base = push(d, "properties");

	json_object_object_foreach(e->props, name, es)
	{
		json_object *as;
		size_t mark = push(d, name);
		if (!json_object_object_get_ex(a->props, name, &as)) {
			add(d, CT_PROPERTY_REMOVED, NULL, name, es, NULL, 1,
			    NULL);
			pop(d, mark);
			continue;
		}
		diff_schema(d, es, as);
		if (e->required && a->required) {
			int er = in_required(e->required, name);
			int ar = in_required(a->required, name);
			if (er != ar) {
				json_object *ov = json_object_new_boolean(er);
				json_object *nv = json_object_new_boolean(ar);
				add(d,
				    ar ? CT_PROPERTY_REQUIRED
				       : CT_PROPERTY_OPTIONAL,
				    NULL, name, ov, nv, 0, NULL);
				json_object_put(ov);
				json_object_put(nv);
			}
		}
		pop(d, mark);
	}
	json_object_object_foreach(a->props, aname, as2)
	{
		size_t mark;
		if (json_object_object_get_ex(e->props, aname, NULL))
			continue;
		mark = push(d, aname);
		add(d,
		    a->required && in_required(a->required, aname)
			? CT_REQUIRED_PROPERTY_ADDED
			: CT_PROPERTY_ADDED,
		    NULL, aname, NULL, as2, 0, NULL);
		pop(d, mark);
	}
	pop(d, base);
}

static void diff_types(struct differ *d, const struct ct_sview *e,
		       const struct ct_sview *a)
{
	unsigned et = e->types & ~(unsigned)CT_T_NULL,
		 at = a->types & ~(unsigned)CT_T_NULL;
	enum ct_change_kind kind;
	json_object *ov, *nv;

	if (e->ref || a->ref) {
		if (e->ref && a->ref) {
			if (strcmp(e->ref, a->ref)) {
				ov = json_object_new_string(e->ref);
				nv = json_object_new_string(a->ref);
				add(d, CT_REF_CHANGED, NULL, NULL, ov, nv, 0,
				    NULL);
				json_object_put(ov);
				json_object_put(nv);
			}
			return;
		}
		if ((e->ref ? at : et) == 0 && !(e->ref ? a->enumv : e->enumv))
			return; /* the other side says nothing of the type */
		kind = CT_TYPE_CHANGED;
	} else {
		if (!et || !at || et == at)
			return;
		if (ct_types_cover(at, et))
			kind = CT_TYPE_WIDENED;
		else if (ct_types_cover(et, at))
			kind = CT_TYPE_NARROWED;
		else
			kind = CT_TYPE_CHANGED;
	}
	ov = ct_sview_describe(e);
	nv = ct_sview_describe(a);
	add(d, kind, NULL, NULL, ov, nv, 0, NULL);
	json_object_put(ov);
	json_object_put(nv);
}

static void diff_schema(struct differ *d, json_object *es, json_object *as)
{
	struct ct_sview e, a;
	size_t mark;

	ct_sview_of(&e, es);
	ct_sview_of(&a, as);
	if (ct_sview_known(&e) && ct_sview_known(&a)) {
		diff_types(d, &e, &a);
		if ((e.types & CT_T_NULL) != (a.types & CT_T_NULL))
			add(d,
			    a.types & CT_T_NULL ? CT_NULLABLE_ADDED
						: CT_NULLABLE_REMOVED,
			    NULL, NULL, NULL, NULL, 0, NULL);
	}
	if ((ct_sview_known(&e) && ct_sview_known(&a)) ||
	    (e.has_default && a.has_default)) {
		if (e.has_default != a.has_default ||
		    (e.has_default && !ct_json_equal(e.def, a.def)))
			add(d, CT_DEFAULT_CHANGED, "/default", NULL,
			    e.has_default ? e.def : NULL,
			    a.has_default ? a.def : NULL, !a.has_default, NULL);
	}
	if (e.enumv && a.enumv) {
		mark = push(d, "enum");
		diff_set(d, e.enumv, a.enumv, CT_ENUM_VALUE_ADDED,
			 CT_ENUM_VALUE_REMOVED);
		pop(d, mark);
	}
	if (e.items && a.items) {
		mark = push(d, "items");
		diff_schema(d, e.items, a.items);
		pop(d, mark);
	}
	if (e.addl && a.addl) {
		mark = push(d, "additionalProperties");
		diff_schema(d, e.addl, a.addl);
		pop(d, mark);
	}
	if (e.props && a.props)
		diff_props(d, &e, &a);
}

static int same_text(const struct ct_contract *E, size_t i,
		     const struct ct_contract *A, size_t j)
{
	const char *et, *at;
	size_t el, al;

	return !ct_contract_shape_text(&et, &el, E, i) &&
	       !ct_contract_shape_text(&at, &al, A, j) && el == al &&
	       !memcmp(et, at, el);
}

static int diff_shapes(struct differ *d, struct ct_err *err)
{
	struct ct_contract *E = d->exp, *A = d->act;
	size_t i = 0, j = 0, ne = ct_contract_shape_count(E),
	       na = ct_contract_shape_count(A);
	int rc = 0, same_names = ne == na;

	for (size_t k = 0; same_names && k < ne; k++)
		same_names = !strcmp(ct_contract_shape_name(E, k),
				     ct_contract_shape_name(A, k));

	while (!rc && (i < ne || j < na)) {
		const char *en = i < ne ? ct_contract_shape_name(E, i) : NULL;
		const char *an = j < na ? ct_contract_shape_name(A, j) : NULL;
		int cmp = !en ? 1 : !an ? -1 : strcmp(en, an);
		json_object *eo, *ao;

		d->subject = cmp <= 0 ? en : an;
		d->dir = d->base;
		if (d->shape_dirs) {
			json_object *v;
			if (json_object_object_get_ex(d->shape_dirs, d->subject,
						      &v))
				ct_direction_parse(&d->dir,
						   json_object_get_string(v));
		}
		ct_buf_reset(&d->ptr);
		ct_buf_adds(&d->ptr, "/$defs");
		ct_json_pointer_add(&d->ptr, d->subject);
		if (cmp < 0) {
			/* validate even what vanished: a broken pin is an error
			 */
			if (!(rc = ct_contract_shape_get(&eo, E, i, err)))
				add(d, CT_SHAPE_REMOVED, NULL, NULL, NULL, NULL,
				    1, NULL);
			ct_contract_shape_put(E, i++);
		} else if (cmp > 0) {
			if (!(rc = ct_contract_shape_get(&ao, A, j, err)))
				add(d, CT_SHAPE_ADDED, NULL, NULL, NULL, NULL,
				    0, NULL);
			ct_contract_shape_put(A, j++);
		} else if (same_text(E, i, A, j)) {
			/* the common case: unchanged text cannot differ, so
			 * parse it once; when both documents name the same
			 * shapes its $refs resolve alike and one check serves
			 * both, else check it again against `A` */
			if (!(rc = ct_contract_shape_get(&eo, E, i, err)) &&
			    !same_names)
				rc = ct_contract_shape_check_as(A, j, eo, err);
			ct_contract_shape_put(E, i++);
			j++;
		} else {
			if (!(rc = ct_contract_shape_get(&eo, E, i, err)) &&
			    !(rc = ct_contract_shape_get(&ao, A, j, err)))
				diff_schema(d, eo, ao);
			ct_contract_shape_put(E, i++);
			ct_contract_shape_put(A, j++);
		}
	}
	return rc;
}

/* ---- events, routes, lists -------------------------------------------------
 */

static void reset_ptr(struct differ *d, const char *pointer,
		      const char *subject)
{
	ct_buf_reset(&d->ptr);
	ct_buf_adds(&d->ptr, pointer);
	d->subject = subject;
}

/* Routes: "METHOD /path" as written, and what routes are matched on. A
 * route of another application or of a router nobody includes is tagged
 * with it, so it only matches a route of the same place. */
struct rkey {
	const char *method, *path, *tag;
	char *shown;
};

static struct rkey *route_keys(json_object *routes, size_t *n)
{
	struct rkey *k;

	*n = json_object_array_length(routes);
	k = ct_xcalloc(*n ? *n : 1, sizeof(*k));
	for (size_t i = 0; i < *n; i++) {
		json_object *r = json_object_array_get_idx(routes, i), *v;
		struct ct_buf b = CT_BUF_INIT;
		k[i].method = json_object_object_get_ex(r, "method", &v)
				  ? json_object_get_string(v)
				  : "";
		k[i].path = json_object_object_get_ex(r, "path", &v)
				? json_object_get_string(v)
				: "";
		k[i].tag = json_object_object_get_ex(r, "app", &v) ||
				   json_object_object_get_ex(r, "router", &v)
			       ? json_object_get_string(v)
			       : "";
		ct_buf_addf(&b, "%s %s", k[i].method, k[i].path);
		if (*k[i].tag)
			ct_buf_addf(&b, " (%s)", k[i].tag);
		k[i].shown = ct_buf_detach(&b, NULL);
	}
	return k;
}

static void free_keys(struct rkey *k, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(k[i].shown);
	free(k);
}

/* The next segment of a path: its start and length; *p moves past it. */
static size_t segment(const char **p, const char **start)
{
	size_t n;

	while (**p == '/')
		(*p)++;
	*start = *p;
	n = strcspn(*p, "/");
	*p += n;
	return n;
}

static int is_param(const char *s, size_t n)
{
	return memchr(s, '{', n) != NULL;
}

static int is_rest(const char *s, size_t n)
{
	return n > 6 && s[0] == '{' && !memcmp(s + n - 6, ":path}", 6);
}

/* How many leading segments of path a match the route b: a {param} of b
 * stands for one segment, {name:path} of b for all the rest; a {param} of
 * a (a value not known) only matches a {param} of b; trailing slashes do
 * not count. *all says whether the whole paths match. */
static size_t match_segments(const char *a, const char *b, int *all)
{
	size_t same = 0;

	for (;;) {
		const char *sa, *sb;
		size_t na = segment(&a, &sa), nb = segment(&b, &sb);
		if (!na && !nb) {
			*all = 1;
			return same;
		}
		if (na && nb && is_rest(sb, nb)) {
			*all = 1;
			return same + 1;
		}
		if (!na || !nb ||
		    (!is_param(sb, nb) && (na != nb || memcmp(sa, sb, na)))) {
			*all = 0;
			return same;
		}
		same++;
	}
}

static int method_fits(const char *a, const char *b)
{
	return !strcmp(a, b) || !strcmp(a, "ANY") || !strcmp(b, "ANY");
}

static int route_match(const struct rkey *a, const struct rkey *b)
{
	int all;

	if (!method_fits(a->method, b->method) || strcmp(a->tag, b->tag))
		return 0;
	match_segments(a->path, b->path, &all);
	return all;
}

/* Up to three routes of `in` closest to `k`: the most leading segments
 * matched, the method fitting first. */
static char *closest(const struct rkey *k, const struct rkey *in, size_t n)
{
	size_t best[3];
	long score[3] = {-1, -1, -1};
	struct ct_buf b = CT_BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		int all;
		long sc;
		if (*in[i].tag)
			continue;
		sc = (long)match_segments(k->path, in[i].path, &all) * 2 +
		     method_fits(k->method, in[i].method);
		if (sc < 2)
			continue;
		for (int j = 0; j < 3; j++) {
			if (sc > score[j]) {
				for (int m = 2; m > j; m--) {
					score[m] = score[m - 1];
					best[m] = best[m - 1];
				}
				score[j] = sc;
				best[j] = i;
				break;
			}
		}
	}
	for (int j = 0; j < 3 && score[j] >= 0; j++)
		ct_buf_addf(&b, "%s%s",
			    j ? ", " : "closest: ", in[best[j]].shown);
	if (!b.len)
		ct_buf_adds(&b, "no route shares its first segment");
	return ct_buf_detach(&b, NULL);
}

/* Each route of `from` that no route of `other` matches is `kind`, shown
 * as written, with its own origin; added ones name the closest routes. */
/* Routes by their first path segment, so that a route is tried only
 * against those that could match it: the ones whose first segment is the
 * same text, and the ones whose first segment is a {param} (which stand
 * for any), kept apart. */
struct by_first {
	const char *seg;
	size_t len, at;
};

static int cmp_first(const void *a, const void *b)
{
	const struct by_first *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int d = memcmp(x->seg, y->seg, n);

	return d ? d : (x->len > y->len) - (x->len < y->len);
}

static struct by_first first_segment(const char *path, size_t at)
{
	struct by_first f;

	f.at = at;
	f.len = segment(&path, &f.seg);
	return f;
}

static void unmatched_routes(struct differ *d, const struct rkey *from,
			     size_t nfrom, const struct rkey *other,
			     size_t nother, enum ct_change_kind kind,
			     int in_expected)
{
	struct ct_buf op = CT_BUF_INIT;
	struct ct_strset same = CT_STRSET_INIT;
	struct by_first *lit = ct_xcalloc(nother ? nother : 1, sizeof(*lit));
	size_t *any = ct_xcalloc(nother ? nother : 1, sizeof(*any));
	size_t nlit = 0, nany = 0;

	for (size_t j = 0; j < nother; j++) {
		struct by_first f = first_segment(other[j].path, j);
		if (f.len && is_param(f.seg, f.len))
			any[nany++] = j;
		else
			lit[nlit++] = f;
	}
	qsort(lit, nlit, sizeof(*lit), cmp_first);

	/* most routes are written alike on both sides: those match at once,
	 * the others are tried against every route */
	for (size_t j = 0; j < nother; j++) {
		ct_buf_reset(&op);
		ct_buf_addf(&op, "%s\x1f%s\x1f%s", other[j].method,
			    other[j].path, other[j].tag);
		ct_strset_add(&same, op.ptr);
	}
	for (size_t i = 0; i < nfrom; i++) {
		json_object *v;
		size_t j;
		ct_buf_reset(&op);
		ct_buf_addf(&op, "%s\x1f%s\x1f%s", from[i].method, from[i].path,
			    from[i].tag);
		if (ct_strset_has(&same, op.ptr))
			continue;
		{
			struct by_first key = first_segment(from[i].path, 0),
					*hit;
			int found = 0;
			/* the routes whose first segment is this one's text */
			hit = nlit ? bsearch(&key, lit, nlit, sizeof(*lit),
					     cmp_first)
				   : NULL;
			if (hit) {
				while (hit > lit && !cmp_first(hit - 1, &key))
					hit--;
				for (; !found && hit < lit + nlit &&
				       !cmp_first(hit, &key);
				     hit++)
					found = route_match(&from[i],
							    &other[hit->at]);
			}
			for (j = 0; !found && j < nany; j++)
				found = route_match(&from[i], &other[any[j]]);
			if (found)
				continue;
		}
		v = json_object_new_string(from[i].shown);
		ct_buf_reset(&op);
		ct_buf_addf(&op, "%s/%zu", d->ptr.ptr, i);
		add(d, kind, NULL, from[i].shown, in_expected ? v : NULL,
		    in_expected ? NULL : v, in_expected, op.ptr);
		if (!in_expected)
			d->out->v[d->out->n - 1].note =
			    closest(&from[i], other, nother);
		json_object_put(v);
	}
	ct_buf_release(&op);
	ct_strset_release(&same);
	free(lit);
	free(any);
}

static void diff_routes(struct differ *d, json_object *e, json_object *a)
{
	size_t ne, na;
	struct rkey *ek = route_keys(e, &ne), *ak = route_keys(a, &na);

	unmatched_routes(d, ek, ne, ak, na, CT_ROUTE_REMOVED, 1);
	unmatched_routes(d, ak, na, ek, ne, CT_ROUTE_ADDED, 0);
	free_keys(ek, ne);
	free_keys(ak, na);
}

/* Ordered list: items kept in the longest common subsequence stay, other
 * common items moved, the rest were added or removed. */
static void diff_list(struct differ *d, json_object *e, json_object *a)
{
	size_t ne = json_object_array_length(e),
	       na = json_object_array_length(a);
	size_t *lcs = ct_xcalloc((ne + 1) * (na + 1), sizeof(*lcs));
	unsigned char *kept = ct_xcalloc(ne + 1, 1);

	diff_set(d, e, a, CT_LIST_ITEM_ADDED, CT_LIST_ITEM_REMOVED);
#define L(i, j) lcs[(i) * (na + 1) + (j)]
	for (size_t i = ne; i-- > 0;)
		for (size_t j = na; j-- > 0;)
			L(i, j) = ct_json_equal(json_object_array_get_idx(e, i),
						json_object_array_get_idx(a, j))
				      ? L(i + 1, j + 1) + 1
				  : L(i + 1, j) > L(i, j + 1) ? L(i + 1, j)
							      : L(i, j + 1);
	for (size_t i = 0, j = 0; i < ne && j < na;) {
		if (ct_json_equal(json_object_array_get_idx(e, i),
				  json_object_array_get_idx(a, j)))
			kept[i++] = 1, j++;
		else if (L(i + 1, j) >= L(i, j + 1))
			i++;
		else
			j++;
	}
#undef L
	for (size_t i = 0; i < ne; i++) {
		json_object *v = json_object_array_get_idx(e, i);
		long at = index_of(a, v);
		if (!kept[i] && at >= 0) {
			char *m = value_text(v);
			json_object *ov = json_object_new_int64((int64_t)i);
			json_object *nv = json_object_new_int64((int64_t)at);
			struct ct_buf op = CT_BUF_INIT;
			ct_buf_addf(&op, "%s/%ld", d->ptr.ptr, at);
			add(d, CT_LIST_ITEM_MOVED, NULL, m, ov, nv, 0, op.ptr);
			ct_buf_release(&op);
			json_object_put(ov);
			json_object_put(nv);
			free(m);
		}
	}
	free(lcs);
	free(kept);
}

static void diff_lists(struct differ *d)
{
	json_object *e = ct_contract_member(d->exp, "x-lists");
	json_object *a = ct_contract_member(d->act, "x-lists");

	if (!e || !a)
		return;
	json_object_object_foreach(e, name, el)
	{
		json_object *al;
		reset_ptr(d, "/x-lists", name);
		push(d, name);
		if (!json_object_object_get_ex(a, name, &al))
			add(d, CT_LIST_REMOVED, NULL, NULL, el, NULL, 1, NULL);
		else
			diff_list(d, el, al);
	}
	json_object_object_foreach(a, aname, al2)
	{
		if (json_object_object_get_ex(e, aname, NULL))
			continue;
		reset_ptr(d, "/x-lists", aname);
		push(d, aname);
		add(d, CT_LIST_ADDED, NULL, NULL, NULL, al2, 0, NULL);
	}
}

int ct_diff(struct ct_changes *out, struct ct_contract *expected,
	    struct ct_contract *actual, enum ct_direction dir,
	    struct ct_err *err)
{
	return ct_diff_ex(out, expected, actual, dir, NULL, err);
}

int ct_diff_ex(struct ct_changes *out, struct ct_contract *expected,
	       struct ct_contract *actual, enum ct_direction dir,
	       json_object *shape_dirs, struct ct_err *err)
{
	return ct_diff_parts(out, expected, actual, dir, shape_dirs,
			     CT_DIFF_ALL, err);
}

int ct_diff_parts(struct ct_changes *out, struct ct_contract *expected,
		  struct ct_contract *actual, enum ct_direction dir,
		  json_object *shape_dirs, unsigned parts, struct ct_err *err)
{
	struct differ d;
	json_object *e, *a;
	const char *name = ct_contract_name(expected);
	int rc;

	memset(&d, 0, sizeof(d));
	d.out = out;
	d.exp = expected;
	d.act = actual;
	d.dir = d.base = dir;
	d.shape_dirs = shape_dirs;
	d.ptr.ptr = ct_buf_empty;
	free(out->contract);
	free(out->expected);
	free(out->actual);
	out->contract = ct_xstrdup(name ? name : "contract");
	out->expected = dup_or_null(ct_contract_path(expected));
	out->actual = dup_or_null(ct_contract_path(actual));
	out->direction = dir;

	rc = parts & CT_DIFF_SHAPES ? diff_shapes(&d, err) : 0;
	d.dir = d.base;
	if (!rc && (parts & CT_DIFF_EVENTS) &&
	    (e = ct_contract_member(expected, "x-events")) &&
	    (a = ct_contract_member(actual, "x-events"))) {
		reset_ptr(&d, "/x-events", "events");
		diff_set(&d, e, a, CT_EVENT_ADDED, CT_EVENT_REMOVED);
	}
	if (!rc && (parts & CT_DIFF_ROUTES) &&
	    (e = ct_contract_member(expected, "x-routes")) &&
	    (a = ct_contract_member(actual, "x-routes"))) {
		reset_ptr(&d, "/x-routes", "routes");
		diff_routes(&d, e, a);
	}
	if (!rc && (parts & CT_DIFF_LISTS))
		diff_lists(&d);
	ct_buf_release(&d.ptr);
	return rc;
}

int ct_changes_max_severity(const struct ct_changes *changes)
{
	int max = -1;

	for (size_t i = 0; i < changes->n; i++)
		if ((int)changes->v[i].severity > max)
			max = (int)changes->v[i].severity;
	return max;
}

void ct_change_release(struct ct_change *c)
{
	free(c->pointer);
	free(c->subject);
	free(c->member);
	free(c->note);
	json_object_put(c->old_value);
	json_object_put(c->new_value);
	free((char *)c->origin.repo);
	free((char *)c->origin.commit);
	free((char *)c->origin.path);
	free((char *)c->other.repo);
	free((char *)c->other.commit);
	free((char *)c->other.path);
}

void ct_change_copy(struct ct_change *to, const struct ct_change *from)
{
	*to = *from;
	to->pointer = dup_or_null(from->pointer);
	to->subject = dup_or_null(from->subject);
	to->member = dup_or_null(from->member);
	to->note = dup_or_null(from->note);
	to->old_value = json_object_get(from->old_value);
	to->new_value = json_object_get(from->new_value);
	to->origin.repo = dup_or_null(from->origin.repo);
	to->origin.commit = dup_or_null(from->origin.commit);
	to->origin.path = dup_or_null(from->origin.path);
	to->other.repo = dup_or_null(from->other.repo);
	to->other.commit = dup_or_null(from->other.commit);
	to->other.path = dup_or_null(from->other.path);
}

void ct_changes_release(struct ct_changes *changes)
{
	for (size_t i = 0; i < changes->n; i++)
		ct_change_release(&changes->v[i]);
	free(changes->v);
	ct_errs_release(&changes->errors);
	free(changes->contract);
	free(changes->expected);
	free(changes->actual);
	memset(changes, 0, sizeof(*changes));
}

static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return (h ^ 0xff) * 0x100000001b3ULL; /* field separator */
}

void ct_change_fingerprint(char out[17], const char *contract,
			   const struct ct_change *c)
{
	struct ct_buf b = CT_BUF_INIT;
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *kind = ct_kind_name(c->kind);

	h = fnv(h, contract ? contract : "", contract ? strlen(contract) : 0);
	h = fnv(h, kind, strlen(kind));
	h = fnv(h, c->pointer, strlen(c->pointer));
	h = fnv(h, c->member ? c->member : "",
		c->member ? strlen(c->member) : 0);
	/* a compatibility finding is the writer's value or field the reader
	 * cannot take: what else the reader takes is no part of it */
	if (c->old_value && c->kind < CT_VALUE_REFUSED)
		ct_json_write(&b, c->old_value, 0);
	h = fnv(h, b.ptr, b.len);
	ct_buf_reset(&b);
	if (c->new_value)
		ct_json_write(&b, c->new_value, 0);
	h = fnv(h, b.ptr, b.len);
	ct_buf_release(&b);
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}
