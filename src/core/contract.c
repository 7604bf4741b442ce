#include "contracts/contract.h"

#include "contracts/file.h"
#include "contracts/json.h"
#include "contracts/xalloc.h"

#include <json-c/json.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ct_shape {
	char *name;
	json_object *obj; /* NULL while it is only text */
	int from_text;	  /* parsed on demand from `span` */
	int checked;	  /* validated once already */
	struct ct_json_span span;
	unsigned line, col;
};

struct member_pos {
	char *key;
	struct ct_json_span span;
	unsigned line, col;
	/* an array's elements, indexed on the first look-up of one: where
	 * each starts, and its line and column */
	size_t *elems;
	unsigned *elines, *ecols;
	size_t nelems;
	int indexed;
};

struct origin_entry {
	char *pointer;
	char *repo, *commit, *path;
	unsigned line;
};

struct ct_contract {
	char *path;
	struct ct_buf text;
	json_object *head;
	/* Two sorted runs: shapes[0, nmain) and the recent ones after it,
	 * merged when the second grows past the square root of the first,
	 * so that adding moves few and finding is two binary searches. The
	 * positions the functions take are those of the merged order. */
	struct ct_shape **shapes; /* each freed with free_shape() */
	size_t nshapes, cap_shapes, nmain;
	struct member_pos *members; /* top-level members of `text` */
	size_t nmembers, cap_members;
	/* Extractors note an origin per element they find, so finding one
	 * may not cost a sort of all noted so far: a hash table of position
	 * + 1 (0 when empty) covers origins[0, hashed). */
	struct origin_entry *origins;
	size_t norigins, cap_origins;
	size_t *slots;
	size_t nslots, hashed;
	struct json_tokener *tok;
};

static const char *const direction_names[] = {
    "provider-to-consumer", "consumer-to-provider", "exact", "superset"};

const char *ct_direction_name(enum ct_direction dir)
{
	return direction_names[dir];
}

int ct_direction_parse(enum ct_direction *out, const char *name)
{
	for (size_t i = 0;
	     i < sizeof(direction_names) / sizeof(*direction_names); i++) {
		if (!strcmp(name, direction_names[i])) {
			*out = (enum ct_direction)i;
			return 0;
		}
	}
	return CT_EINVAL;
}

/* ---- shapes ------------------------------------------------------------- */

static int cmp_shape(const void *a, const void *b)
{
	return strcmp((*(struct ct_shape *const *)a)->name,
		      (*(struct ct_shape *const *)b)->name);
}

static void free_shape(struct ct_shape *s)
{
	free(s->name);
	json_object_put(s->obj);
	free(s);
}

/* The first of the `n` sorted shapes at `v` not before `name`. */
static size_t lower_bound(struct ct_shape *const *v, size_t n, const char *name)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(v[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Merges the recent run into the main one, from the back: the main shapes
 * after each recent one move up as a block. */
static void merge_shapes(struct ct_contract *c)
{
	size_t k = c->nshapes - c->nmain, i = c->nmain, j = k, out = c->nshapes;
	struct ct_shape **recent;

	if (!k)
		return;
	recent = ct_xmalloc(k * sizeof(*recent));
	memcpy(recent, c->shapes + c->nmain, k * sizeof(*recent));
	while (j > 0) {
		size_t at = lower_bound(c->shapes, i, recent[j - 1]->name);
		memmove(&c->shapes[out - (i - at)], &c->shapes[at],
			(i - at) * sizeof(*c->shapes));
		out -= i - at;
		i = at;
		c->shapes[--out] = recent[--j];
	}
	free(recent);
	c->nmain = c->nshapes;
}

/* Shape `i` of the merged order. */
static struct ct_shape *shape_at(const struct ct_contract *c, size_t i)
{
	merge_shapes((struct ct_contract *)c);
	return c->shapes[i];
}

/* The shape called `name`, or NULL; *pos is where it is, or would be, in
 * the merged order. */
static struct ct_shape *find_shape(const struct ct_contract *c,
				   const char *name, size_t *pos)
{
	struct ct_shape *const *recent;
	size_t k = c->nshapes - c->nmain, a, b;

	*pos = 0;
	if (!c->nshapes)
		return NULL; /* shapes may still be NULL */
	recent = c->shapes + c->nmain;
	a = lower_bound(c->shapes, c->nmain, name);
	b = lower_bound(recent, k, name);
	*pos = a + b;
	if (a < c->nmain && !strcmp(c->shapes[a]->name, name))
		return c->shapes[a];
	if (b < k && !strcmp(recent[b]->name, name))
		return recent[b];
	return NULL;
}

size_t ct_contract_shape_count(const struct ct_contract *c)
{
	return c->nshapes;
}

const char *ct_contract_shape_name(const struct ct_contract *c, size_t i)
{
	return shape_at(c, i)->name;
}

long ct_contract_shape_find(const struct ct_contract *c, const char *name)
{
	size_t pos;

	return find_shape(c, name, &pos) ? (long)pos : -1;
}

/* Appends a shape out of order, for ct_contract_parse(), which sorts them
 * all once read. */
static struct ct_shape *push_shape(struct ct_contract *c, const char *name)
{
	struct ct_shape *s;

	c->shapes = ct_xgrow(c->shapes, &c->cap_shapes, c->nshapes + 1,
			     sizeof(*c->shapes));
	s = c->shapes[c->nshapes++] = ct_xcalloc(1, sizeof(*s));
	s->name = ct_xstrdup(name);
	return s;
}

/* Adds a shape, not there yet, at its place in the recent run. */
static struct ct_shape *insert_shape(struct ct_contract *c, const char *name)
{
	size_t k = c->nshapes - c->nmain, at;
	struct ct_shape *s;

	if (k > 32 && k * k > c->nmain) {
		merge_shapes(c);
		k = 0;
	}
	c->shapes = ct_xgrow(c->shapes, &c->cap_shapes, c->nshapes + 1,
			     sizeof(*c->shapes));
	at = c->nmain + lower_bound(c->shapes + c->nmain, k, name);
	memmove(&c->shapes[at + 1], &c->shapes[at],
		(c->nshapes - at) * sizeof(*c->shapes));
	c->nshapes++;
	s = c->shapes[at] = ct_xcalloc(1, sizeof(*s));
	s->name = ct_xstrdup(name);
	return s;
}

void ct_contract_add_shape(struct ct_contract *c, const char *name,
			   json_object *shape, const struct ct_origin *origin)
{
	size_t pos;
	struct ct_shape *s = find_shape(c, name, &pos);
	struct ct_buf ptr = CT_BUF_INIT;

	if (s) {
		json_object_put(s->obj);
		s->from_text = 0;
		s->checked = 0;
	} else {
		s = insert_shape(c, name);
	}
	s->obj = shape;
	if (origin) {
		ct_buf_adds(&ptr, "/$defs");
		ct_json_pointer_add(&ptr, name);
		ct_contract_set_origin(c, ptr.ptr, origin);
		ct_buf_release(&ptr);
	}
}

/* ---- origins and positions ---------------------------------------------- */

static size_t hash_name(const char *s)
{
	size_t h = 2166136261u; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The slot holding `pointer`, or the empty one where it would go. */
static size_t *origin_slot(const struct ct_contract *c, const char *pointer)
{
	size_t mask = c->nslots - 1, i = hash_name(pointer) & mask;

	while (c->slots[i] &&
	       strcmp(c->origins[c->slots[i] - 1].pointer, pointer))
		i = (i + 1) & mask;
	return &c->slots[i];
}

static struct origin_entry *find_origin(const struct ct_contract *c,
					const char *pointer)
{
	struct ct_contract *m = (struct ct_contract *)c;
	size_t *slot;

	if (!c->norigins)
		return NULL;
	/* bring the table up to every origin, at most half full */
	if (c->norigins * 2 > c->nslots) {
		size_t k = c->nslots ? c->nslots : 64;
		while (c->norigins * 2 > k)
			k *= 2;
		free(m->slots);
		m->slots = ct_xcalloc(k, sizeof(*m->slots));
		m->nslots = k;
		m->hashed = 0;
	}
	for (; m->hashed < c->norigins; m->hashed++)
		*origin_slot(c, c->origins[m->hashed].pointer) = m->hashed + 1;
	slot = origin_slot(c, pointer);
	return *slot ? &m->origins[*slot - 1] : NULL;
}

static char *dup_or_null(const char *s)
{
	return s ? ct_xstrdup(s) : NULL;
}

void ct_contract_set_origin(struct ct_contract *c, const char *pointer,
			    const struct ct_origin *origin)
{
	struct origin_entry *e = find_origin(c, pointer);

	if (e) {
		free(e->repo);
		free(e->commit);
		free(e->path);
	} else {
		c->origins = ct_xgrow(c->origins, &c->cap_origins,
				      c->norigins + 1, sizeof(*c->origins));
		e = &c->origins[c->norigins++];
		e->pointer = ct_xstrdup(pointer);
	}
	e->repo = dup_or_null(origin->repo);
	e->commit = dup_or_null(origin->commit);
	e->path = dup_or_null(origin->path);
	e->line = origin->line;
}

static struct member_pos *find_member_pos(const struct ct_contract *c,
					  const char *key)
{
	for (size_t i = 0; i < c->nmembers; i++)
		if (!strcmp(c->members[i].key, key))
			return &c->members[i];
	return NULL;
}

/* Indexes the elements of member m when it is an array: 1 when they are
 * there to use. */
static int index_elements(const struct ct_contract *c, struct member_pos *m)
{
	if (!m->indexed) {
		unsigned l = m->line, k = m->col;
		size_t at = m->span.off;
		m->indexed = 1;
		m->elems = ct_json_elements(c->text.ptr, m->span, &m->nelems);
		m->elines =
		    ct_xcalloc(m->nelems ? m->nelems : 1, sizeof(*m->elines));
		m->ecols =
		    ct_xcalloc(m->nelems ? m->nelems : 1, sizeof(*m->ecols));
		for (size_t i = 0; i < m->nelems; i++) {
			ct_json_advance(c->text.ptr, at, m->elems[i], &l, &k);
			at = m->elems[i];
			m->elines[i] = l;
			m->ecols[i] = k;
		}
	}
	return m->nelems > 0;
}

/* Position of the value at `pointer` in the document text; 0 if found. */
static int text_position(const struct ct_contract *c, const char *pointer,
			 unsigned *line, unsigned *col)
{
	struct ct_json_span base, found;
	unsigned l, k;
	const char *rest;
	char first[256];
	size_t n;

	if (!c->text.len || *pointer != '/')
		return CT_ENOTFOUND;
	n = strcspn(pointer + 1, "/");
	if (n >= sizeof(first))
		return CT_ENOTFOUND;
	memcpy(first, pointer + 1, n);
	first[n] = '\0';
	rest = pointer + 1 + n;
	if (!strcmp(first, "$defs") && *rest == '/') {
		struct ct_buf name = CT_BUF_INIT;
		const struct ct_shape *s;
		size_t pos;
		const char *p = rest + 1;
		for (; *p && *p != '/'; p++) {
			if (p[0] == '~' && (p[1] == '0' || p[1] == '1'))
				ct_buf_addch(&name, *++p == '0' ? '~' : '/');
			else
				ct_buf_addch(&name, *p);
		}
		s = find_shape(c, name.ptr, &pos);
		ct_buf_release(&name);
		if (!s || !s->from_text)
			return CT_ENOTFOUND;
		base = s->span;
		l = s->line;
		k = s->col;
		rest = p;
	} else {
		struct member_pos *m = find_member_pos(c, first);
		char *end;
		unsigned long idx;
		if (!m)
			return CT_ENOTFOUND;
		base = m->span;
		l = m->line;
		k = m->col;
		/* "/x-routes/N...": from the element's own position, so many
		 * look-ups in one array stay linear */
		if (rest[0] == '/' && rest[1] >= '0' && rest[1] <= '9' &&
		    (idx = strtoul(rest + 1, &end, 10),
		     *end == '\0' || *end == '/') &&
		    index_elements(c, m) && idx < m->nelems) {
			base.off = m->elems[idx];
			base.len =
			    (idx + 1 < m->nelems ? m->elems[idx + 1]
						 : m->span.off + m->span.len) -
			    base.off;
			l = m->elines[idx];
			k = m->ecols[idx];
			rest = end;
		}
	}
	if (ct_json_locate(&found, c->text.ptr, base, rest))
		return CT_ENOTFOUND;
	ct_json_advance(c->text.ptr, base.off, found.off, &l, &k);
	*line = l;
	*col = k;
	return 0;
}

/* Finds the nearest enclosing pointer that resolves, by dropping tokens. */
static int nearest_position(const struct ct_contract *c, const char *pointer,
			    unsigned *line, unsigned *col)
{
	char *p = ct_xstrdup(pointer);
	int rc;

	while ((rc = text_position(c, p, line, col)) && *p) {
		char *slash = strrchr(p, '/');
		if (!slash)
			break;
		*slash = '\0';
	}
	free(p);
	return rc;
}

void ct_contract_origin(struct ct_origin *out, const struct ct_contract *c,
			const char *pointer)
{
	char *p;
	unsigned line = 0, col = 0;

	memset(out, 0, sizeof(*out));
	if (c->norigins) {
		p = ct_xstrdup(pointer);
		for (;;) {
			struct origin_entry *e = find_origin(c, p);
			char *slash;
			if (e) {
				out->repo = e->repo;
				out->commit = e->commit;
				out->path = e->path;
				out->line = e->line;
				free(p);
				return;
			}
			slash = strrchr(p, '/');
			if (!slash)
				break;
			*slash = '\0';
		}
		free(p);
	}
	out->path = c->path;
	if (!nearest_position(c, pointer, &line, &col))
		out->line = line;
}

/* ---- validation --------------------------------------------------------- */

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int
invalid(const struct ct_contract *c, struct ct_err *err, const char *pointer,
	const char *fmt, ...);

#if defined(__GNUC__)
__attribute__((format(printf, 5, 0)))
#endif
static int
vinvalid(const struct ct_contract *c, struct ct_err *err, const char *where,
	 const char *pointer, const char *fmt, va_list ap);

/* `where` is the pointer whose place is named, `pointer` the one in the
 * message: they differ for a top-level key, said of the document. */
static int vinvalid(const struct ct_contract *c, struct ct_err *err,
		    const char *where, const char *pointer, const char *fmt,
		    va_list ap)
{
	char msg[400];
	unsigned line = 0, col = 0;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (nearest_position(c, where, &line, &col)) {
		struct ct_origin o;
		ct_contract_origin(&o, c, where);
		line = o.line;
		col = 0;
	}
	return ct_err_at(err, CT_EINVAL, c->path ? c->path : "<document>", line,
			 col, "not a valid contract: %s: %s",
			 *pointer ? pointer : "/", msg);
}

static int invalid(const struct ct_contract *c, struct ct_err *err,
		   const char *pointer, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vinvalid(c, err, pointer, pointer, fmt, ap);
	va_end(ap);
	return rc;
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int
invalid_key(const struct ct_contract *c, struct ct_err *err, const char *key,
	    const char *fmt, ...);

/* An error about the top-level member `key`, placed at its value. */
static int invalid_key(const struct ct_contract *c, struct ct_err *err,
		       const char *key, const char *fmt, ...)
{
	struct ct_buf where = CT_BUF_INIT;
	va_list ap;
	int rc;

	ct_json_pointer_add(&where, key);
	va_start(ap, fmt);
	rc = vinvalid(c, err, where.ptr, "", fmt, ap);
	va_end(ap);
	ct_buf_release(&where);
	return rc;
}

static const char *const type_names[] = {
    "string", "integer", "number", "boolean", "object", "array", "null"};

/* Schemas are checked key by key against a table. The path to the value
 * being checked is a chain on the stack, turned into a JSON pointer only
 * for an error message, which keeps the common (valid) case cheap. */
struct path {
	const struct path *up;
	const char *token;
};

struct checker {
	struct ct_contract *c;
	struct ct_err *err;
};

static void path_text(struct ct_buf *out, const struct path *p)
{
	if (!p)
		return;
	path_text(out, p->up);
	ct_json_pointer_add(out, p->token);
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
invalid_at(const struct checker *k, const struct path *at, const char *fmt,
	   ...);

static int invalid_at(const struct checker *k, const struct path *at,
		      const char *fmt, ...)
{
	struct ct_buf ptr = CT_BUF_INIT, msg = CT_BUF_INIT;
	va_list ap;
	int rc;

	path_text(&ptr, at);
	va_start(ap, fmt);
	ct_buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	rc = invalid(k->c, k->err, ptr.ptr, "%s", msg.ptr);
	ct_buf_release(&ptr);
	ct_buf_release(&msg);
	return rc;
}

/* Checks that an array holds no value twice (JSON equality). */
static int check_unique(const struct checker *k, const struct path *at,
			json_object *arr, const char *what)
{
	struct ct_json_set *set = ct_json_set_new(arr);
	long dup = ct_json_set_duplicate(set);

	ct_json_set_free(set);
	if (dup < 0)
		return 0;
	return invalid_at(
	    k, at, "duplicate %s %s", what,
	    json_object_to_json_string_ext(
		json_object_array_get_idx(arr, (size_t)dup),
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}

static int check_string_array(const struct checker *k, const struct path *at,
			      json_object *v, const char *what)
{
	size_t n;

	if (!json_object_is_type(v, json_type_array))
		return invalid_at(k, at, "must be an array of strings");
	n = json_object_array_length(v);
	if (n > CT_MAX_ITEMS)
		return invalid_at(k, at, "more than %d %ss (the limit)",
				  CT_MAX_ITEMS, what);
	for (size_t i = 0; i < n; i++)
		if (!json_object_is_type(json_object_array_get_idx(v, i),
					 json_type_string))
			return invalid_at(k, at, "item %zu is not a string", i);
	return check_unique(k, at, v, what);
}

static int check_schema(const struct checker *k, const struct path *at,
			json_object *s, unsigned depth);

static unsigned type_bit(const char *s)
{
	for (unsigned i = 0; i < sizeof(type_names) / sizeof(*type_names); i++)
		if (!strcmp(s, type_names[i]))
			return 1u << i;
	return 0;
}

static int check_type_key(const struct checker *k, const struct path *at,
			  json_object *v, unsigned depth)
{
	unsigned seen = 0;
	size_t n;

	(void)depth;
	if (json_object_is_type(v, json_type_string)) {
		if (!type_bit(json_object_get_string(v)))
			return invalid_at(k, at, "unknown type \"%s\"",
					  json_object_get_string(v));
		return 0;
	}
	n = json_object_is_type(v, json_type_array)
		? json_object_array_length(v)
		: 0;
	if (!n)
		return invalid_at(
		    k, at, "must be a type name or a non-empty array of them");
	for (size_t i = 0; i < n; i++) {
		json_object *t = json_object_array_get_idx(v, i);
		unsigned bit;
		if (!json_object_is_type(t, json_type_string))
			return invalid_at(k, at, "item %zu is not a string", i);
		bit = type_bit(json_object_get_string(t));
		if (!bit)
			return invalid_at(k, at, "unknown type \"%s\"",
					  json_object_get_string(t));
		if (seen & bit)
			return invalid_at(k, at, "duplicate type \"%s\"",
					  json_object_get_string(t));
		seen |= bit;
	}
	return 0;
}

static int check_enum_key(const struct checker *k, const struct path *at,
			  json_object *v, unsigned depth)
{
	(void)depth;
	if (!json_object_is_type(v, json_type_array))
		return invalid_at(k, at, "must be an array");
	if (json_object_array_length(v) > CT_MAX_ITEMS)
		return invalid_at(k, at, "more than %d enum values (the limit)",
				  CT_MAX_ITEMS);
	return check_unique(k, at, v, "enum value");
}

static int check_strings_key(const struct checker *k, const struct path *at,
			     json_object *v, unsigned depth)
{
	(void)depth;
	return check_string_array(k, at, v, "required name");
}

static int check_properties_key(const struct checker *k, const struct path *at,
				json_object *v, unsigned depth)
{
	if (!json_object_is_type(v, json_type_object))
		return invalid_at(k, at, "must be an object");
	if (json_object_object_length(v) > CT_MAX_PROPERTIES)
		return invalid_at(k, at, "more than %d properties (the limit)",
				  CT_MAX_PROPERTIES);
	json_object_object_foreach(v, name, prop)
	{
		struct path here = {at, name};
		int rc = check_schema(k, &here, prop, depth + 1);
		if (rc)
			return rc;
	}
	return 0;
}

static int check_schema_key(const struct checker *k, const struct path *at,
			    json_object *v, unsigned depth)
{
	return check_schema(k, at, v, depth + 1);
}

static int check_additional_key(const struct checker *k, const struct path *at,
				json_object *v, unsigned depth)
{
	if (json_object_is_type(v, json_type_boolean))
		return 0;
	return check_schema(k, at, v, depth + 1);
}

static int check_any_of_key(const struct checker *k, const struct path *at,
			    json_object *v, unsigned depth)
{
	size_t n = json_object_is_type(v, json_type_array)
		       ? json_object_array_length(v)
		       : 0;

	if (!n)
		return invalid_at(k, at,
				  "must be a non-empty array of schemas");
	for (size_t i = 0; i < n; i++) {
		char idx[24];
		struct path here = {at, idx};
		int rc;
		snprintf(idx, sizeof(idx), "%zu", i);
		rc = check_schema(k, &here, json_object_array_get_idx(v, i),
				  depth + 1);
		if (rc)
			return rc;
	}
	return 0;
}

static int check_ref_key(const struct checker *k, const struct path *at,
			 json_object *v, unsigned depth)
{
	const char *r = json_object_get_string(v);

	(void)depth;
	if (!json_object_is_type(v, json_type_string) ||
	    strncmp(r, "#/$defs/", 8))
		return invalid_at(k, at, "must be a string \"#/$defs/NAME\"");
	if (ct_contract_shape_find(k->c, r + 8) < 0)
		return invalid_at(k, at, "$ref to missing shape \"%s\"", r + 8);
	return 0;
}

static int check_text_key(const struct checker *k, const struct path *at,
			  json_object *v, unsigned depth)
{
	(void)depth;
	if (!json_object_is_type(v, json_type_string))
		return invalid_at(k, at, "must be a string");
	return 0;
}

static int check_any_key(const struct checker *k, const struct path *at,
			 json_object *v, unsigned depth)
{
	(void)k, (void)at, (void)v, (void)depth;
	return 0;
}

typedef int (*key_check_fn)(const struct checker *k, const struct path *at,
			    json_object *v, unsigned depth);

/* The keys a schema may have, sorted for bsearch (docs/contract-format.md). */
static const struct schema_key {
	const char *name;
	key_check_fn check;
} schema_keys[] = {
    {"$ref", check_ref_key},
    {"additionalProperties", check_additional_key},
    {"anyOf", check_any_of_key},
    {"default", check_any_key},
    {"description", check_text_key},
    {"enum", check_enum_key},
    {"items", check_schema_key},
    {"properties", check_properties_key},
    {"required", check_strings_key},
    {"title", check_text_key},
    {"type", check_type_key},
    {"x-annotation", check_text_key},
    {"x-field-name", check_text_key},
};

static int cmp_schema_key(const void *key, const void *entry)
{
	return strcmp(key, ((const struct schema_key *)entry)->name);
}

static int check_required_names(const struct checker *k, const struct path *at,
				json_object *s)
{
	json_object *req, *props = NULL;

	if (!json_object_object_get_ex(s, "required", &req))
		return 0;
	json_object_object_get_ex(s, "properties", &props);
	for (size_t i = 0; i < json_object_array_length(req); i++) {
		const char *name =
		    json_object_get_string(json_object_array_get_idx(req, i));
		if (!props || !json_object_object_get_ex(props, name, NULL)) {
			struct path here = {at, "required"};
			return invalid_at(
			    k, &here,
			    "required property \"%s\" is not in properties",
			    name);
		}
	}
	return 0;
}

static int check_schema(const struct checker *k, const struct path *at,
			json_object *s, unsigned depth)
{
	if (depth > CT_JSON_MAX_DEPTH)
		return invalid_at(k, at, "schema nested too deep");
	if (!json_object_is_type(s, json_type_object))
		return invalid_at(k, at, "a schema must be an object");
	json_object_object_foreach(s, key, v)
	{
		struct path here = {at, key};
		const struct schema_key *sk =
		    bsearch(key, schema_keys,
			    sizeof(schema_keys) / sizeof(*schema_keys),
			    sizeof(*schema_keys), cmp_schema_key);
		int rc = sk ? sk->check(k, &here, v, depth)
			    : invalid_at(k, &here, "unknown key \"%s\"", key);
		if (rc)
			return rc;
	}
	return check_required_names(k, at, s);
}

static int check_shape(struct ct_contract *c, struct ct_shape *s,
		       struct ct_err *err)
{
	struct checker k = {c, err};
	struct path defs = {NULL, "$defs"};
	struct path shape = {&defs, s->name};
	int rc = check_schema(&k, &shape, s->obj, 0);

	if (!rc)
		s->checked = 1;
	return rc;
}

static int check_contract_meta(const struct ct_contract *c, struct ct_err *err,
			       json_object *m)
{
	json_object *v;

	if (!json_object_is_type(m, json_type_object))
		return invalid(c, err, "/x-contract", "must be an object");
	json_object_object_foreach(m, key, val)
	{
		if (!strcmp(key, "name") || !strcmp(key, "description")) {
			if (!json_object_is_type(val, json_type_string) ||
			    !json_object_get_string_len(val))
				return invalid(
				    c, err, "/x-contract",
				    "\"%s\" must be a non-empty string", key);
		} else if (!strcmp(key, "version")) {
			if (!json_object_is_type(val, json_type_int) ||
			    json_object_get_int(val) !=
				CT_CONTRACT_FORMAT_VERSION)
				return invalid(c, err, "/x-contract/version",
					       "format version must be %d",
					       CT_CONTRACT_FORMAT_VERSION);
		} else if (!strcmp(key, "direction")) {
			enum ct_direction d;
			if (!json_object_is_type(val, json_type_string) ||
			    ct_direction_parse(&d, json_object_get_string(val)))
				return invalid(
				    c, err, "/x-contract/direction",
				    "must be provider-to-consumer, consumer-to-provider, exact or superset");
		} else if (!strcmp(key, "sources")) {
			if (!json_object_is_type(val, json_type_object))
				return invalid(c, err, "/x-contract/sources",
					       "must be an object");
			json_object_object_foreach(val, side, src)
			{
				if (!json_object_is_type(src, json_type_object))
					return invalid(
					    c, err, "/x-contract/sources",
					    "\"%s\" must be an object", side);
				json_object_object_foreach(src, sk, sv)
				{
					if (strcmp(sk, "repo") &&
					    strcmp(sk, "ref") &&
					    strcmp(sk, "commit") &&
					    strcmp(sk, "path"))
						return invalid(
						    c, err,
						    "/x-contract/sources",
						    "unknown key \"%s\" in source \"%s\"",
						    sk, side);
					if (!json_object_is_type(
						sv, json_type_string))
						return invalid(
						    c, err,
						    "/x-contract/sources",
						    "\"%s\" of source \"%s\" must be a string",
						    sk, side);
				}
			}
		} else {
			return invalid(c, err, "/x-contract",
				       "unknown key \"%s\"", key);
		}
	}
	if (!json_object_object_get_ex(m, "name", &v))
		return invalid(c, err, "/x-contract", "missing key \"name\"");
	if (!json_object_object_get_ex(m, "version", &v))
		return invalid(c, err, "/x-contract",
			       "missing key \"version\"");
	return 0;
}

static const char *const route_methods[] = {
    "GET",  "POST",    "PUT",	"PATCH",     "DELETE",
    "HEAD", "OPTIONS", "TRACE", "WEBSOCKET", "ANY"};

/* Members a route may have besides method and path: the names of its
 * response and request-body shapes, and, for routes outside the served
 * application, the application or the router they sit on. */
static const char *const route_extras[] = {"response", "body", "app", "router"};

static int check_routes(const struct ct_contract *c, struct ct_err *err,
			json_object *v)
{
	size_t n;

	if (!json_object_is_type(v, json_type_array))
		return invalid(c, err, "/x-routes", "must be an array");
	n = json_object_array_length(v);
	if (n > CT_MAX_ROUTES)
		return invalid(c, err, "/x-routes",
			       "more than %d routes (the limit)",
			       CT_MAX_ROUTES);
	for (size_t i = 0; i < n; i++) {
		json_object *r = json_object_array_get_idx(v, i), *m, *p;
		char ptr[64];
		int ok = 0;
		snprintf(ptr, sizeof(ptr), "/x-routes/%zu", i);
		if (!json_object_is_type(r, json_type_object) ||
		    !json_object_object_get_ex(r, "method", &m) ||
		    !json_object_object_get_ex(r, "path", &p) ||
		    !json_object_is_type(m, json_type_string) ||
		    !json_object_is_type(p, json_type_string))
			return invalid(
			    c, err, ptr,
			    "a route is {\"method\": ..., \"path\": ...}");
		json_object_object_foreach(r, key, val)
		{
			int known =
			    !strcmp(key, "method") || !strcmp(key, "path");
			for (size_t k = 0;
			     k < sizeof(route_extras) / sizeof(*route_extras);
			     k++)
				known |= !strcmp(key, route_extras[k]);
			if (!known)
				return invalid(c, err, ptr,
					       "unknown route member \"%s\"",
					       key);
			if (!json_object_is_type(val, json_type_string))
				return invalid(c, err, ptr,
					       "\"%s\" must be a string", key);
		}
		for (size_t k = 0;
		     k < sizeof(route_methods) / sizeof(*route_methods); k++)
			ok |= !strcmp(json_object_get_string(m),
				      route_methods[k]);
		if (!ok)
			return invalid(c, err, ptr, "unknown method \"%s\"",
				       json_object_get_string(m));
		if (json_object_get_string(p)[0] != '/')
			return invalid(c, err, ptr,
				       "path \"%s\" must start with /",
				       json_object_get_string(p));
	}
	{
		struct checker k = {(struct ct_contract *)c, err};
		struct path at = {NULL, "x-routes"};
		return check_unique(&k, &at, v, "route");
	}
}

static int check_head(const struct ct_contract *c, struct ct_err *err)
{
	json_object *h = c->head, *v;
	struct checker k = {(struct ct_contract *)c, err};
	struct path events = {NULL, "x-events"}, lists = {NULL, "x-lists"};

	if (!json_object_is_type(h, json_type_object))
		return invalid(c, err, "",
			       "a contract document is a JSON object");
	if (c->nshapes > CT_MAX_SHAPES)
		return invalid(c, err, "/$defs",
			       "more than %d shapes (the limit)",
			       CT_MAX_SHAPES);
	json_object_object_foreach(h, key, val)
	{
		int rc = 0;
		if (!strcmp(key, "$schema") || !strcmp(key, "$id") ||
		    !strcmp(key, "title") || !strcmp(key, "description") ||
		    !strcmp(key, "$comment")) {
			if (!json_object_is_type(val, json_type_string))
				rc =
				    invalid_key(c, err, key,
						"\"%s\" must be a string", key);
		} else if (!strcmp(key, "x-contract")) {
			rc = check_contract_meta(c, err, val);
		} else if (!strcmp(key, "x-events")) {
			rc = check_string_array(&k, &events, val, "event");
		} else if (!strcmp(key, "x-routes")) {
			rc = check_routes(c, err, val);
		} else if (!strcmp(key, "x-lists")) {
			if (!json_object_is_type(val, json_type_object)) {
				rc = invalid(c, err, "/x-lists",
					     "must be an object");
			} else {
				json_object_object_foreach(val, lk, lv)
				{
					struct path list = {&lists, lk};
					if (rc)
						break;
					rc = check_string_array(&k, &list, lv,
								"list item");
				}
			}
		} else if (!strcmp(key, "$defs")) {
			/* shapes are held apart; an empty placeholder remains
			 */
		} else {
			rc =
			    invalid_key(c, err, key, "unknown key \"%s\"", key);
		}
		if (rc)
			return rc;
	}
	if (!json_object_object_get_ex(h, "x-contract", &v))
		return invalid(
		    c, err, "",
		    "missing key \"x-contract\": this is not a contract document");
	return 0;
}

int ct_contract_validate(struct ct_contract *c, struct ct_err *err)
{
	int rc = check_head(c, err);

	for (size_t i = 0; !rc && i < c->nshapes; i++) {
		json_object *o;
		if ((rc = ct_contract_shape_get(&o, c, i, err)))
			break;
		ct_contract_shape_put(c, i);
	}
	return rc;
}

/* ---- loading --------------------------------------------------------------
 */

/* Parses checked text with json-c; one tokener serves all of a document's
 * shapes, which saves an allocation per shape. */
static json_object *parse_span(struct ct_contract *c, const char *s, size_t len)
{
	json_object *o;

	if (len > INT_MAX)
		return NULL;
	if (!c->tok) {
		c->tok = json_tokener_new_ex(CT_JSON_MAX_DEPTH + 2);
		if (!c->tok)
			CT_BUG("json_tokener_new_ex failed");
		json_tokener_set_flags(c->tok, JSON_TOKENER_STRICT);
	} else {
		json_tokener_reset(c->tok);
	}
	o = json_tokener_parse_ex(c->tok, s, (int)len);
	if (!o && json_tokener_get_error(c->tok) == json_tokener_continue)
		o = json_tokener_parse_ex(c->tok, "", 1);
	return o;
}

int ct_contract_shape_get(json_object **out, struct ct_contract *c, size_t i,
			  struct ct_err *err)
{
	struct ct_shape *s = shape_at(c, i);

	if (!s->obj && s->from_text) {
		s->obj = parse_span(c, c->text.ptr + s->span.off, s->span.len);
		if (!s->obj)
			return ct_err_at(err, CT_EPARSE, c->path, s->line,
					 s->col, "cannot parse shape \"%s\"",
					 s->name);
	}
	if (!s->checked) {
		int rc = check_shape(c, s, err);
		if (rc)
			return rc;
	}
	*out = s->obj;
	return 0;
}

int ct_contract_shape_text(const char **text, size_t *len,
			   const struct ct_contract *c, size_t i)
{
	const struct ct_shape *s = shape_at(c, i);

	if (!s->from_text)
		return CT_ENOTFOUND;
	*text = c->text.ptr + s->span.off;
	*len = s->span.len;
	return 0;
}

int ct_contract_shape_check_as(struct ct_contract *c, size_t i,
			       json_object *shape, struct ct_err *err)
{
	struct ct_shape *s = shape_at(c, i);
	int rc;

	if (s->checked)
		return 0;
	if (s->obj)
		return check_shape(c, s, err);
	s->obj = shape;
	rc = check_shape(c, s, err);
	s->obj = NULL;
	return rc;
}

void ct_contract_shape_put(struct ct_contract *c, size_t i)
{
	struct ct_shape *s = shape_at(c, i);

	if (s->from_text) {
		json_object_put(s->obj);
		s->obj = NULL;
	}
}

/* Indexes the document while ct_json_scan() checks it. Members of a
 * top-level object arrive before the member holding them, so they are taken
 * as shapes and given back unless that member turns out to be "$defs". */
struct indexer {
	struct ct_contract *c;
	size_t first_child; /* shapes pushed since the last top-level member */
};

static void index_visit(void *data, unsigned depth, const char *key,
			size_t key_len, struct ct_json_span v, unsigned line,
			unsigned col)
{
	struct indexer *ix = data;
	struct ct_contract *c = ix->c;
	struct member_pos *m;
	struct ct_shape *s;

	(void)key_len;
	if (depth == 1) {
		s = push_shape(c, key);
		s->from_text = 1;
		s->span = v;
		s->line = line;
		s->col = col;
		return;
	}
	if (strcmp(key, "$defs")) {
		while (c->nshapes > ix->first_child)
			free_shape(c->shapes[--c->nshapes]);
	}
	ix->first_child = c->nshapes;
	c->members = ct_xgrow(c->members, &c->cap_members, c->nmembers + 1,
			      sizeof(*c->members));
	m = &c->members[c->nmembers++];
	memset(m, 0, sizeof(*m));
	m->key = ct_xstrdup(key);
	m->span = v;
	m->line = line;
	m->col = col;
}

static struct ct_contract *contract_alloc(const char *path)
{
	struct ct_contract *c = ct_xcalloc(1, sizeof(*c));
	struct ct_buf init = CT_BUF_INIT;

	c->text = init;
	c->path = path ? ct_xstrdup(path) : NULL;
	return c;
}

int ct_contract_parse(struct ct_contract **out, struct ct_buf *text,
		      const char *path, struct ct_err *err)
{
	struct ct_contract *c = contract_alloc(path);
	struct member_pos *defs;
	struct indexer ix = {c, 0};
	struct ct_buf head = CT_BUF_INIT;
	int rc;

	c->text = *text;
	text->ptr = ct_buf_empty;
	text->len = text->cap = 0;
	ct_json_drop_bom(&c->text);
	if ((rc = ct_json_scan(c->text.ptr, c->text.len, CT_JSON_MAX_DEPTH,
			       c->path, index_visit, &ix, err)))
		goto fail;
	/* children of the last member that was not "$defs" stay pending */
	while (c->nshapes > ix.first_child)
		free_shape(c->shapes[--c->nshapes]);
	for (size_t i = 0; i < c->nmembers; i++) {
		for (size_t j = 0; j < i; j++) {
			if (!strcmp(c->members[i].key, c->members[j].key)) {
				rc = ct_err_at(
				    err, CT_EINVAL, c->path, c->members[i].line,
				    c->members[i].col,
				    "not a valid contract: /: key \"%s\" appears twice",
				    c->members[i].key);
				goto fail;
			}
		}
	}
	{
		const char *p = c->text.ptr;
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (*p != '{') {
			rc = ct_err_at(
			    err, CT_EINVAL, c->path, 1, 1,
			    "not a valid contract: a contract document is a JSON object");
			goto fail;
		}
	}
	/* The head is the document with "$defs" emptied; shapes stay text. */
	defs = find_member_pos(c, "$defs");
	if (defs) {
		const char *p = c->text.ptr + defs->span.off;
		if (*p != '{') {
			rc = ct_err_at(
			    err, CT_EINVAL, c->path, defs->line, defs->col,
			    "not a valid contract: /$defs: must be an object");
			goto fail;
		}
		ct_buf_add(&head, c->text.ptr, defs->span.off);
		ct_buf_adds(&head, "{}");
		ct_buf_adds(&head,
			    c->text.ptr + defs->span.off + defs->span.len);
		c->head = parse_span(c, head.ptr, head.len);
	} else {
		c->head = parse_span(c, c->text.ptr, c->text.len);
	}
	if (!c->head) {
		rc = ct_err_at(err, CT_EPARSE, c->path, 0, 0,
			       "cannot parse the document");
		goto fail;
	}
	json_object_object_del(c->head, "$defs");
	if (c->nshapes > 1)
		qsort(c->shapes, c->nshapes, sizeof(*c->shapes), cmp_shape);
	c->nmain = c->nshapes;
	for (size_t i = 1; i < c->nshapes; i++) {
		if (!strcmp(c->shapes[i]->name, c->shapes[i - 1]->name)) {
			struct ct_shape *s =
			    c->shapes[i]->span.off > c->shapes[i - 1]->span.off
				? c->shapes[i]
				: c->shapes[i - 1];
			rc = ct_err_at(
			    err, CT_EINVAL, c->path, s->line, s->col,
			    "not a valid contract: /$defs: shape \"%s\" defined twice",
			    s->name);
			goto fail;
		}
	}
	if ((rc = check_head(c, err)))
		goto fail;
	ct_buf_release(&head);
	*out = c;
	return 0;
fail:
	ct_buf_release(&head);
	ct_contract_free(c);
	return rc;
}

int ct_contract_load(struct ct_contract **out, const char *path, size_t max,
		     struct ct_err *err)
{
	struct ct_buf text = CT_BUF_INIT;
	int rc =
	    ct_file_read(&text, path, max ? max : CT_FILE_MAX_DEFAULT, err);

	if (!rc)
		rc = ct_contract_parse(out, &text, path, err);
	ct_buf_release(&text);
	return rc;
}

struct ct_contract *ct_contract_new(const char *name, enum ct_direction dir)
{
	struct ct_contract *c = contract_alloc(NULL);
	json_object *meta = json_object_new_object();

	c->head = json_object_new_object();
	json_object_object_add(c->head, "$schema",
			       json_object_new_string(CT_JSON_SCHEMA_DIALECT));
	json_object_object_add(meta, "name", json_object_new_string(name));
	json_object_object_add(meta, "version",
			       json_object_new_int(CT_CONTRACT_FORMAT_VERSION));
	json_object_object_add(meta, "direction",
			       json_object_new_string(ct_direction_name(dir)));
	json_object_object_add(c->head, "x-contract", meta);
	return c;
}

void ct_contract_free(struct ct_contract *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nshapes; i++) {
		free_shape(c->shapes[i]);
	}
	for (size_t i = 0; i < c->nmembers; i++) {
		free(c->members[i].key);
		free(c->members[i].elems);
		free(c->members[i].elines);
		free(c->members[i].ecols);
	}
	for (size_t i = 0; i < c->norigins; i++) {
		free(c->origins[i].pointer);
		free(c->origins[i].repo);
		free(c->origins[i].commit);
		free(c->origins[i].path);
	}
	free(c->shapes);
	free(c->slots);
	free(c->members);
	free(c->origins);
	json_object_put(c->head);
	if (c->tok)
		json_tokener_free(c->tok);
	ct_buf_release(&c->text);
	free(c->path);
	free(c);
}

/* ---- accessors ---------------------------------------------------------- */

static json_object *meta_get(const struct ct_contract *c, const char *key)
{
	json_object *m, *v;

	if (c->head && json_object_object_get_ex(c->head, "x-contract", &m) &&
	    json_object_object_get_ex(m, key, &v))
		return v;
	return NULL;
}

const char *ct_contract_name(const struct ct_contract *c)
{
	json_object *v = meta_get(c, "name");
	return v ? json_object_get_string(v) : NULL;
}

const char *ct_contract_path(const struct ct_contract *c)
{
	return c->path;
}

int ct_contract_direction(const struct ct_contract *c, enum ct_direction *out)
{
	json_object *v = meta_get(c, "direction");

	if (!v || ct_direction_parse(out, json_object_get_string(v)))
		return CT_ENOTFOUND;
	return 0;
}

json_object *ct_contract_member(const struct ct_contract *c, const char *key)
{
	json_object *v;

	if (c->head && json_object_object_get_ex(c->head, key, &v))
		return v;
	return NULL;
}

size_t ct_contract_origin_count(const struct ct_contract *c)
{
	return c->norigins;
}

const char *ct_contract_origin_at(struct ct_origin *out,
				  const struct ct_contract *c, size_t i)
{
	const struct origin_entry *e = &c->origins[i];

	out->repo = e->repo;
	out->commit = e->commit;
	out->path = e->path;
	out->line = e->line;
	return e->pointer;
}

int ct_contract_from_json(struct ct_contract **out, json_object *root,
			  struct ct_err *err)
{
	struct ct_contract *c;
	json_object *defs = NULL;

	if (!json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		return ct_err_set(err, CT_EPARSE,
				  "a contract is a JSON object");
	}
	c = contract_alloc(NULL);
	c->head = json_object_new_object();
	json_object_object_foreach(root, key, val)
	{
		if (!strcmp(key, "$defs"))
			defs = val;
		else
			json_object_object_add(c->head, key,
					       json_object_get(val));
	}
	if (defs && json_object_is_type(defs, json_type_object)) {
		json_object_object_foreach(defs, name, shape)
		    ct_contract_add_shape(c, name, json_object_get(shape),
					  NULL);
	}
	json_object_put(root);
	*out = c;
	return 0;
}

void ct_contract_set_member(struct ct_contract *c, const char *key,
			    json_object *value)
{
	json_object_object_add(c->head, key, value);
}

/* ---- canonical writer --------------------------------------------------- */

static int cmp_json_string(const void *a, const void *b)
{
	return strcmp(json_object_get_string(*(json_object *const *)a),
		      json_object_get_string(*(json_object *const *)b));
}

static const char *route_field(json_object *r, const char *key)
{
	json_object *v;
	return json_object_object_get_ex(r, key, &v) ? json_object_get_string(v)
						     : "";
}

static int cmp_route(const void *a, const void *b)
{
	json_object *x = *(json_object *const *)a,
		    *y = *(json_object *const *)b;
	int d = strcmp(route_field(x, "path"), route_field(y, "path"));
	return d ? d
		 : strcmp(route_field(x, "method"), route_field(y, "method"));
}

struct sort_item {
	json_object *o;
	size_t was;
	int (*cmp)(const void *, const void *);
};

static int cmp_item(const void *a, const void *b)
{
	const struct sort_item *x = a, *y = b;
	int d = x->cmp(&x->o, &y->o);

	/* equal items keep their order: the same input, the same bytes */
	return d ? d : (x->was > y->was) - (x->was < y->was);
}

/* Sorts the array member `key` and moves the origins noted on its items
 * ("/key/3", "/key/3/...") along with them. */
static void sort_member(struct ct_contract *c, const char *key,
			int (*cmp)(const void *, const void *))
{
	json_object *v = ct_contract_member(c, key), *sorted;
	struct sort_item *items;
	size_t n, *now, plen = strlen(key) + 2;
	int moved = 0;

	if (!v || !json_object_is_type(v, json_type_array) ||
	    (n = json_object_array_length(v)) < 2)
		return;
	items = ct_xcalloc(n, sizeof(*items));
	now = ct_xcalloc(n, sizeof(*now));
	for (size_t i = 0; i < n; i++) {
		items[i].o = json_object_array_get_idx(v, i);
		items[i].was = i;
		items[i].cmp = cmp;
	}
	qsort(items, n, sizeof(*items), cmp_item);
	sorted = json_object_new_array_ext((int)n);
	for (size_t i = 0; i < n; i++) {
		json_object_array_add(sorted, json_object_get(items[i].o));
		now[items[i].was] = i;
		moved |= items[i].was != i;
	}
	json_object_object_add(c->head, key, sorted);
	for (size_t i = 0; moved && i < c->norigins; i++) {
		char *p = c->origins[i].pointer, *end;
		unsigned long long at;
		struct ct_buf b = CT_BUF_INIT;
		if (strncmp(p, "/", 1) || strncmp(p + 1, key, plen - 2) ||
		    p[plen - 1] != '/' || p[plen] < '0' || p[plen] > '9')
			continue;
		at = strtoull(p + plen, &end, 10);
		if ((*end && *end != '/') || at >= n)
			continue;
		ct_buf_addf(&b, "/%s/%zu%s", key, now[at], end);
		free(p);
		c->origins[i].pointer = ct_buf_detach(&b, NULL);
	}
	if (moved && c->slots) { /* pointers changed: hash them again */
		c->hashed = 0;
		memset(c->slots, 0, c->nslots * sizeof(*c->slots));
	}
	free(items);
	free(now);
}

void ct_contract_canonicalize(struct ct_contract *c)
{
	sort_member(c, "x-events", cmp_json_string);
	sort_member(c, "x-routes", cmp_route);
}

int ct_contract_write(struct ct_buf *out, struct ct_contract *c,
		      struct ct_err *err)
{
	size_t start = out->len;
	int rc;

	if ((rc = check_head(c, err)))
		return rc;
	/* Events and routes are sets: their canonical order is sorted. */
	ct_contract_canonicalize(c);
	/* The head has no "$defs"; splice the shapes in at their sorted key. */
	json_object_object_add(c->head, "$defs", json_object_new_object());
	ct_json_write(out, c->head, 0);
	json_object_object_del(c->head, "$defs");
	if (c->nshapes) {
		/* a raw newline cannot occur inside a string, so this is the
		 * key */
		static const char empty[] = "\n  \"$defs\": {}";
		char *at = strstr(out->ptr + start, empty);
		size_t before, tail_len;
		char *tail;
		if (!at)
			CT_BUG("canonical head lost its $defs");
		before = (size_t)(at - out->ptr) + strlen(empty) - 1;
		tail = ct_xstrdup(out->ptr + before);
		tail_len = strlen(tail);
		out->len = before;
		for (size_t i = 0; i < c->nshapes; i++) {
			json_object *o;
			if ((rc = ct_contract_shape_get(&o, c, i, err))) {
				free(tail);
				return rc;
			}
			ct_buf_adds(out, "\n    ");
			ct_json_write_string(out, shape_at(c, i)->name,
					     strlen(shape_at(c, i)->name));
			ct_buf_adds(out, ": ");
			ct_json_write(out, o, 2);
			ct_contract_shape_put(c, i);
			if (i + 1 < c->nshapes)
				ct_buf_addch(out, ',');
		}
		ct_buf_adds(out, "\n  ");
		ct_buf_add(out, tail, tail_len);
		free(tail);
	}
	ct_buf_addch(out, '\n');
	return 0;
}
