/* python-model: pydantic models as object shapes, with the enums and
 * models they refer to. */
#include "pyshared.h"

#include "contracts/json.h"
#include "contracts/xalloc.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

static const char *const default_bases[] = {"BaseModel", NULL};

struct models {
	const struct pyset *set;
	struct ct_extract_ctx *ctx;
	const struct ct_pymodule *scope;  /* where annotations' names resolve */
	const struct ct_pystmt *busy[64]; /* shapes being built */
	size_t nbusy;
};

/* What a model's pydantic configuration says of the wire: the last word of
 * the class or its bases wins, as pydantic merges them. */
struct config {
	char extra[16]; /* "allow", "ignore", "forbid", or "" */
	int populate_by_name;
};

static int model_root(json_object *options, const char *base)
{
	return opt_has(options, "bases", default_bases, base);
}

static int is_model(const struct pyset *set, const struct ct_pymodule *m,
		    const struct ct_pystmt *cls, json_object *options,
		    unsigned depth)
{
	return derives_from(set, m, cls, model_root, options, depth);
}

static void add_shape_for(struct models *ms, const struct ct_pymodule *m,
			  const struct ct_pystmt *cls);

static json_object *unknown(const struct ct_pymodule *m,
			    const struct ct_pyexpr *e)
{
	json_object *o = json_object_new_object();
	size_t n;
	const char *text = ct_pyexpr_text(m, e, &n);

	json_object_object_add(o, "x-annotation",
			       json_object_new_string_len(text, (int)n));
	return o;
}

static json_object *type_of(const char *t)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "type", json_object_new_string(t));
	return o;
}

static json_object *annotation(struct models *ms, const struct ct_pymodule *m,
			       const struct ct_pyexpr *e, unsigned depth);

/* Makes `s` nullable: a "null" in its type list, or anyOf with null. */
static json_object *nullable(json_object *s)
{
	json_object *t, *any;

	if (json_object_object_get_ex(s, "type", &t)) {
		json_object *list = json_object_new_array();
		if (json_object_is_type(t, json_type_array)) {
			for (size_t i = 0; i < json_object_array_length(t); i++)
				json_object_array_add(
				    list, json_object_get(
					      json_object_array_get_idx(t, i)));
		} else {
			json_object_array_add(list, json_object_get(t));
		}
		json_object_array_add(list, json_object_new_string("null"));
		json_object_object_add(s, "type", list);
		return s;
	}
	if (json_object_object_get_ex(s, "$ref", NULL)) {
		json_object *o = json_object_new_object();
		any = json_object_new_array();
		json_object_array_add(any, s);
		json_object_array_add(any, type_of("null"));
		json_object_object_add(o, "anyOf", any);
		return o;
	}
	return s; /* unknown stays unknown */
}

/* Flattens a | b | c into its members. */
static void union_members(const struct ct_pyexpr *e,
			  const struct ct_pyexpr **out, size_t *n, size_t max)
{
	if (e->kind == CT_PY_BINOP && !strcmp(e->str, "|")) {
		union_members(e->items[0], out, n, max);
		union_members(e->items[1], out, n, max);
	} else if (*n < max) {
		out[(*n)++] = e;
	}
}

static json_object *union_of(struct models *ms, const struct ct_pymodule *m,
			     const struct ct_pyexpr *whole,
			     const struct ct_pyexpr **v, size_t n,
			     unsigned depth)
{
	json_object *types = json_object_new_array(), *result;
	int has_null = 0, simple = 1;
	json_object *single = NULL;
	size_t others = 0;

	for (size_t i = 0; i < n; i++) {
		json_object *s, *t;
		if (v[i]->kind == CT_PY_NONE) {
			has_null = 1;
			continue;
		}
		s = annotation(ms, m, v[i], depth + 1);
		others++;
		if (json_object_object_length(s) == 1 &&
		    json_object_object_get_ex(s, "type", &t) &&
		    json_object_is_type(t, json_type_string)) {
			json_object_array_add(types, json_object_get(t));
			json_object_put(s);
		} else {
			simple = 0;
			json_object_put(single);
			single = s;
		}
	}
	if (others == 1 && single) {
		json_object_put(types);
		return has_null ? nullable(single) : single;
	}
	json_object_put(single);
	if (!simple || !json_object_array_length(types)) {
		json_object_put(types);
		return unknown(m, whole);
	}
	if (has_null)
		json_object_array_add(types, json_object_new_string("null"));
	result = json_object_new_object();
	if (json_object_array_length(types) == 1) {
		json_object_object_add(
		    result, "type",
		    json_object_get(json_object_array_get_idx(types, 0)));
		json_object_put(types);
	} else {
		json_object_object_add(result, "type", types);
	}
	return result;
}

static json_object *annotation(struct models *ms, const struct ct_pymodule *m,
			       const struct ct_pyexpr *e, unsigned depth)
{
	char name[256];
	const struct ct_pyexpr *args[32];
	size_t nargs = 0;

	if (depth > 32)
		return unknown(m, e);
	if (e->kind == CT_PY_BINOP && !strcmp(e->str, "|")) {
		union_members(e, args, &nargs, 32);
		return union_of(ms, m, e, args, nargs, depth);
	}
	if (e->kind == CT_PY_NONE)
		return type_of("null");
	if (e->kind == CT_PY_STR) { /* a forward reference: its text */
		struct ct_pymodule *fwd = NULL;
		struct ct_err ignored = CT_ERR_INIT;
		json_object *o;
		if (ct_pymodule_parse(&fwd, e->str, strlen(e->str), m->path,
				      &ignored) ||
		    fwd->nbody != 1 || fwd->body[0].kind != CT_PY_EXPR) {
			ct_pymodule_free(fwd);
			return unknown(m, e);
		}
		o = annotation(ms, fwd, fwd->body[0].value, depth + 1);
		ct_pymodule_free(fwd);
		return o; /* names still resolve in ms->scope */
	}
	if (e->kind == CT_PY_SUBSCRIPT) {
		const struct ct_pyexpr *idx = e->items[0];
		base_name(e->value, name, sizeof(name));
		if (idx->kind == CT_PY_TUPLE) {
			for (size_t i = 0; i < idx->nitems && nargs < 32; i++)
				args[nargs++] = idx->items[i];
		} else {
			args[nargs++] = idx;
		}
		if (!strcmp(name, "Optional") && nargs == 1) {
			const struct ct_pyexpr *u[2] = {args[0], NULL};
			static struct ct_pyexpr none = {
			    CT_PY_NONE, 0,    0, 0,    0, NULL,
			    NULL,	NULL, 0, NULL, 0};
			u[1] = &none;
			return union_of(ms, m, e, u, 2, depth);
		}
		if (!strcmp(name, "Union"))
			return union_of(ms, m, e, args, nargs, depth);
		if (!strcmp(name, "Annotated") || !strcmp(name, "Required") ||
		    !strcmp(name, "NotRequired") || !strcmp(name, "Final"))
			return annotation(ms, m, args[0], depth + 1);
		if (!strcmp(name, "Literal")) {
			json_object *o = json_object_new_object();
			json_object *vals = json_object_new_array();
			int strings = 1, ints = 1;
			for (size_t i = 0; i < nargs; i++) {
				json_object *v;
				if (ct_pyexpr_literal(&v, args[i])) {
					json_object_put(vals);
					json_object_put(o);
					return unknown(m, e);
				}
				strings &=
				    json_object_is_type(v, json_type_string);
				ints &= json_object_is_type(v, json_type_int);
				json_object_array_add(vals, v);
			}
			if (strings || ints)
				json_object_object_add(
				    o, "type",
				    json_object_new_string(
					strings ? "string" : "integer"));
			json_object_object_add(o, "enum", vals);
			return o;
		}
		if (!strcmp(name, "list") || !strcmp(name, "List") ||
		    !strcmp(name, "Sequence") || !strcmp(name, "set") ||
		    !strcmp(name, "Set") || !strcmp(name, "frozenset") ||
		    !strcmp(name, "FrozenSet") || !strcmp(name, "Iterable") ||
		    ((!strcmp(name, "tuple") || !strcmp(name, "Tuple")) &&
		     nargs == 2 && args[1]->kind == CT_PY_ELLIPSIS)) {
			json_object *o = type_of("array");
			json_object_object_add(
			    o, "items", annotation(ms, m, args[0], depth + 1));
			return o;
		}
		if ((!strcmp(name, "dict") || !strcmp(name, "Dict") ||
		     !strcmp(name, "Mapping") ||
		     !strcmp(name, "MutableMapping")) &&
		    nargs == 2) {
			json_object *o = type_of("object");
			json_object *v = annotation(ms, m, args[1], depth + 1);
			if (json_object_object_length(v) == 1 &&
			    json_object_object_get_ex(v, "x-annotation",
						      NULL) &&
			    !strcmp(
				json_object_get_string(
				    json_object_object_get(v, "x-annotation")),
				"Any"))
				json_object_put(
				    v); /* dict[str, Any]: any value */
			else
				json_object_object_add(
				    o, "additionalProperties", v);
			return o;
		}
		return unknown(m, e);
	}
	if (e->kind == CT_PY_NAME || e->kind == CT_PY_ATTR) {
		static const char *const simple[][2] = {
		    {"str", "string"},	 {"int", "integer"},
		    {"float", "number"}, {"bool", "boolean"},
		    {"dict", "object"},	 {"Dict", "object"},
		    {"list", "array"},	 {"List", "array"},
		    {"set", "array"},	 {"tuple", "array"},
		};
		const struct ct_pystmt *cls;
		const struct ct_pymodule *cm;
		base_name(e, name, sizeof(name));
		for (size_t i = 0; i < sizeof(simple) / sizeof(*simple); i++)
			if (!strcmp(name, simple[i][0]))
				return type_of(simple[i][1]);
		if (resolve_class(ms->set, ms->scope, e, &cm, &cls) &&
		    (is_enum_class(ms->set, cm, cls, NULL, 0) ||
		     is_model(ms->set, cm, cls, ms->ctx->options, 0))) {
			json_object *o = json_object_new_object();
			char ref[300];
			add_shape_for(ms, cm, cls);
			snprintf(ref, sizeof(ref), "#/$defs/%s",
				 shape_name(ms->ctx->options, cls->name));
			json_object_object_add(o, "$ref",
					       json_object_new_string(ref));
			return o;
		}
	}
	return unknown(m, e);
}

/* The value of an enum member used as a default (`SseEventType.DISCOVERY`
 * is "discovery" on the wire): 1 with *out set, 0 when `e` is not one. */
static int member_value(struct models *ms, const struct ct_pyexpr *e,
			json_object **out)
{
	const struct ct_pymodule *cm;
	const struct ct_pystmt *cls;

	if (e->kind != CT_PY_ATTR ||
	    !resolve_class(ms->set, ms->scope, e->value, &cm, &cls) ||
	    !is_enum_class(ms->set, cm, cls, NULL, 0))
		return 0;
	for (size_t i = 0; i < cls->nbody; i++) {
		const struct ct_pystmt *m = &cls->body[i];
		if ((m->kind == CT_PY_ASSIGN || m->kind == CT_PY_ANNASSIGN) &&
		    m->ntargets == 1 && m->targets[0]->kind == CT_PY_NAME &&
		    !strcmp(m->targets[0]->str, e->str) && m->value)
			return !ct_pyexpr_literal(out, m->value);
	}
	return 0;
}

/* A default as JSON: 1 with *out set when it is a literal or an enum
 * member, else 0. */
static int default_value(struct models *ms, const struct ct_pyexpr *e,
			 json_object **out)
{
	return !ct_pyexpr_literal(out, e) || member_value(ms, e, out);
}

/* Field(...) analysis: whether there is a default, its JSON, an alias. */
static void field_default(struct models *ms, const struct ct_pystmt *s,
			  int *has, int *literal, json_object **def,
			  const char **alias)
{
	const struct ct_pyexpr *v = s->value, *x;
	char name[64];

	*has = *literal = 0;
	*def = NULL;
	*alias = NULL;
	if (!v)
		return;
	if (v->kind != CT_PY_CALL ||
	    strcmp(base_name(v->value, name, sizeof(name)), "Field")) {
		*has = 1;
		*literal = default_value(ms, v, def);
		return;
	}
	if ((x = ct_pycall_keyword(v, "alias")) && x->kind == CT_PY_STR)
		*alias = x->str;
	if ((x = ct_pycall_keyword(v, "default"))) {
		*has = 1;
		*literal = default_value(ms, x, def);
	} else if ((x = ct_pycall_keyword(v, "default_factory"))) {
		*has = 1;
		base_name(x, name, sizeof(name));
		*literal = 1;
		if (!strcmp(name, "list") || !strcmp(name, "set") ||
		    !strcmp(name, "tuple"))
			*def = json_object_new_array();
		else if (!strcmp(name, "dict"))
			*def = json_object_new_object();
		else
			*literal = 0;
	} else if (v->nitems && v->items[0]->kind != CT_PY_ELLIPSIS) {
		*has = 1;
		*literal = default_value(ms, v->items[0], def);
	}
}

static int is_classvar(const struct ct_pyexpr *ann)
{
	char name[64];

	if (ann->kind == CT_PY_SUBSCRIPT)
		ann = ann->value;
	return !strcmp(base_name(ann, name, sizeof(name)), "ClassVar");
}

/* A config value: a string, or the last name of Extra.forbid. */
static void config_word(char *out, size_t size, const struct ct_pyexpr *v)
{
	char name[64];

	if (v && v->kind == CT_PY_STR)
		snprintf(out, size, "%s", v->str);
	else if (v && v->kind == CT_PY_ATTR)
		snprintf(out, size, "%s", base_name(v, name, sizeof(name)));
}

static void config_item(struct config *cfg, const char *key,
			const struct ct_pyexpr *v)
{
	if (!strcmp(key, "extra"))
		config_word(cfg->extra, sizeof(cfg->extra), v);
	else if (!strcmp(key, "populate_by_name") ||
		 !strcmp(key, "allow_population_by_field_name"))
		cfg->populate_by_name = v && v->kind == CT_PY_TRUE;
}

/* model_config = ConfigDict(...) or {...}, or a v1 `class Config:`. */
static void read_config(struct config *cfg, const struct ct_pystmt *cls)
{
	for (size_t i = 0; i < cls->nbody; i++) {
		const struct ct_pystmt *s = &cls->body[i];
		const struct ct_pyexpr *v = s->value;
		if (s->kind == CT_PY_CLASS && !strcmp(s->name, "Config")) {
			for (size_t k = 0; k < s->nbody; k++)
				if ((s->body[k].kind == CT_PY_ASSIGN ||
				     s->body[k].kind == CT_PY_ANNASSIGN) &&
				    s->body[k].targets[0]->kind == CT_PY_NAME)
					config_item(cfg,
						    s->body[k].targets[0]->str,
						    s->body[k].value);
			continue;
		}
		if ((s->kind != CT_PY_ASSIGN && s->kind != CT_PY_ANNASSIGN) ||
		    s->targets[0]->kind != CT_PY_NAME ||
		    strcmp(s->targets[0]->str, "model_config") || !v)
			continue;
		if (v->kind == CT_PY_CALL) {
			for (size_t k = 0; k < v->nkeywords; k++)
				if (v->keywords[k].name)
					config_item(cfg, v->keywords[k].name,
						    v->keywords[k].value);
		} else if (v->kind == CT_PY_DICT) {
			for (size_t k = 0; k + 1 < v->nitems; k += 2)
				if (v->items[k] &&
				    v->items[k]->kind == CT_PY_STR)
					config_item(cfg, v->items[k]->str,
						    v->items[k + 1]);
		}
	}
}

/* Adds the fields of `cls` (bases first) to props and required_set, and
 * its configuration to cfg; the origins go under the shape being built,
 * `shape`. */
static void collect(struct models *ms, const struct ct_pymodule *m,
		    const struct ct_pystmt *cls, const char *shape,
		    json_object *props, json_object *required_set,
		    struct config *cfg, unsigned depth)
{
	const struct ct_pymodule *outer = ms->scope;

	if (depth > 32)
		return;
	for (size_t i = 0; cls->bases && i < cls->bases->nitems; i++) {
		const struct ct_pymodule *pm;
		const struct ct_pystmt *parent;
		if (resolve_class(ms->set, m, cls->bases->items[i], &pm,
				  &parent) &&
		    parent != cls &&
		    is_model(ms->set, pm, parent, ms->ctx->options, 0))
			collect(ms, pm, parent, shape, props, required_set, cfg,
				depth + 1);
	}
	read_config(cfg, cls);
	ms->scope = m;
	for (size_t i = 0; i < cls->nbody; i++) {
		const struct ct_pystmt *s = &cls->body[i];
		json_object *schema, *def;
		const char *alias, *prop;
		int has, literal;
		if (s->kind != CT_PY_ANNASSIGN ||
		    s->targets[0]->kind != CT_PY_NAME ||
		    s->targets[0]->str[0] == '_' || is_classvar(s->annotation))
			continue;
		schema = annotation(ms, m, s->annotation, 0);
		field_default(ms, s, &has, &literal, &def, &alias);
		if (has && literal)
			json_object_object_add(schema, "default", def);
		prop = alias ? alias : s->targets[0]->str;
		if (alias && strcmp(alias, s->targets[0]->str))
			json_object_object_add(
			    schema, "x-field-name",
			    json_object_new_string(s->targets[0]->str));
		/* a redefined field keeps its place, as in a dict */
		json_object_object_add(props, prop, schema);
		if (has)
			json_object_object_del(required_set, prop);
		else
			json_object_object_add(required_set, prop, NULL);
		note_origin(ms->ctx, m, s->line, "/$defs/%s/properties/%s",
			    shape, prop);
	}
	ms->scope = outer;
}

static json_object *model_shape(struct models *ms, const struct ct_pymodule *m,
				const struct ct_pystmt *cls)
{
	json_object *shape = type_of("object"),
		    *props = json_object_new_object();
	json_object *req_set = json_object_new_object(),
		    *req = json_object_new_array();
	struct config cfg;

	memset(&cfg, 0, sizeof(cfg));
	collect(ms, m, cls, shape_name(ms->ctx->options, cls->name), props,
		req_set, &cfg, 0);
	/* required in field order */
	json_object_object_foreach(props, k, v)
	{
		(void)v;
		if (json_object_object_get_ex(req_set, k, NULL))
			json_object_array_add(req, json_object_new_string(k));
		/* without populate_by_name only the alias is read */
		if (!cfg.populate_by_name)
			json_object_object_del(v, "x-field-name");
	}
	json_object_put(req_set);
	json_object_object_add(shape, "properties", props);
	json_object_object_add(shape, "required", req);
	if (!strcmp(cfg.extra, "allow") || !strcmp(cfg.extra, "forbid"))
		json_object_object_add(
		    shape, "additionalProperties",
		    json_object_new_boolean(!strcmp(cfg.extra, "allow")));
	return shape;
}

/* Adds the shape of class `cls` of module m (model or enum) once. */
static void add_shape_for(struct models *ms, const struct ct_pymodule *m,
			  const struct ct_pystmt *cls)
{
	const char *name = shape_name(ms->ctx->options, cls->name);
	struct ct_origin o;
	json_object *shape;

	if (ct_contract_shape_find(ms->ctx->out, name) >= 0)
		return;
	for (size_t i = 0; i < ms->nbusy; i++)
		if (ms->busy[i] == cls)
			return; /* refers to itself: the $ref is enough */
	if (ms->nbusy == sizeof(ms->busy) / sizeof(*ms->busy))
		return;
	ms->busy[ms->nbusy++] = cls;
	if (is_enum_class(ms->set, m, cls, NULL, 0))
		shape = enum_shape(ms->ctx, m, cls);
	else
		shape = model_shape(ms, m, cls);
	ms->nbusy--;
	origin_of(&o, ms->ctx, m, cls->line);
	ct_contract_add_shape(ms->ctx->out, name, shape, &o);
}

static void one(const struct ct_pymodule *m, const struct ct_pystmt *cls,
		void *data)
{
	struct models *ms = data;

	if (is_model(ms->set, m, cls, ms->ctx->options, 0) &&
	    class_wanted(ms->ctx->options, cls->name))
		add_shape_for(ms, m, cls);
}

/* With {"model": M, "list": L}: the field names of model M, in order, as
 * the ordered list L (a request body whose fields are flags). */
static int field_list(struct models *ms, struct ct_err *err)
{
	const char *model = opt_string(ms->ctx->options, "model");
	const char *list = opt_string(ms->ctx->options, "list");
	const struct ct_pymodule *m;
	const struct ct_pystmt *cls;
	json_object *shape, *props, *names, *lists;

	if (!model)
		return ct_err_set(err, CT_EINVAL,
				  "python-model: \"list\" needs \"model\" too");
	cls = find_class(ms->set, model, &m);
	if (!cls)
		return ct_err_set(err, CT_ENOTFOUND,
				  "python-model: no class %s in the files read",
				  model);
	shape = model_shape(ms, m, cls);
	names = json_object_new_array();
	json_object_object_get_ex(shape, "properties", &props);
	json_object_object_foreach(props, k, v)
	{
		struct ct_buf from = CT_BUF_INIT, to = CT_BUF_INIT;
		struct ct_origin o;
		(void)v;
		/* each flag keeps the line of its field */
		ct_buf_addf(&from, "/$defs/%s/properties/%s",
			    shape_name(ms->ctx->options, model), k);
		ct_buf_addf(&to, "/x-lists/%s/%zu", list,
			    json_object_array_length(names));
		ct_contract_origin(&o, ms->ctx->out, from.ptr);
		if (o.line)
			ct_contract_set_origin(ms->ctx->out, to.ptr, &o);
		ct_buf_release(&from);
		ct_buf_release(&to);
		json_object_array_add(names, json_object_new_string(k));
	}
	json_object_put(shape);
	/* the origins were noted under the model; give the list its own */
	note_origin(ms->ctx, m, cls->line, "/x-lists/%s", list);
	lists = ct_contract_member(ms->ctx->out, "x-lists");
	if (!lists) {
		lists = json_object_new_object();
		ct_contract_set_member(ms->ctx->out, "x-lists", lists);
	}
	json_object_object_add(lists, list, names);
	return 0;
}

static int run(struct ct_extract_ctx *ctx, const struct ct_source_file *files,
	       size_t n, struct ct_err *err)
{
	struct pyset set;
	struct models ms;
	int rc = pyset_parse(&set, ctx, files, n, CT_PY_DROP_BODIES, err);

	memset(&ms, 0, sizeof(ms));
	ms.set = &set;
	ms.ctx = ctx;
	if ((!rc || ctx->keep_going) && opt_string(ctx->options, "list"))
		rc = field_list(&ms, err);
	else if (!rc || ctx->keep_going)
		each_class(&set, one, &ms);
	pyset_release(&set);
	return rc;
}

static const struct ct_optspec options[] = {
    {"bases", CT_OPT_STRINGS, NULL},	 {"classes", CT_OPT_STRINGS, NULL},
    {"rename", CT_OPT_STRING_MAP, NULL}, {"model", CT_OPT_STRING, NULL},
    {"list", CT_OPT_STRING, NULL},	 {NULL, 0, NULL}};

const struct ct_extractor ct_extract_python_model = {
    "python-model",
    "pydantic models: fields in order, types, defaults, required, aliases",
    CT_EXTRACT_PYTHON, run, options};
