#include "contracts/validate.h"

#include "contracts/buf.h"
#include "contracts/json.h"
#include "contracts/xalloc.h"

#include <json-c/json.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A JSON pointer kept as a chain of stack frames, so the walk over a valid
 * instance allocates nothing; it becomes text only for a violation. */
struct path {
	const struct path *up;
	const char *key; /* NULL for an array index */
	size_t idx;
};

/* A `$ref` being followed: the schema it led to and the value it was
 * followed on, to tell a loop that makes no progress. */
struct ref_frame {
	const struct ref_frame *up;
	json_object *target;
	json_object *inst;
	unsigned inst_depth;
};

struct ctx {
	struct ct_contract *c; /* resolves $ref, or NULL */
	json_object *root;     /* resolves $ref when c is NULL */
	struct ct_violations *out;
	struct ct_err *err;
	int collect; /* 0 while trying anyOf branches: stop at the first */
	unsigned long steps, max_steps;
	const struct ref_frame *refs;
	unsigned nrefs, inst_depth, depth;
};

#define MAX_SCHEMA_DEPTH 1024

/* ---- the list ------------------------------------------------------------ */

void ct_violations_reset(struct ct_violations *list)
{
	for (size_t i = 0; i < list->n; i++) {
		free(list->v[i].pointer);
		free(list->v[i].schema_pointer);
		free(list->v[i].message);
	}
	list->n = 0;
}

void ct_violations_release(struct ct_violations *list)
{
	ct_violations_reset(list);
	free(list->v);
	list->v = NULL;
	list->cap = 0;
}

static void push(struct ct_violations *list, char *pointer,
		 char *schema_pointer, char *message)
{
	list->v = ct_xgrow(list->v, &list->cap, list->n + 1, sizeof(*list->v));
	list->v[list->n].pointer = pointer;
	list->v[list->n].schema_pointer = schema_pointer;
	list->v[list->n].message = message;
	list->n++;
}

/* ---- text for messages --------------------------------------------------- */

static void add_path(struct ct_buf *out, const struct path *p)
{
	if (!p)
		return;
	add_path(out, p->up);
	if (p->key)
		ct_json_pointer_add(out, p->key);
	else
		ct_buf_addf(out, "/%zu", p->idx);
}

static char *path_text(const struct path *p)
{
	struct ct_buf b = CT_BUF_INIT;

	add_path(&b, p);
	return ct_buf_detach(&b, NULL);
}

/* A value as messages show it: scalars as JSON (long strings cut), objects
 * and arrays by kind. */
static void describe(struct ct_buf *out, json_object *v)
{
	enum { MAX_STRING = 40 };
	const char *s;
	size_t n;

	switch (json_object_get_type(v)) {
	case json_type_object:
		ct_buf_adds(out, "an object");
		return;
	case json_type_array:
		ct_buf_adds(out, "an array");
		return;
	case json_type_string:
		s = json_object_get_string(v);
		n = (size_t)json_object_get_string_len(v);
		if (n <= MAX_STRING) {
			ct_json_write_string(out, s, n);
			return;
		}
		/* cut on a character boundary */
		n = MAX_STRING;
		while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		ct_json_write_string(out, s, n);
		out->len--; /* the closing quote */
		ct_buf_adds(out, "...\"");
		return;
	default:
		ct_json_write(out, v, 0);
	}
}

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static int
fail(struct ctx *k, const struct path *sp, const struct path *ip,
     json_object *v, const char *fmt, ...);

#if defined(__GNUC__)
__attribute__((format(printf, 6, 0)))
#endif
static int
fail_v(struct ctx *k, const struct path *sp, const struct path *ip,
       json_object *v, int with_value, const char *fmt, va_list ap);

/* Records a violation (when listening): the message is `fmt`, after the
 * value described when `with_value`. Returns 1, "invalid". */
static int fail_v(struct ctx *k, const struct path *sp, const struct path *ip,
		  json_object *v, int with_value, const char *fmt, va_list ap)
{
	struct ct_buf msg = CT_BUF_INIT;

	if (!k->collect)
		return 1;
	if (with_value) {
		describe(&msg, v);
		ct_buf_addch(&msg, ' ');
	}
	ct_buf_vaddf(&msg, fmt, ap);
	push(k->out, path_text(ip), path_text(sp), ct_buf_detach(&msg, NULL));
	return 1;
}

/* "VALUE " + message. */
static int fail(struct ctx *k, const struct path *sp, const struct path *ip,
		json_object *v, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = fail_v(k, sp, ip, v, 1, fmt, ap);
	va_end(ap);
	return rc;
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int
fail_plain(struct ctx *k, const struct path *sp, const struct path *ip,
	   const char *fmt, ...);

/* The message alone. */
static int fail_plain(struct ctx *k, const struct path *sp,
		      const struct path *ip, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = fail_v(k, sp, ip, NULL, 0, fmt, ap);
	va_end(ap);
	return rc;
}

/* The schema has a keyword of the wrong form: not the instance's fault. */
static int bad_schema(struct ctx *k, const struct path *sp, const char *what)
{
	char *at = path_text(sp);
	int rc = ct_err_set(k->err, CT_EINVAL, "invalid schema at \"%s\": %s",
			    at, what);

	free(at);
	return rc;
}

/* ---- equality of JSON values --------------------------------------------- */

static int equal(json_object *a, json_object *b);

static int equal_numbers(json_object *a, json_object *b)
{
	enum json_type ta = json_object_get_type(a),
		       tb = json_object_get_type(b);
	double d;
	json_object *i;

	if (ta == json_type_int && tb == json_type_int)
		return json_object_equal(a, b);
	if (ta == json_type_double && tb == json_type_double)
		return json_object_get_double(a) == json_object_get_double(b);
	/* an integer and a double: 1 and 1.0 are one number */
	i = ta == json_type_int ? a : b;
	d = json_object_get_double(ta == json_type_int ? b : a);
	if (d != floor(d))
		return 0;
	if (d >= -9223372036854775808.0 && d < 9223372036854775808.0)
		return json_object_get_int64(i) == (int64_t)d;
	if (d >= 0 && d < 18446744073709551616.0)
		return json_object_get_uint64(i) == (uint64_t)d;
	return 0;
}

static int is_number(enum json_type t)
{
	return t == json_type_int || t == json_type_double;
}

static int equal(json_object *a, json_object *b)
{
	enum json_type ta = json_object_get_type(a),
		       tb = json_object_get_type(b);
	size_t n;

	if (is_number(ta) && is_number(tb))
		return equal_numbers(a, b);
	if (ta != tb)
		return 0;
	switch (ta) {
	case json_type_null:
		return 1;
	case json_type_boolean:
		return !json_object_get_boolean(a) ==
		       !json_object_get_boolean(b);
	case json_type_string:
		n = (size_t)json_object_get_string_len(a);
		return n == (size_t)json_object_get_string_len(b) &&
		       !memcmp(json_object_get_string(a),
			       json_object_get_string(b), n);
	case json_type_array:
		n = json_object_array_length(a);
		if (n != json_object_array_length(b))
			return 0;
		for (size_t i = 0; i < n; i++)
			if (!equal(json_object_array_get_idx(a, i),
				   json_object_array_get_idx(b, i)))
				return 0;
		return 1;
	case json_type_object:
		if (json_object_object_length(a) !=
		    json_object_object_length(b))
			return 0;
		json_object_object_foreach(a, key, va)
		{
			json_object *vb;
			if (!json_object_object_get_ex(b, key, &vb) ||
			    !equal(va, vb))
				return 0;
		}
		return 1;
	default:
		return 0;
	}
}

/* ---- keywords ------------------------------------------------------------ */

static int check(struct ctx *k, json_object *s, const struct path *sp,
		 json_object *v, const struct path *ip);

static const struct {
	const char *name, *article;
} types[] = {
    {"string", "a "},  {"integer", "an "}, {"number", "a "}, {"boolean", "a "},
    {"object", "an "}, {"array", "an "},   {"null", ""},
};

#define NTYPES (sizeof(types) / sizeof(*types))

static int type_index(json_object *t)
{
	if (!json_object_is_type(t, json_type_string))
		return -1;
	for (size_t i = 0; i < NTYPES; i++)
		if (!strcmp(json_object_get_string(t), types[i].name))
			return (int)i;
	return -1;
}

static int has_type(int type, json_object *v)
{
	double d;

	switch (json_object_get_type(v)) {
	case json_type_string:
		return type == 0;
	case json_type_int:
		return type == 1 || type == 2;
	case json_type_double:
		if (type == 2)
			return 1;
		/* a number with a zero fraction is an integer; so is one
		 * too large for a double, read as infinity */
		d = json_object_get_double(v);
		return type == 1 && (isinf(d) || d == floor(d));
	case json_type_boolean:
		return type == 3;
	case json_type_object:
		return type == 4;
	case json_type_array:
		return type == 5;
	case json_type_null:
		return type == 6;
	}
	return 0;
}

static int check_type(struct ctx *k, json_object *t, const struct path *sp,
		      json_object *v, const struct path *ip)
{
	struct ct_buf names = CT_BUF_INIT;
	size_t n = 1;
	int idx[NTYPES];
	int rc;

	if (json_object_is_type(t, json_type_array)) {
		n = json_object_array_length(t);
		if (!n || n > NTYPES)
			return bad_schema(k, sp,
					  "\"type\" must list 1 to 7 "
					  "type names");
		for (size_t i = 0; i < n; i++)
			idx[i] = type_index(json_object_array_get_idx(t, i));
	} else {
		idx[0] = type_index(t);
	}
	for (size_t i = 0; i < n; i++) {
		if (idx[i] < 0)
			return bad_schema(k, sp, "unknown type in \"type\"");
		if (has_type(idx[i], v))
			return 0;
	}
	if (!k->collect)
		return 1;
	for (size_t i = 0; i < n; i++) {
		if (i)
			ct_buf_adds(&names, i + 1 == n ? " or " : ", ");
		ct_buf_addf(&names, "%s%s", types[idx[i]].article,
			    types[idx[i]].name);
	}
	rc = fail(k, sp, ip, v, "is not %s", names.ptr);
	ct_buf_release(&names);
	return rc;
}

static int check_enum(struct ctx *k, json_object *e, const struct path *sp,
		      json_object *v, const struct path *ip)
{
	enum { SHOWN = 8 };
	struct ct_buf list = CT_BUF_INIT;
	size_t n;
	int rc;

	if (!json_object_is_type(e, json_type_array))
		return bad_schema(k, sp, "\"enum\" must be an array");
	n = json_object_array_length(e);
	for (size_t i = 0; i < n; i++)
		if (equal(json_object_array_get_idx(e, i), v))
			return 0;
	if (!k->collect)
		return 1;
	for (size_t i = 0; i < n && i < SHOWN; i++) {
		if (i)
			ct_buf_adds(&list, ", ");
		describe(&list, json_object_array_get_idx(e, i));
	}
	if (n > SHOWN)
		ct_buf_addf(&list, " and %zu more", n - SHOWN);
	rc = n ? fail(k, sp, ip, v, "is not one of %s", list.ptr)
	       : fail(k, sp, ip, v, "is not allowed: the enum is empty");
	ct_buf_release(&list);
	return rc;
}

static int check_required(struct ctx *k, json_object *req,
			  const struct path *sp, json_object *v,
			  const struct path *ip)
{
	int bad = 0;

	if (!json_object_is_type(req, json_type_array))
		return bad_schema(k, sp, "\"required\" must be an array");
	for (size_t i = 0; i < json_object_array_length(req); i++) {
		json_object *name = json_object_array_get_idx(req, i);
		if (!json_object_is_type(name, json_type_string))
			return bad_schema(k, sp,
					  "\"required\" must list strings");
		if (json_object_object_get_ex(v, json_object_get_string(name),
					      NULL))
			continue;
		bad = fail_plain(k, sp, ip, "missing required property \"%s\"",
				 json_object_get_string(name));
		if (!k->collect)
			break;
	}
	return bad;
}

static int check_properties(struct ctx *k, json_object *props,
			    const struct path *sp, json_object *v,
			    const struct path *ip)
{
	int bad = 0;

	if (!json_object_is_type(props, json_type_object))
		return bad_schema(k, sp, "\"properties\" must be an object");
	json_object_object_foreach(props, name, ps)
	{
		json_object *pv;
		struct path psp = {sp, name, 0}, pip = {ip, name, 0};
		int rc;
		if (!json_object_object_get_ex(v, name, &pv))
			continue;
		k->inst_depth++;
		rc = check(k, ps, &psp, pv, &pip);
		k->inst_depth--;
		if (rc < 0)
			return rc;
		bad |= rc;
		if (bad && !k->collect)
			break;
	}
	return bad;
}

static int check_additional(struct ctx *k, json_object *add, json_object *props,
			    const struct path *sp, json_object *v,
			    const struct path *ip)
{
	int bad = 0;

	if (json_object_is_type(add, json_type_boolean) &&
	    json_object_get_boolean(add))
		return 0;
	if (props && !json_object_is_type(props, json_type_object))
		return bad_schema(k, sp, "\"properties\" must be an object");
	json_object_object_foreach(v, name, pv)
	{
		struct path pip = {ip, name, 0};
		int rc;
		if (props && json_object_object_get_ex(props, name, NULL))
			continue;
		if (json_object_is_type(add, json_type_boolean)) {
			bad =
			    fail_plain(k, sp, &pip,
				       "property \"%s\" is not allowed", name);
		} else {
			k->inst_depth++;
			rc = check(k, add, sp, pv, &pip);
			k->inst_depth--;
			if (rc < 0)
				return rc;
			bad |= rc;
		}
		if (bad && !k->collect)
			break;
	}
	return bad;
}

static int check_items(struct ctx *k, json_object *items, const struct path *sp,
		       json_object *v, const struct path *ip)
{
	size_t n = json_object_array_length(v);
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		struct path pip = {ip, NULL, i};
		int rc;
		k->inst_depth++;
		rc = check(k, items, sp, json_object_array_get_idx(v, i), &pip);
		k->inst_depth--;
		if (rc < 0)
			return rc;
		bad |= rc;
		if (bad && !k->collect)
			break;
	}
	return bad;
}

/* Whether `p` points strictly inside `at`. */
static int inside(const char *p, const char *at)
{
	size_t n = strlen(at);

	return !strncmp(p, at, n) && p[n] == '/';
}

/* One branch is enough. When none matches, and exactly one got past the
 * value itself (its violations are all deeper: the value has the branch's
 * type, a member is wrong), that branch was meant and its violations are
 * reported; otherwise one violation sums up what each branch refused. */
static int check_any_of(struct ctx *k, json_object *any, const struct path *sp,
			json_object *v, const struct path *ip)
{
	struct ct_violations *saved = k->out;
	struct ct_violations *tried = NULL;
	struct ct_buf msg = CT_BUF_INIT;
	char *here = NULL;
	size_t n, meant = 0, nmeant = 0;
	int collect = k->collect, rc = 0;

	if (!json_object_is_type(any, json_type_array) ||
	    !(n = json_object_array_length(any)))
		return bad_schema(k, sp, "\"anyOf\" must be a non-empty array");
	k->collect = 0;
	for (size_t i = 0; i < n; i++) {
		struct path bsp = {sp, NULL, i};
		rc = check(k, json_object_array_get_idx(any, i), &bsp, v, ip);
		if (rc <= 0)
			break;
	}
	k->collect = collect;
	if (rc <= 0 || !collect)
		return rc;

	/* none matched: again, listening */
	tried = ct_xcalloc(n, sizeof(*tried));
	here = path_text(ip);
	for (size_t i = 0; i < n; i++) {
		struct path bsp = {sp, NULL, i};
		int deeper = 1;
		k->out = &tried[i];
		rc = check(k, json_object_array_get_idx(any, i), &bsp, v, ip);
		if (rc < 0)
			goto done;
		for (size_t j = 0; j < tried[i].n; j++)
			deeper &= inside(tried[i].v[j].pointer, here);
		if (deeper && tried[i].n) {
			meant = i;
			nmeant++;
		}
	}
	k->out = saved;
	if (nmeant == 1) {
		for (size_t j = 0; j < tried[meant].n; j++) {
			struct ct_violation *x = &tried[meant].v[j];
			push(saved, x->pointer, x->schema_pointer, x->message);
		}
		tried[meant].n = 0;
		rc = 1;
		goto done;
	}
	ct_buf_adds(&msg, "matches no alternative of anyOf: ");
	for (size_t i = 0; i < n; i++) {
		const struct ct_violation *x;
		if (i)
			ct_buf_adds(&msg, "; ");
		if (!tried[i].n)
			continue;
		x = &tried[i].v[0];
		if (strcmp(x->pointer, here))
			ct_buf_addf(&msg, "%s: ", x->pointer + strlen(here));
		ct_buf_adds(&msg, x->message);
	}
	rc = fail(k, sp, ip, v, "%s", msg.ptr);
done:
	k->out = saved;
	for (size_t i = 0; i < n; i++)
		ct_violations_release(&tried[i]);
	free(tried);
	free(here);
	ct_buf_release(&msg);
	return rc;
}

/* Finds the target of "#/$defs/NAME", in the document or the root schema. */
static int resolve(json_object **out, struct ctx *k, const char *name)
{
	json_object *defs;

	if (k->c) {
		long i = ct_contract_shape_find(k->c, name);
		if (i < 0)
			return ct_err_set(k->err, CT_ENOTFOUND,
					  "$ref to missing shape \"%s\"", name);
		return ct_contract_shape_get(out, k->c, (size_t)i, k->err);
	}
	if (!json_object_object_get_ex(k->root, "$defs", &defs) ||
	    !json_object_object_get_ex(defs, name, out))
		return ct_err_set(k->err, CT_ENOTFOUND,
				  "$ref to missing shape \"%s\"", name);
	return 0;
}

static int check_ref(struct ctx *k, json_object *ref, const struct path *sp,
		     json_object *v, const struct path *ip)
{
	static const struct path defs = {NULL, "$defs", 0};
	const struct ref_frame *f;
	struct ref_frame frame;
	json_object *target;
	const char *r;
	int rc;

	if (!json_object_is_type(ref, json_type_string) ||
	    strncmp((r = json_object_get_string(ref)), "#/$defs/", 8))
		return bad_schema(k, sp, "\"$ref\" must be \"#/$defs/NAME\"");
	if ((rc = resolve(&target, k, r + 8)))
		return rc;
	if (k->nrefs >= CT_VALIDATE_MAX_DEPTH)
		return fail_plain(k, sp, ip,
				  "$ref \"%s\" nested deeper than %d levels", r,
				  CT_VALIDATE_MAX_DEPTH);
	for (f = k->refs; f; f = f->up)
		if (f->target == target && f->inst == v &&
		    f->inst_depth == k->inst_depth)
			return fail_plain(
			    k, sp, ip, "$ref \"%s\" loops back to itself", r);
	{
		struct path tsp = {&defs, r + 8, 0};
		frame.up = k->refs;
		frame.target = target;
		frame.inst = v;
		frame.inst_depth = k->inst_depth;
		k->refs = &frame;
		k->nrefs++;
		rc = check(k, target, &tsp, v, ip);
		k->nrefs--;
		k->refs = frame.up;
	}
	return rc;
}

/* 0 valid, 1 invalid, negative on an error. */
static int check_in(struct ctx *k, json_object *s, const struct path *sp,
		    json_object *v, const struct path *ip)
{
	json_object *kw, *props = NULL;
	enum json_type vt = json_object_get_type(v);
	int bad = 0, rc;

	if (++k->steps > k->max_steps)
		return ct_err_set(k->err, CT_ETOOBIG,
				  "validation needs more than %lu steps: the "
				  "schema branches too much",
				  k->max_steps);
	if (json_object_is_type(s, json_type_boolean))
		return json_object_get_boolean(s)
			   ? 0
			   : fail(k, sp, ip, v,
				  "is not allowed: the schema "
				  "is false");
	if (!json_object_is_type(s, json_type_object))
		return bad_schema(k, sp, "a schema must be an object");

#define KEYWORD(name, call)                                                    \
	do {                                                                   \
		if (json_object_object_get_ex(s, name, &kw)) {                 \
			struct path ksp = {sp, name, 0};                       \
			if ((rc = (call)) < 0)                                 \
				return rc;                                     \
			bad |= rc;                                             \
			if (bad && !k->collect)                                \
				return 1;                                      \
		}                                                              \
	} while (0)

	KEYWORD("$ref", check_ref(k, kw, &ksp, v, ip));
	KEYWORD("type", check_type(k, kw, &ksp, v, ip));
	KEYWORD("enum", check_enum(k, kw, &ksp, v, ip));
	if (vt == json_type_object) {
		KEYWORD("required", check_required(k, kw, &ksp, v, ip));
		KEYWORD("properties", check_properties(k, kw, &ksp, v, ip));
		json_object_object_get_ex(s, "properties", &props);
		KEYWORD("additionalProperties",
			check_additional(k, kw, props, &ksp, v, ip));
	}
	if (vt == json_type_array)
		KEYWORD("items", check_items(k, kw, &ksp, v, ip));
	KEYWORD("anyOf", check_any_of(k, kw, &ksp, v, ip));
#undef KEYWORD
	return bad;
}

static int check(struct ctx *k, json_object *s, const struct path *sp,
		 json_object *v, const struct path *ip)
{
	int rc;

	/* a schema built in memory may nest without end; the stack may not */
	if (k->depth >= MAX_SCHEMA_DEPTH)
		return bad_schema(k, sp, "nested deeper than 1024 levels");
	k->depth++;
	rc = check_in(k, s, sp, v, ip);
	k->depth--;
	return rc;
}

/* The number of values in `v`, to size the step budget. */
static unsigned long count_values(json_object *v)
{
	unsigned long n = 1;

	if (json_object_is_type(v, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(v); i++)
			n += count_values(json_object_array_get_idx(v, i));
	} else if (json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, key, m)
		{
			(void)key;
			n += count_values(m);
		}
	}
	return n;
}

/* Evaluations a call may make: plenty per value, but bounded, so duplicate
 * anyOf branches over a recursive shape end in an error, not in hours. */
static unsigned long step_budget(json_object *v)
{
	unsigned long n = count_values(v);

	if (n >
	    (ULONG_MAX - CT_VALIDATE_MIN_STEPS) / CT_VALIDATE_STEPS_PER_VALUE)
		return ULONG_MAX;
	return CT_VALIDATE_MIN_STEPS + n * CT_VALIDATE_STEPS_PER_VALUE;
}

/* ---- entry points -------------------------------------------------------- */

int ct_validate(struct ct_violations *out, struct ct_contract *c,
		const char *shape, json_object *instance, struct ct_err *err)
{
	static const struct path defs = {NULL, "$defs", 0};
	struct path sp = {&defs, shape, 0};
	struct ctx k = {c, NULL, out, err, 1, 0, 0, NULL, 0, 0, 0};
	json_object *s;
	long i = ct_contract_shape_find(c, shape);
	int rc;

	if (i < 0)
		return ct_err_set(err, CT_ENOTFOUND, "unknown shape \"%s\"",
				  shape);
	if ((rc = ct_contract_shape_get(&s, c, (size_t)i, err)))
		return rc;
	k.max_steps = step_budget(instance);
	rc = check(&k, s, &sp, instance, NULL);
	return rc < 0 ? rc : 0;
}

int ct_validate_schema(struct ct_violations *out, struct ct_contract *c,
		       json_object *schema, json_object *instance,
		       struct ct_err *err)
{
	struct ctx k = {c, schema, out, err, 1, 0, 0, NULL, 0, 0, 0};
	int rc;

	k.max_steps = step_budget(instance);
	rc = check(&k, schema, NULL, instance, NULL);
	return rc < 0 ? rc : 0;
}

int ct_validate_text(struct ct_violations *out, struct ct_contract *c,
		     const char *shape, const char *text, size_t len,
		     const char *path, struct ct_err *err)
{
	struct json_tokener *tok;
	json_object *v;
	int rc;

	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
		text += 3; /* a byte-order mark, as ct_json_drop_bom() */
		len -= 3;
	}
	if ((rc = ct_json_check(text, len, CT_VALIDATE_MAX_NESTING, path, err)))
		return rc;
	if (len >= INT_MAX)
		return ct_err_at(err, CT_ETOOBIG, path, 0, 0,
				 "an instance of %zu bytes is too large", len);
	tok = json_tokener_new_ex(CT_VALIDATE_MAX_NESTING + 2);
	if (!tok)
		CT_BUG("json_tokener_new_ex failed");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	v = json_tokener_parse_ex(tok, text, (int)len);
	if (json_tokener_get_error(tok) == json_tokener_continue)
		v = json_tokener_parse_ex(tok, "", 1);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		rc = ct_err_at(
		    err, CT_EPARSE, path, 0, 0, "cannot parse: %s",
		    json_tokener_error_desc(json_tokener_get_error(tok)));
		json_tokener_free(tok);
		return rc;
	}
	json_tokener_free(tok);
	rc = ct_validate(out, c, shape, v, err);
	json_object_put(v);
	return rc;
}
