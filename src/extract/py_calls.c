/* python-calls: event names passed as the first string argument of named
 * calls, or as the value of a named key in dict displays. */
#include "pyshared.h"

#include <json-c/json.h>
#include <stdio.h>
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

struct calls {
	struct ct_extract_ctx *ctx;
	json_object *events;
};

static int has(const char *bytes, size_t len, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = bytes; n && (size_t)(p - bytes) + n <= len; p++) {
		p = memchr(p, word[0], len - (size_t)(p - bytes));
		if (!p || (size_t)(p - bytes) + n > len)
			return 0;
		if (!memcmp(p, word, n))
			return 1;
	}
	return 0;
}

/* Whether `word` is in the bytes between quotes of either kind. */
static int has_quoted(const char *bytes, size_t len, const char *word)
{
	char q[2][260];

	if (strlen(word) > 256)
		return 1; /* too long to look for: read the file */
	snprintf(q[0], sizeof(q[0]), "\"%s\"", word);
	snprintf(q[1], sizeof(q[1]), "'%s'", word);
	return has(bytes, len, q[0]) || has(bytes, len, q[1]);
}

/* A call to f needs the bytes of f; a dict key k, the string "k" (any
 * prefix, either quote). Files with neither are not parsed. */
static int wanted(const char *bytes, size_t len, void *data)
{
	struct calls *c = data;
	json_object *opts = c->ctx->options, *list;
	const char *const *keys = default_keys;

	if (opts && json_object_object_get_ex(opts, "functions", &list))
		for (size_t i = 0; i < json_object_array_length(list); i++)
			if (has(bytes, len,
				json_object_get_string(
				    json_object_array_get_idx(list, i))))
				return 1;
	if (opts && json_object_object_get_ex(opts, "keys", &list)) {
		for (size_t i = 0; i < json_object_array_length(list); i++)
			if (has_quoted(bytes, len,
				       json_object_get_string(
					   json_object_array_get_idx(list, i))))
				return 1;
		return 0;
	}
	for (; *keys; keys++)
		if (has_quoted(bytes, len, *keys))
			return 1;
	return 0;
}

static void visit(const struct ct_pymodule *m, void *data)
{
	struct calls *c = data;
	struct ct_extract_ctx *ctx = c->ctx;

	for (size_t i = 0; i < m->nexprs; i++) {
		const struct ct_pyexpr *e = m->exprs[i];
		char name[256];
		if (e->kind == CT_PY_CALL && e->nitems &&
		    e->items[0]->kind == CT_PY_STR &&
		    opt_has(ctx->options, "functions", NULL,
			    base_name(e->value, name, sizeof(name))))
			add_event(ctx, m, c->events, e->items[0]);
		if (e->kind != CT_PY_DICT)
			continue;
		for (size_t j = 0; j + 1 < e->nitems; j += 2)
			if (e->items[j] && e->items[j]->kind == CT_PY_STR &&
			    e->items[j + 1]->kind == CT_PY_STR &&
			    opt_has(ctx->options, "keys", default_keys,
				    e->items[j]->str))
				add_event(ctx, m, c->events, e->items[j + 1]);
	}
}

static int run(struct ct_extract_ctx *ctx, const struct ct_source_file *files,
	       size_t n, struct ct_err *err)
{
	struct calls c = {ctx, ct_contract_member(ctx->out, "x-events")};

	if (!c.events) {
		c.events = json_object_new_array();
		ct_contract_set_member(ctx->out, "x-events", c.events);
	}
	return pyset_scan(ctx, files, n, wanted, visit, &c, err);
}

static const struct ct_optspec options[] = {{"functions", CT_OPT_STRINGS, NULL},
					    {"keys", CT_OPT_STRINGS, NULL},
					    {NULL, 0, NULL}};

const struct ct_extractor ct_extract_python_calls = {
    "python-calls",
    "event names from named calls and from a named key of dict displays",
    CT_EXTRACT_PYTHON, run, options};
