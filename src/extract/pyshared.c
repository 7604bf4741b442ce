#include "pyshared.h"

#include "contracts/json.h"
#include "contracts/xalloc.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void index_class(const struct ct_pymodule *m,
			const struct ct_pystmt *cls, void *data)
{
	struct pyset *set = data;
	struct classref *r;

	set->classes = ct_xgrow(set->classes, &set->capclasses,
				set->nclasses + 1, sizeof(*set->classes));
	r = &set->classes[set->nclasses];
	r->name = cls->name;
	r->m = m;
	r->cls = cls;
	r->order = set->nclasses++;
}

static int cmp_classref(const void *a, const void *b)
{
	const struct classref *x = a, *y = b;
	int d = strcmp(x->name, y->name);

	return d ? d : (x->order > y->order) - (x->order < y->order);
}

/* Indexes every class by name once, so lookups are O(log n). */
static void index_classes(struct pyset *set)
{
	each_class(set, index_class, set);
	if (set->nclasses > 1)
		qsort(set->classes, set->nclasses, sizeof(*set->classes),
		      cmp_classref);
}

/* Without a view, the files given are the repository: read from memory. */
static int read_given(void *data, const char *path, struct ct_buf *out,
		      struct ct_err *err)
{
	const struct pyset *set = data;

	for (size_t i = 0; i < set->nfiles; i++)
		if (!strcmp(set->files[i].path, path)) {
			ct_buf_add(out, set->files[i].data, set->files[i].len);
			return 0;
		}
	return ct_err_set(err, CT_ENOTFOUND, "no file %s", path);
}

void pyset_problem(const struct pyset *set, const struct ct_err *err)
{
	if (set->ctx->problems)
		ct_errs_add(set->ctx->problems, err);
}

static void set_view(struct pyset *set, const struct ct_extract_ctx *ctx,
		     const struct ct_source_file *files, size_t n,
		     const char **paths, unsigned flags)
{
	memset(set, 0, sizeof(*set));
	set->ctx = ctx;
	set->files = files;
	set->nfiles = n;
	for (size_t i = 0; i < n; i++)
		paths[i] = files[i].path;
	set->view = ctx->view;
	if (!set->view)
		set->view = set->own =
		    ct_pyrepo_new(paths, n, read_given, set, flags);
}

/* The name of `filter` under the context's options: what its answer on a
 * file depends on besides the file (see ct_pyrepo_set_filter_key). */
static void filter_key(struct ct_buf *out, ct_pyrepo_filter_fn filter,
		       const struct ct_extract_ctx *ctx)
{
	unsigned char fn[sizeof(filter)];

	memcpy(fn, &filter, sizeof(fn));
	for (size_t i = 0; i < sizeof(fn); i++)
		ct_buf_addf(out, "%02x", fn[i]);
	ct_buf_addch(out, ' ');
	ct_buf_adds(out, ctx->options
			     ? json_object_to_json_string_ext(
				   ctx->options, JSON_C_TO_STRING_PLAIN)
			     : "");
}

int pyset_parse(struct pyset *set, const struct ct_extract_ctx *ctx,
		const struct ct_source_file *files, size_t n, unsigned flags,
		struct ct_err *err)
{
	return pyset_parse_if(set, ctx, files, n, flags, NULL, NULL, err);
}

int pyset_parse_if(struct pyset *set, const struct ct_extract_ctx *ctx,
		   const struct ct_source_file *files, size_t n, unsigned flags,
		   ct_pyrepo_filter_fn filter, void *data, struct ct_err *err)
{
	const char **paths = ct_xcalloc(n ? n : 1, sizeof(*paths));
	unsigned char *kept = ct_xcalloc(n ? n : 1, 1);
	int rc = 0;

	set_view(set, ctx, files, n, paths, flags);
	{
		struct ct_buf key = CT_BUF_INIT;
		if (filter)
			filter_key(&key, filter, ctx);
		ct_pyrepo_set_filter_key(set->view, filter ? key.ptr : NULL);
		ct_pyrepo_prefetch(set->view, paths, n, filter, data, kept,
				   (flags & CT_PY_DROP_BODIES) != 0);
		ct_pyrepo_set_filter_key(set->view, NULL);
		ct_buf_release(&key);
	}
	set->mods = ct_xcalloc(n ? n : 1, sizeof(*set->mods));
	for (size_t i = 0; i < n; i++) {
		struct ct_err e = CT_ERR_INIT;
		if (!kept[i])
			continue;
		if ((flags & CT_PY_DROP_BODIES ? ct_pyrepo_module_lite
					       : ct_pyrepo_module)(
			&set->mods[set->n], set->view, paths[i], &e)) {
			if (ctx->problems) {
				ct_errs_add(ctx->problems, &e);
				continue;
			}
			if (!rc)
				*err = e;
			rc = e.code ? e.code : CT_EPARSE;
			continue;
		}
		set->n++;
	}
	free(paths);
	free(kept);
	if (rc && !ctx->keep_going) {
		pyset_release(set);
		return rc;
	}
	index_classes(set);
	return rc;
}

int pyset_scan(const struct ct_extract_ctx *ctx,
	       const struct ct_source_file *files, size_t n,
	       ct_pyrepo_filter_fn filter, ct_pyrepo_visit_fn visit, void *data,
	       struct ct_err *err)
{
	const char **paths = ct_xcalloc(n ? n : 1, sizeof(*paths));
	struct ct_errs own = CT_ERRS_INIT;
	struct pyset set;
	int rc = 0;

	set_view(&set, ctx, files, n, paths, 0);
	/* the visits resolve names through the context's view: without
	 * one, through the files' own for the time of the scan */
	((struct ct_extract_ctx *)ctx)->view = set.view;
	{
		struct ct_buf key = CT_BUF_INIT;
		if (filter)
			filter_key(&key, filter, ctx);
		ct_pyrepo_set_filter_key(set.view, filter ? key.ptr : NULL);
		ct_pyrepo_scan(set.view, paths, n, filter, visit, data,
			       ctx->problems ? ctx->problems : &own);
		ct_pyrepo_set_filter_key(set.view, NULL);
		ct_buf_release(&key);
	}
	((struct ct_extract_ctx *)ctx)->view = set.own ? NULL : set.view;
	if (own.n) { /* no list to keep them: the first is the error */
		*err = own.v[0];
		rc = own.v[0].code ? own.v[0].code : CT_EPARSE;
	}
	ct_errs_release(&own);
	ct_pyrepo_free(set.own);
	free(paths);
	return rc;
}

void pyset_release(struct pyset *set)
{
	ct_pyrepo_free(set->own);
	free(set->mods);
	free(set->classes);
	memset(set, 0, sizeof(*set));
}

int opt_has(json_object *options, const char *key, const char *const *defaults,
	    const char *name)
{
	json_object *arr;

	if (options && json_object_object_get_ex(options, key, &arr) &&
	    json_object_is_type(arr, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(arr); i++)
			if (!strcmp(json_object_get_string(
					json_object_array_get_idx(arr, i)),
				    name))
				return 1;
		return 0;
	}
	for (; defaults && *defaults; defaults++)
		if (!strcmp(*defaults, name))
			return 1;
	return 0;
}

const char *opt_string(json_object *options, const char *key)
{
	json_object *v;

	if (options && json_object_object_get_ex(options, key, &v) &&
	    json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return NULL;
}

void origin_of(struct ct_origin *o, const struct ct_extract_ctx *ctx,
	       const struct ct_pymodule *m, unsigned line)
{
	o->repo = ctx->repo;
	o->commit = ctx->commit;
	o->path = m->path;
	o->line = line;
}

void note_origin(const struct ct_extract_ctx *ctx, const struct ct_pymodule *m,
		 unsigned line, const char *fmt, ...)
{
	struct ct_buf ptr = CT_BUF_INIT;
	struct ct_origin o;
	va_list ap;

	if (!ctx)
		return;
	va_start(ap, fmt);
	ct_buf_vaddf(&ptr, fmt, ap);
	va_end(ap);
	origin_of(&o, ctx, m, line);
	ct_contract_set_origin(ctx->out, ptr.ptr, &o);
	ct_buf_release(&ptr);
}

static void classes_in(const struct ct_pymodule *m,
		       const struct ct_pystmt *body, size_t n,
		       void (*fn)(const struct ct_pymodule *,
				  const struct ct_pystmt *, void *),
		       void *data)
{
	for (size_t i = 0; i < n; i++) {
		const struct ct_pystmt *s = &body[i];
		if (s->kind == CT_PY_CLASS) {
			fn(m, s, data);
			classes_in(m, s->body, s->nbody, fn, data);
		} else if (s->kind == CT_PY_BLOCK) {
			classes_in(m, s->body, s->nbody, fn, data);
		}
	}
}

void each_class(const struct pyset *set,
		void (*fn)(const struct ct_pymodule *, const struct ct_pystmt *,
			   void *),
		void *data)
{
	for (size_t i = 0; i < set->n; i++)
		classes_in(set->mods[i], set->mods[i]->body,
			   set->mods[i]->nbody, fn, data);
}

const struct ct_pystmt *find_class(const struct pyset *set, const char *name,
				   const struct ct_pymodule **mod)
{
	size_t lo = 0, hi = set->nclasses;

	/* the first of equal names: the lowest index whose name is not less */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(set->classes[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == set->nclasses || strcmp(set->classes[lo].name, name)) {
		if (mod)
			*mod = NULL;
		return NULL;
	}
	if (mod)
		*mod = set->classes[lo].m;
	return set->classes[lo].cls;
}

int class_wanted(json_object *options, const char *name)
{
	if (!options || !json_object_object_get_ex(options, "classes", NULL))
		return 1;
	return opt_has(options, "classes", NULL, name);
}

const char *shape_name(json_object *options, const char *name)
{
	json_object *map, *v;

	if (options && json_object_object_get_ex(options, "rename", &map) &&
	    json_object_object_get_ex(map, name, &v) &&
	    json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return name;
}

const char *base_name(const struct ct_pyexpr *base, char *buf, size_t size)
{
	const char *dot;

	if (base &&
	    base->kind == CT_PY_SUBSCRIPT) /* Generic[T], BaseModel[X] */
		base = base->value;
	ct_pyexpr_dotted(base, buf, size);
	dot = strrchr(buf, '.');
	if (dot)
		memmove(buf, dot + 1, strlen(dot));
	return buf;
}

static const char *const enum_bases[] = {"Enum", "StrEnum", "IntEnum",
					 "Flag", "IntFlag", NULL};

int resolve_class(const struct pyset *set, const struct ct_pymodule *m,
		  const struct ct_pyexpr *e, const struct ct_pymodule **cm,
		  const struct ct_pystmt **cls)
{
	struct ct_pyname name;
	struct ct_err err = CT_ERR_INIT;
	char last[256];
	int rc = ct_pyrepo_resolve(&name, set->view, m, e, &err);

	if (!rc && name.kind == CT_PYNAME_CLASS) {
		*cm = name.module;
		*cls = name.cls;
		return 1;
	}
	if (!rc) /* outside the repository, or not a class */
		return 0;
	if (err.code && !set->own) {
		/* an import of the repository names nothing: reported */
		pyset_problem(set, &err);
		return 0;
	}
	/* not visible through imports (loose files, a name defined at run
	 * time): a class of that name among the files read */
	base_name(e, last, sizeof(last));
	*cls = last[0] ? find_class(set, last, cm) : NULL;
	return *cls != NULL;
}

int derives_from(const struct pyset *set, const struct ct_pymodule *m,
		 const struct ct_pystmt *cls,
		 int (*is_root)(json_object *options, const char *base),
		 json_object *options, unsigned depth)
{
	char name[256];

	if (depth > 32 || !cls->bases)
		return 0;
	for (size_t i = 0; i < cls->bases->nitems; i++) {
		const struct ct_pystmt *parent;
		const struct ct_pymodule *pm;
		base_name(cls->bases->items[i], name, sizeof(name));
		if (!name[0])
			continue;
		if (is_root(options, name))
			return 1;
		if (resolve_class(set, m, cls->bases->items[i], &pm, &parent) &&
		    parent != cls &&
		    derives_from(set, pm, parent, is_root, options, depth + 1))
			return 1;
	}
	return 0;
}

static int enum_root(json_object *options, const char *base)
{
	return opt_has(NULL, "", enum_bases, base) ||
	       opt_has(options, "bases", NULL, base);
}

int is_enum_class(const struct pyset *set, const struct ct_pymodule *m,
		  const struct ct_pystmt *cls, json_object *options,
		  unsigned depth)
{
	return derives_from(set, m, cls, enum_root, options, depth);
}

/* Enum members: plain or annotated assignments of one name in the class
 * body; sunder and dunder names, and those listed in _ignore_, are not. */
static int ignored(const struct ct_pystmt *cls, const char *name)
{
	size_t n = strlen(name);

	if (n > 1 && name[0] == '_' && name[n - 1] == '_')
		return 1; /* _sunder_ and __dunder__ */
	if (name[0] == '_' && name[1] == '_')
		return 1; /* private */
	for (size_t i = 0; i < cls->nbody; i++) {
		const struct ct_pystmt *s = &cls->body[i];
		json_object *v;
		int hit = 0;
		if (s->kind != CT_PY_ASSIGN || s->ntargets != 1 ||
		    s->targets[0]->kind != CT_PY_NAME ||
		    strcmp(s->targets[0]->str, "_ignore_"))
			continue;
		ct_pyexpr_literal(&v, s->value);
		if (json_object_is_type(v, json_type_string)) {
			/* "a b" or "a, b" */
			char *copy = ct_xstrdup(json_object_get_string(v));
			for (char *t = strtok(copy, " ,"); t;
			     t = strtok(NULL, " ,"))
				hit |= !strcmp(t, name);
			free(copy);
		} else if (json_object_is_type(v, json_type_array)) {
			for (size_t k = 0; k < json_object_array_length(v); k++)
				hit |= !strcmp(
				    json_object_get_string(
					json_object_array_get_idx(v, k)),
				    name);
		}
		json_object_put(v);
		if (hit)
			return 1;
	}
	return 0;
}

static int is_auto(const struct ct_pyexpr *e)
{
	char name[64];

	return e && e->kind == CT_PY_CALL &&
	       !strcmp(base_name(e->value, name, sizeof(name)), "auto");
}

json_object *enum_shape(const struct ct_extract_ctx *ctx,
			const struct ct_pymodule *m,
			const struct ct_pystmt *cls)
{
	json_object *shape = json_object_new_object();
	json_object *values = json_object_new_array();
	struct ct_buf unknown = CT_BUF_INIT;
	int strings = 1, ints = 1;

	for (size_t i = 0; i < cls->nbody; i++) {
		const struct ct_pystmt *s = &cls->body[i];
		const struct ct_pyexpr *t;
		json_object *v;
		if ((s->kind != CT_PY_ASSIGN && s->kind != CT_PY_ANNASSIGN) ||
		    s->ntargets != 1 || !s->value)
			continue;
		t = s->targets[0];
		if (t->kind != CT_PY_NAME || ignored(cls, t->str))
			continue;
		if (is_auto(s->value) || ct_pyexpr_literal(&v, s->value)) {
			ct_buf_addf(&unknown, "%s%s", unknown.len ? ", " : "",
				    t->str);
			continue;
		}
		{
			struct ct_json_set *seen = ct_json_set_new(values);
			int alias = ct_json_set_has(seen, v);
			ct_json_set_free(seen);
			if (alias) { /* an alias of an earlier member */
				json_object_put(v);
				continue;
			}
		}
		strings &= json_object_is_type(v, json_type_string);
		ints &= json_object_is_type(v, json_type_int);
		note_origin(ctx, m, s->line, "/$defs/%s/enum/%zu",
			    shape_name(ctx ? ctx->options : NULL, cls->name),
			    json_object_array_length(values));
		json_object_array_add(values, v);
	}
	if (unknown.len) {
		/* values that cannot be known: no enum list, so no drift */
		struct ct_buf note = CT_BUF_INIT;
		ct_buf_addf(&note, "enum %s: the values of %s are not literals",
			    cls->name, unknown.ptr);
		json_object_object_add(shape, "x-annotation",
				       json_object_new_string(note.ptr));
		ct_buf_release(&note);
		json_object_put(values);
	} else {
		if (json_object_array_length(values) && (strings || ints))
			json_object_object_add(
			    shape, "type",
			    json_object_new_string(strings ? "string"
							   : "integer"));
		json_object_object_add(shape, "enum", values);
	}
	ct_buf_release(&unknown);
	return shape;
}
