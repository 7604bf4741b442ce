/* compat: whether a reader's schema accepts every document a writer's
 * schema allows (see compat.h for the rules). */
#include "contracts/compat.h"

#include "contracts/json.h"
#include "contracts/strset.h"
#include "contracts/xalloc.h"

#include "schema.h"

#include <json-c/json.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

struct checker {
	struct ct_changes *out;
	struct ct_contract *w, *r;
	struct ct_buf wptr, rptr; /* where we are in each document */
	const char *subject;
	struct ct_strset pairs; /* "WRITER\nREADER" of each pair compared */
	struct ct_err *err;
	int rc;
	unsigned depth;
	json_object *shape_dirs; /* shapes the reader mirrors as supersets */
	int superset;		 /* the pair being compared is one */
};

/* ---- recording ------------------------------------------------------------
 */

static void copy_origin(struct ct_origin *to, const struct ct_contract *doc,
			const char *pointer)
{
	struct ct_origin o;

	ct_contract_origin(&o, doc, pointer);
	to->repo = o.repo ? ct_xstrdup(o.repo) : NULL;
	to->commit = o.commit ? ct_xstrdup(o.commit) : NULL;
	to->path = o.path ? ct_xstrdup(o.path) : NULL;
	to->line = o.line;
}

static size_t push(struct ct_buf *b, const char *token)
{
	size_t mark = b->len;
	ct_json_pointer_add(b, token);
	return mark;
}

static void pop(struct ct_buf *b, size_t mark)
{
	b->len = mark;
	b->ptr[mark] = '\0';
}

/* A finding at the current place, the writer's value `witness` refused by
 * a reader that takes `takes` (both may be NULL; borrowed). The origin is
 * looked up at the place plus `at` (an enum value's or an event's index),
 * which stays out of the pointer, so the finding keeps its fingerprint
 * when unrelated values come and go. */
static void add_at(struct checker *k, enum ct_change_kind kind,
		   const char *member, json_object *takes, json_object *witness,
		   int from_reader, const char *at)
{
	struct ct_changes *out = k->out;
	struct ct_buf *own = from_reader ? &k->rptr : &k->wptr;
	size_t mark = own->len;
	struct ct_change *c;

	out->v = ct_xgrow(out->v, &out->cap, out->n + 1, sizeof(*out->v));
	c = &out->v[out->n++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->severity = ct_rules_severity(CT_DIR_PROVIDER_TO_CONSUMER, kind);
	c->pointer = ct_xstrdup(own->ptr);
	c->subject = ct_xstrdup(k->subject);
	c->member = member ? ct_xstrdup(member) : NULL;
	c->old_value = takes ? json_object_get(takes) : NULL;
	c->new_value = witness ? json_object_get(witness) : NULL;
	if (at)
		push(own, at);
	copy_origin(&c->origin, from_reader ? k->r : k->w, own->ptr);
	if (!from_reader)
		copy_origin(&c->other, k->r, k->rptr.ptr);
	pop(own, mark);
	ct_change_fingerprint(c->fingerprint, out->contract, c);
}

static void add(struct checker *k, enum ct_change_kind kind, const char *member,
		json_object *takes, json_object *witness, int from_reader)
{
	add_at(k, kind, member, takes, witness, from_reader, NULL);
}

/* ---- values ----------------------------------------------------------------
 */

/* The type bit of a JSON value (an integral number is an integer). */
static unsigned value_type(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return CT_T_NULL;
	case json_type_boolean:
		return CT_T_BOOLEAN;
	case json_type_int:
		return CT_T_INTEGER;
	case json_type_double: {
		double d = json_object_get_double(v);
		return d == floor(d) && isfinite(d) ? CT_T_INTEGER
						    : CT_T_NUMBER;
	}
	case json_type_string:
		return CT_T_STRING;
	case json_type_object:
		return CT_T_OBJECT;
	case json_type_array:
		return CT_T_ARRAY;
	}
	return 0;
}

static int in_enum(json_object *enumv, json_object *v)
{
	for (size_t i = 0; i < json_object_array_length(enumv); i++)
		if (ct_json_equal(json_object_array_get_idx(enumv, i), v))
			return 1;
	return 0;
}

/* A value of type `bit` outside `enumv` (may be NULL): the witness of a
 * type the reader does not take. */
static json_object *sample(unsigned bit, json_object *enumv)
{
	switch (bit) {
	case CT_T_STRING:
		for (int n = 0;; n++) {
			char s[32];
			json_object *v;
			if (n)
				snprintf(s, sizeof(s), "value-%d", n);
			else
				s[0] = '\0';
			v = json_object_new_string(s);
			if (!enumv || !in_enum(enumv, v))
				return v;
			json_object_put(v);
		}
	case CT_T_INTEGER:
		for (int64_t n = 0;; n++) {
			json_object *v = json_object_new_int64(n);
			if (!enumv || !in_enum(enumv, v))
				return v;
			json_object_put(v);
		}
	case CT_T_NUMBER:
		return json_object_new_double(0.5);
	case CT_T_BOOLEAN: {
		json_object *t = json_object_new_boolean(1);
		if (enumv && in_enum(enumv, t)) {
			json_object_put(t);
			return json_object_new_boolean(0);
		}
		return t;
	}
	case CT_T_OBJECT:
		return json_object_new_object();
	case CT_T_ARRAY:
		return json_object_new_array();
	default:
		return NULL;
	}
}

/* ---- shapes ----------------------------------------------------------------
 */

static json_object *shape(struct checker *k, struct ct_contract *doc,
			  const char *name)
{
	long i = ct_contract_shape_find(doc, name);
	json_object *o = NULL;

	if (i < 0)
		return NULL;
	if (!k->rc && ct_contract_shape_get(&o, doc, (size_t)i, k->err))
		k->rc = k->err->code ? k->err->code : CT_EINVAL;
	return k->rc ? NULL : o;
}

static const char *ref_name(const char *ref)
{
	return ref && !strncmp(ref, "#/$defs/", 8) ? ref + 8 : NULL;
}

static void check(struct checker *k, json_object *ws, json_object *rs);

/* Compares shape `wn` of the writer with `rn` of the reader, once: at
 * their own places, whatever led to them. */
static void check_pair(struct checker *k, const char *wn, const char *rn)
{
	struct ct_buf key = CT_BUF_INIT;
	json_object *ws, *rs;
	const char *subject = k->subject;
	char *wsave, *rsave;

	ct_buf_addf(&key, "%s\n%s", wn, rn);
	if (!ct_strset_add(&k->pairs, key.ptr)) {
		ct_buf_release(&key);
		return;
	}
	ct_buf_release(&key);
	ws = shape(k, k->w, wn);
	rs = shape(k, k->r, rn);
	if (!ws || !rs)
		return;
	wsave = ct_xstrdup(k->wptr.ptr);
	rsave = ct_xstrdup(k->rptr.ptr);
	ct_buf_reset(&k->wptr);
	ct_buf_reset(&k->rptr);
	ct_buf_adds(&k->wptr, "/$defs");
	ct_buf_adds(&k->rptr, "/$defs");
	push(&k->wptr, wn);
	push(&k->rptr, rn);
	k->subject = wn;
	{
		int outer = k->superset;
		json_object *d;
		k->superset =
		    k->shape_dirs &&
		    json_object_object_get_ex(k->shape_dirs, wn, &d) &&
		    !strcmp(json_object_get_string(d), "superset");
		check(k, ws, rs);
		k->superset = outer;
	}
	k->subject = subject;
	ct_buf_reset(&k->wptr);
	ct_buf_reset(&k->rptr);
	ct_buf_adds(&k->wptr, wsave);
	ct_buf_adds(&k->rptr, rsave);
	free(wsave);
	free(rsave);
}

static int required(json_object *req, const char *name)
{
	for (size_t i = 0; req && i < json_object_array_length(req); i++)
		if (!strcmp(json_object_get_string(
				json_object_array_get_idx(req, i)),
			    name))
			return 1;
	return 0;
}

static void check_props(struct checker *k, const struct ct_sview *w,
			const struct ct_sview *r)
{
	size_t wbase = push(&k->wptr, "properties"),
	       rbase = push(&k->rptr, "properties");

	/* what the reader insists on */
	json_object_object_foreach(r->props, rname, rs)
	{
		size_t wm, rm;
		(void)rs;
		if (!required(r->required, rname) ||
		    (json_object_object_get_ex(w->props, rname, NULL) &&
		     required(w->required, rname)))
			continue;
		wm = push(&k->wptr, rname);
		rm = push(&k->rptr, rname);
		add(k, CT_FIELD_MAY_BE_MISSING, rname, NULL, NULL, 0);
		pop(&k->wptr, wm);
		pop(&k->rptr, rm);
	}
	/* what the writer sends */
	json_object_object_foreach(w->props, wname, ws)
	{
		json_object *rs2;
		size_t wm = push(&k->wptr, wname);

		if (json_object_object_get_ex(r->props, wname, &rs2)) {
			size_t rm = push(&k->rptr, wname);
			check(k, ws, rs2);
			pop(&k->rptr, rm);
		} else if (r->addl) {
			/* the reader's map of other keys takes it */
			pop(&k->rptr, rbase);
			push(&k->rptr, "additionalProperties");
			check(k, ws, r->addl);
			pop(&k->rptr, rbase);
			push(&k->rptr, "properties");
		} else {
			add(k,
			    r->closed ? CT_FIELD_FORBIDDEN : CT_FIELD_NOT_READ,
			    wname, NULL, NULL, 0);
		}
		pop(&k->wptr, wm);
	}
	pop(&k->wptr, wbase);
	pop(&k->rptr, rbase);
}

/* The smallest document schema `s` of the writer allows, of type `bit`
 * (0: its first type): the required properties, each at its smallest, so a
 * witness is a value the writer may really send. */
static json_object *smallest(struct checker *k, json_object *s, unsigned bit,
			     unsigned depth)
{
	struct ct_sview v;
	json_object *o;

	ct_sview_of(&v, s);
	if (depth > 16)
		return NULL;
	if (v.ref && !(bit & ~(unsigned)CT_T_NULL && v.types & bit)) {
		json_object *target = shape(k, k->w, ref_name(v.ref));
		return target ? smallest(k, target, bit == CT_T_NULL ? 0 : bit,
					 depth + 1)
			      : NULL;
	}
	if (v.enumv && json_object_array_length(v.enumv))
		return json_object_get(json_object_array_get_idx(v.enumv, 0));
	if (!bit)
		for (bit = 1; bit < CT_T_NULL && !(v.types & bit); bit <<= 1)
			;
	if (bit != CT_T_OBJECT)
		return sample(bit, NULL);
	o = json_object_new_object();
	for (size_t i = 0;
	     v.props && v.required && i < json_object_array_length(v.required);
	     i++) {
		const char *name = json_object_get_string(
		    json_object_array_get_idx(v.required, i));
		json_object *ps;
		if (json_object_object_get_ex(v.props, name, &ps))
			json_object_object_add(o, name,
					       smallest(k, ps, 0, depth + 1));
	}
	return o;
}

static void check_values(struct checker *k, json_object *ws,
			 const struct ct_sview *w, const struct ct_sview *r)
{
	unsigned wt = w->types, rt = r->types;
	json_object *takes;

	if (!rt && !r->enumv)
		return; /* the reader says nothing of the values: takes all */
	/* what the reader takes: its values, or its types */
	takes = r->enumv ? json_object_get(r->enumv) : ct_sview_describe(r);
	if (r->enumv && !rt)
		rt = ~0u; /* only the enum constrains */
	if (w->enumv) {
		for (size_t i = 0; i < json_object_array_length(w->enumv);
		     i++) {
			json_object *v = json_object_array_get_idx(w->enumv, i);
			int ok;
			if (w->types &&
			    !ct_types_cover(w->types, value_type(v)))
				continue; /* its own type refuses it: never sent
					   */
			ok = ct_types_cover(rt, value_type(v)) &&
			     (!r->enumv || in_enum(r->enumv, v));
			if (!ok) {
				char *m = ct_xstrdup(
				    json_object_is_type(v, json_type_string)
					? json_object_get_string(v)
					: json_object_to_json_string(v));
				size_t mark = push(&k->wptr, "enum");
				char at[32];
				snprintf(at, sizeof(at), "%zu", i);
				add_at(k, CT_VALUE_REFUSED, m, takes, v, 0, at);
				pop(&k->wptr, mark);
				free(m);
			}
		}
		if ((w->types & CT_T_NULL) && !(rt & CT_T_NULL) &&
		    !in_enum(w->enumv, NULL))
			add(k, CT_VALUE_REFUSED, "null", takes, NULL, 0);
	} else {
		/* every value of each writer type must be taken */
		for (unsigned bit = 1; bit <= CT_T_NULL; bit <<= 1) {
			json_object *v;
			if (!(wt & bit))
				continue;
			if (ct_types_cover(rt, bit) &&
			    (!r->enumv || bit == CT_T_NULL))
				continue;
			if (bit == CT_T_NULL && r->enumv &&
			    in_enum(r->enumv, NULL))
				continue;
			v = bit == CT_T_OBJECT ? smallest(k, ws, bit, 0)
					       : sample(bit, r->enumv);
			add(k, CT_VALUE_REFUSED, ct_type_name(bit), takes, v,
			    0);
			json_object_put(v);
		}
	}
	if (r->enumv && w->enumv && !k->superset) {
		/* a mirror kept as a superset knows more by design */
		size_t mark = push(&k->rptr, "enum");
		for (size_t i = 0; i < json_object_array_length(r->enumv);
		     i++) {
			json_object *v = json_object_array_get_idx(r->enumv, i);
			if (!in_enum(w->enumv, v)) {
				char *m = ct_xstrdup(
				    json_object_is_type(v, json_type_string)
					? json_object_get_string(v)
					: json_object_to_json_string(v));
				char at[32];
				snprintf(at, sizeof(at), "%zu", i);
				add_at(k, CT_VALUE_NOT_SENT, m, NULL, v, 1, at);
				free(m);
			}
		}
		pop(&k->rptr, mark);
	}
	json_object_put(takes);
}

/* A copy of schema s without its null: its types but "null", and no anyOf
 * (the $ref beside the null is what the caller follows). The caller owns
 * it. */
static json_object *without_null(json_object *s, const struct ct_sview *v)
{
	json_object *copy = json_object_new_object();

	json_object_object_foreach(s, key, val)
	{
		if (strcmp(key, "anyOf") && strcmp(key, "type"))
			json_object_object_add(copy, key, json_object_get(val));
	}
	if (v->types & ~(unsigned)CT_T_NULL) {
		json_object *t = json_object_new_array();
		for (unsigned b = 1; b < CT_T_NULL; b <<= 1)
			if (v->types & b)
				json_object_array_add(
				    t, json_object_new_string(ct_type_name(b)));
		json_object_object_add(copy, "type", t);
	}
	return copy;
}

static void check(struct checker *k, json_object *ws, json_object *rs)
{
	struct ct_sview w, r;
	const char *wn, *rn;

	if (k->rc || k->depth > MAX_DEPTH)
		return;
	k->depth++;
	ct_sview_of(&w, ws);
	ct_sview_of(&r, rs);
	wn = ref_name(w.ref);
	rn = ref_name(r.ref);
	if (wn || rn) {
		/* null beside a $ref ("X | None") is judged here; the shapes
		 * themselves at their places, or inline against a plain
		 * schema */
		if ((w.types & CT_T_NULL) && (r.types || r.ref) &&
		    !(r.types & CT_T_NULL)) {
			json_object *takes = ct_sview_describe(&r);
			add(k, CT_VALUE_REFUSED, "null", takes, NULL, 0);
			json_object_put(takes);
		}
		if (wn && rn) {
			check_pair(k, wn, rn);
		} else if (wn) {
			/* the writer's shape against the reader's plain
			 * schema, whose null was judged above */
			json_object *target = shape(k, k->w, wn);
			if (target && ct_sview_known(&r)) {
				json_object *plain = without_null(rs, &r);
				check(k, target, plain);
				json_object_put(plain);
			}
		} else {
			json_object *target = shape(k, k->r, rn);
			if (target && ct_sview_known(&w)) {
				json_object *plain = without_null(ws, &w);
				check(k, plain, target);
				json_object_put(plain);
			}
		}
		k->depth--;
		return;
	}
	if (!ct_sview_known(&w) && !w.props) {
		k->depth--;
		return; /* the writer's values are unknown: nothing to say */
	}
	check_values(k, ws, &w, &r);
	if (w.props && r.props) {
		check_props(k, &w, &r);
	} else if (w.props && r.addl) {
		size_t rm = push(&k->rptr, "additionalProperties");
		json_object_object_foreach(w.props, name, ps)
		{
			size_t wm = push(&k->wptr, "properties");
			push(&k->wptr, name);
			check(k, ps, r.addl);
			pop(&k->wptr, wm);
		}
		pop(&k->rptr, rm);
	} else if (w.props && r.closed) {
		json_object_object_foreach(w.props, name, ps)
		{
			size_t wm = push(&k->wptr, "properties");
			(void)ps;
			push(&k->wptr, name);
			add(k, CT_FIELD_FORBIDDEN, name, NULL, NULL, 0);
			pop(&k->wptr, wm);
		}
	}
	if ((w.props || (w.types & CT_T_OBJECT)) && r.closed && !w.closed &&
	    (w.addl || (w.props && json_object_object_get_ex(
				       ws, "additionalProperties", NULL))))
		add(k, CT_KEYS_FORBIDDEN, NULL, NULL, NULL, 0);
	if (w.addl && r.addl) {
		size_t wm = push(&k->wptr, "additionalProperties"),
		       rm = push(&k->rptr, "additionalProperties");
		check(k, w.addl, r.addl);
		pop(&k->wptr, wm);
		pop(&k->rptr, rm);
	}
	if (w.items && r.items) {
		size_t wm = push(&k->wptr, "items"),
		       rm = push(&k->rptr, "items");
		check(k, w.items, r.items);
		pop(&k->wptr, wm);
		pop(&k->rptr, rm);
	}
	k->depth--;
}

/* ---- pairing ---------------------------------------------------------------
 */

/* The constant `event` a payload carries: the default of its "event"
 * property when that is a string, or its one-value enum. Borrowed. */
static const char *discriminator(struct checker *k, struct ct_contract *doc,
				 const char *name)
{
	json_object *s = shape(k, doc, name), *props, *ev, *v;

	if (!s || !json_object_object_get_ex(s, "properties", &props) ||
	    !json_object_object_get_ex(props, "event", &ev))
		return NULL;
	if (json_object_object_get_ex(ev, "default", &v) &&
	    json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	if (json_object_object_get_ex(ev, "enum", &v) &&
	    json_object_array_length(v) == 1 &&
	    json_object_is_type(json_object_array_get_idx(v, 0),
				json_type_string))
		return json_object_get_string(json_object_array_get_idx(v, 0));
	return NULL;
}

/* Adds the shape names of every "$ref" inside schema s. */
static void refs_in(struct ct_strset *out, json_object *s, unsigned depth)
{
	if (depth > MAX_DEPTH)
		return;
	if (json_object_is_type(s, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(s); i++)
			refs_in(out, json_object_array_get_idx(s, i),
				depth + 1);
		return;
	}
	if (!json_object_is_type(s, json_type_object))
		return;
	json_object_object_foreach(s, key, val)
	{
		const char *n;
		if (!strcmp(key, "$ref") &&
		    (n = ref_name(json_object_get_string(val))))
			ct_strset_add(out, n);
		else
			refs_in(out, val, depth + 1);
	}
}

/* The names of the shapes any shape of doc refers to: nested shapes,
 * checked through what refers to them. */
static void referred_names(struct checker *k, struct ct_strset *out,
			   struct ct_contract *doc)
{
	size_t n = ct_contract_shape_count(doc);

	for (size_t i = 0; !k->rc && i < n; i++)
		refs_in(out, shape(k, doc, ct_contract_shape_name(doc, i)), 0);
}

static void check_events(struct checker *k)
{
	json_object *we = ct_contract_member(k->w, "x-events");
	json_object *re = ct_contract_member(k->r, "x-events");

	if (!we || !re)
		return;
	k->subject = "events";
	for (int side = 0; side < 2; side++) {
		json_object *from = side ? re : we, *other = side ? we : re;
		for (size_t i = 0; i < json_object_array_length(from); i++) {
			json_object *v = json_object_array_get_idx(from, i);
			char idx[32];
			if (in_enum(other, v))
				continue;
			/* the event's own origin; the finding's place stays
			 * "/x-events" whatever the order */
			snprintf(idx, sizeof(idx), "%zu", i);
			ct_buf_reset(&k->wptr);
			ct_buf_reset(&k->rptr);
			ct_buf_adds(&k->wptr, "/x-events");
			ct_buf_adds(&k->rptr, "/x-events");
			add_at(k, side ? CT_EVENT_NOT_SENT : CT_EVENT_NOT_READ,
			       json_object_get_string(v), NULL, v, side, idx);
		}
	}
}

struct evref {
	const char *event;
	size_t index;
};

static int cmp_evref(const void *a, const void *b)
{
	const struct evref *x = a, *y = b;
	int d = strcmp(x->event, y->event);

	return d ? d : (x->index > y->index) - (x->index < y->index);
}

static int cmp_event(const void *a, const void *b)
{
	return strcmp(((const struct evref *)a)->event,
		      ((const struct evref *)b)->event);
}

static int check_shapes(struct checker *k)
{
	size_t nw = ct_contract_shape_count(k->w),
	       nr = ct_contract_shape_count(k->r);
	char *rpaired = ct_xcalloc(nr ? nr : 1, 1);
	char *wpaired = ct_xcalloc(nw ? nw : 1, 1);
	struct ct_strset wrefs = {NULL, 0, 0}, rrefs = {NULL, 0, 0};

	/* by name, then by the event discriminator */
	for (size_t i = 0; i < nw; i++) {
		long j = ct_contract_shape_find(
		    k->r, ct_contract_shape_name(k->w, i));
		if (j >= 0) {
			wpaired[i] = rpaired[j] = 1;
			check_pair(k, ct_contract_shape_name(k->w, i),
				   ct_contract_shape_name(k->r, (size_t)j));
		}
	}
	{
		/* the reader's unpaired shapes by their event, sorted, so each
		 * writer shape finds its own in O(log n) */
		struct evref *evs = ct_xcalloc(nr ? nr : 1, sizeof(*evs));
		size_t nevs = 0;
		for (size_t j = 0; !k->rc && j < nr; j++) {
			const char *rev;
			if (rpaired[j] ||
			    !(rev = discriminator(
				  k, k->r, ct_contract_shape_name(k->r, j))))
				continue;
			evs[nevs].event = rev;
			evs[nevs++].index = j;
		}
		qsort(evs, nevs, sizeof(*evs), cmp_evref);
		for (size_t i = 0; !k->rc && i < nw; i++) {
			struct evref key, *hit;
			if (wpaired[i] ||
			    !(key.event = discriminator(
				  k, k->w, ct_contract_shape_name(k->w, i))))
				continue;
			key.index = 0;
			hit = nevs ? bsearch(&key, evs, nevs, sizeof(*evs),
					     cmp_event)
				   : NULL;
			/* the first of equal events not yet taken */
			while (hit && hit > evs &&
			       !strcmp(hit[-1].event, key.event))
				hit--;
			while (hit && hit < evs + nevs &&
			       !strcmp(hit->event, key.event) &&
			       rpaired[hit->index])
				hit++;
			if (!hit || hit == evs + nevs ||
			    strcmp(hit->event, key.event))
				continue;
			wpaired[i] = rpaired[hit->index] = 1;
			check_pair(k, ct_contract_shape_name(k->w, i),
				   ct_contract_shape_name(k->r, hit->index));
		}
		free(evs);
	}
	/* what only one side has, unless another shape refers to it */
	referred_names(k, &wrefs, k->w);
	referred_names(k, &rrefs, k->r);
	for (size_t i = 0; !k->rc && i < nw; i++) {
		const char *name = ct_contract_shape_name(k->w, i), *ev;
		if (wpaired[i] || ct_strset_has(&wrefs, name))
			continue;
		ev = discriminator(k, k->w, name);
		ct_buf_reset(&k->wptr);
		ct_buf_adds(&k->wptr, "/$defs");
		push(&k->wptr, name);
		ct_buf_reset(&k->rptr);
		k->subject = name;
		add(k, CT_SHAPE_NOT_READ, ev, NULL, NULL, 0);
	}
	for (size_t j = 0; !k->rc && j < nr; j++) {
		const char *name = ct_contract_shape_name(k->r, j);
		if (rpaired[j] || ct_strset_has(&rrefs, name))
			continue;
		ct_buf_reset(&k->rptr);
		ct_buf_adds(&k->rptr, "/$defs");
		push(&k->rptr, name);
		k->subject = name;
		add(k, CT_SHAPE_NOT_WRITTEN, discriminator(k, k->r, name), NULL,
		    NULL, 1);
	}
	free(rpaired);
	free(wpaired);
	ct_strset_release(&wrefs);
	ct_strset_release(&rrefs);
	return k->rc;
}

int ct_compat(struct ct_changes *out, struct ct_contract *writer,
	      struct ct_contract *reader, enum ct_direction dir,
	      json_object *shape_dirs, struct ct_err *err)
{
	struct checker k;
	int rc;

	/* lists and routes as a diff says them; it also names the documents */
	if ((rc = ct_diff_parts(out, writer, reader, dir, NULL,
				CT_DIFF_ROUTES | CT_DIFF_LISTS, err)))
		return rc;
	out->compat = 1;
	memset(&k, 0, sizeof(k));
	k.out = out;
	k.w = writer;
	k.r = reader;
	k.err = err;
	k.shape_dirs = shape_dirs;
	k.wptr.ptr = k.rptr.ptr = ct_buf_empty;
	rc = check_shapes(&k);
	if (!rc)
		check_events(&k);
	ct_buf_release(&k.wptr);
	ct_buf_release(&k.rptr);
	ct_strset_release(&k.pairs);
	return rc;
}

int ct_compat_ok(const struct ct_changes *changes)
{
	return ct_changes_max_severity(changes) < (int)CT_SEV_WARNING;
}
