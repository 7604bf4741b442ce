/* python-calls: event names passed as the first string argument of named
 * calls, or as the value of a named key in dict displays. */
#include "pyshared.h"

#include <json-c/json.h>
#include <string.h>

static const char *const default_keys[] = {"event", NULL};

static void add_event(struct ct_extract_ctx *ctx, const struct ct_pymodule *m,
		      json_object *events, const struct ct_pyexpr *s)
{
	for (size_t i = 0; i < json_object_array_length(events); i++)
		if (!strcmp(json_object_get_string(
				json_object_array_get_idx(events, i)),
			    s->str))
			return;
	note_origin(ctx, m, s->line, "/x-events/%zu",
		    json_object_array_length(events));
	json_object_array_add(events, json_object_new_string(s->str));
}

static int run(struct ct_extract_ctx *ctx, const struct ct_source_file *files,
	       size_t n, struct ct_err *err)
{
	json_object *events = ct_contract_member(ctx->out, "x-events");
	struct pyset set;
	int rc = pyset_parse(&set, ctx, files, n, 0, err);

	if (rc && !ctx->keep_going)
		goto done;
	if (!events) {
		events = json_object_new_array();
		ct_contract_set_member(ctx->out, "x-events", events);
	}
	for (size_t k = 0; k < set.n; k++) {
		const struct ct_pymodule *m = set.mods[k];
		for (size_t i = 0; i < m->nexprs; i++) {
			const struct ct_pyexpr *e = m->exprs[i];
			char name[256];
			if (e->kind == CT_PY_CALL && e->nitems &&
			    e->items[0]->kind == CT_PY_STR &&
			    opt_has(ctx->options, "functions", NULL,
				    base_name(e->value, name, sizeof(name))))
				add_event(ctx, m, events, e->items[0]);
			if (e->kind != CT_PY_DICT)
				continue;
			for (size_t j = 0; j + 1 < e->nitems; j += 2)
				if (e->items[j] &&
				    e->items[j]->kind == CT_PY_STR &&
				    e->items[j + 1]->kind == CT_PY_STR &&
				    opt_has(ctx->options, "keys", default_keys,
					    e->items[j]->str))
					add_event(ctx, m, events,
						  e->items[j + 1]);
		}
	}
done:
	pyset_release(&set);
	return rc;
}

const struct ct_extractor ct_extract_python_calls = {
    "python-calls",
    "event names from named calls and from a named key of dict displays", run};
