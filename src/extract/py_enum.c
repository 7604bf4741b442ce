/* python-enum: Enum, StrEnum, IntEnum and (str, Enum) classes as shapes. */
#include "pyshared.h"

#include "contracts/json.h"

#include <json-c/json.h>
#include <string.h>

struct enums {
	const struct pyset *set;
	struct ct_extract_ctx *ctx;
	int found; /* the "events" class was seen */
};

/* The line of the member of `cls` whose value is `v`, or the class's. */
static unsigned member_line(const struct ct_pystmt *cls, json_object *v)
{
	for (size_t i = 0; i < cls->nbody; i++) {
		const struct ct_pystmt *s = &cls->body[i];
		json_object *lit = NULL;
		int same;
		if ((s->kind != CT_PY_ASSIGN && s->kind != CT_PY_ANNASSIGN) ||
		    !s->value || ct_pyexpr_literal(&lit, s->value))
			continue;
		same = ct_json_equal(lit, v);
		json_object_put(lit);
		if (same)
			return s->line;
	}
	return cls->line;
}

/* With {"events": CLASS}: the values of that enum as event names. */
static void as_events(struct enums *e, const struct ct_pymodule *m,
		      const struct ct_pystmt *cls)
{
	json_object *shape = enum_shape(NULL, m, cls), *values, *events;

	events = ct_contract_member(e->ctx->out, "x-events");
	if (!events) {
		events = json_object_new_array();
		ct_contract_set_member(e->ctx->out, "x-events", events);
	}
	if (json_object_object_get_ex(shape, "enum", &values)) {
		for (size_t i = 0; i < json_object_array_length(values); i++) {
			json_object *v = json_object_array_get_idx(values, i);
			int seen = 0;
			if (!json_object_is_type(v, json_type_string))
				continue;
			for (size_t k = 0; k < json_object_array_length(events);
			     k++)
				seen |= !strcmp(
				    json_object_get_string(
					json_object_array_get_idx(events, k)),
				    json_object_get_string(v));
			if (seen)
				continue;
			note_origin(e->ctx, m, member_line(cls, v),
				    "/x-events/%zu",
				    json_object_array_length(events));
			json_object_array_add(events, json_object_get(v));
		}
	}
	json_object_put(shape);
}

static void one(const struct ct_pymodule *m, const struct ct_pystmt *cls,
		void *data)
{
	struct enums *e = data;
	struct ct_origin o;
	const char *events = opt_string(e->ctx->options, "events");

	if (!is_enum_class(e->set, m, cls, e->ctx->options, 0) ||
	    !class_wanted(e->ctx->options, cls->name))
		return;
	if (events) {
		if (!strcmp(events, cls->name)) {
			as_events(e, m, cls);
			e->found = 1;
		}
		return;
	}
	origin_of(&o, e->ctx, m, cls->line);
	ct_contract_add_shape(e->ctx->out,
			      shape_name(e->ctx->options, cls->name),
			      enum_shape(e->ctx, m, cls), &o);
}

static int run(struct ct_extract_ctx *ctx, const struct ct_source_file *files,
	       size_t n, struct ct_err *err)
{
	struct pyset set;
	struct enums e = {&set, ctx, 0};
	int rc = pyset_parse(&set, ctx, files, n, CT_PY_DROP_BODIES, err);
	const char *events = opt_string(ctx->options, "events");

	if (!rc || ctx->keep_going)
		each_class(&set, one, &e);
	if (!rc && events && !e.found) {
		/* no list at all would compare as nothing to say */
		struct ct_err missing = CT_ERR_INIT;
		ct_err_at(&missing, CT_ENOTFOUND, n ? files[0].path : "", 0, 0,
			  "python-enum: no enum class %s in %s%s (the "
			  "\"events\" option)",
			  events, n ? files[0].path : "no file",
			  n > 1 ? " or the other files read" : "");
		if (ctx->problems)
			pyset_problem(&set, &missing);
		else
			rc = ct_err_at(err, CT_ENOTFOUND, missing.path, 0, 0,
				       "%s", missing.msg);
	}
	pyset_release(&set);
	return rc;
}

static const struct ct_optspec options[] = {{"bases", CT_OPT_STRINGS, NULL},
					    {"classes", CT_OPT_STRINGS, NULL},
					    {"rename", CT_OPT_STRING_MAP, NULL},
					    {"events", CT_OPT_STRING, NULL},
					    {NULL, 0, NULL}};

const struct ct_extractor ct_extract_python_enum = {
    "python-enum", "Enum classes: members in order with their values",
    CT_EXTRACT_PYTHON, run, options};
