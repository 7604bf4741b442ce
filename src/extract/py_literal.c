/* python-literal: a module-level literal, or the items a selector picks
 * out of it, as a named ordered list. */
#include "pyshared.h"

#include "contracts/json.h"
#include "contracts/xalloc.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct found {
	const struct ct_pymodule *m;
	const struct ct_pyexpr *value;
	unsigned line;
};

static void find_in(const struct ct_pymodule *m, const struct ct_pystmt *body,
		    size_t n, const char *name, struct found *f)
{
	for (size_t i = 0; i < n && !f->value; i++) {
		const struct ct_pystmt *s = &body[i];
		if (s->kind == CT_PY_BLOCK)
			find_in(m, s->body, s->nbody, name, f);
		if ((s->kind != CT_PY_ASSIGN && s->kind != CT_PY_ANNASSIGN) ||
		    !s->value)
			continue;
		for (size_t t = 0; t < s->ntargets; t++) {
			if (s->targets[t]->kind == CT_PY_NAME &&
			    !strcmp(s->targets[t]->str, name)) {
				f->m = m;
				f->value = s->value;
				f->line = s->line;
				return;
			}
		}
	}
}

/* Applies the selector `sel` (tokens after each "/" are indexes, keys or
 * "*") to `e`, appending the picked expressions to `out`. */
static void select_items(const struct ct_pyexpr *e, const char *sel,
			 const struct ct_pyexpr ***out, size_t *n, size_t *cap)
{
	char tok[128];
	size_t len;

	if (!e)
		return;
	if (!*sel) {
		*out = ct_xgrow(*out, cap, *n + 1, sizeof(**out));
		(*out)[(*n)++] = e;
		return;
	}
	sel++; /* '/' */
	len = strcspn(sel, "/");
	if (len >= sizeof(tok))
		return;
	memcpy(tok, sel, len);
	tok[len] = '\0';
	sel += len;
	if (e->kind == CT_PY_TUPLE || e->kind == CT_PY_LIST ||
	    e->kind == CT_PY_SET) {
		for (size_t i = 0; i < e->nitems; i++) {
			char idx[24];
			snprintf(idx, sizeof(idx), "%zu", i);
			if (!strcmp(tok, "*") || !strcmp(tok, idx))
				select_items(e->items[i], sel, out, n, cap);
		}
	} else if (e->kind == CT_PY_DICT) {
		for (size_t i = 0; i + 1 < e->nitems; i += 2)
			if (e->items[i] && e->items[i]->kind == CT_PY_STR &&
			    (!strcmp(tok, "*") ||
			     !strcmp(tok, e->items[i]->str)))
				select_items(e->items[i + 1], sel, out, n, cap);
	}
}

static int run(struct ct_extract_ctx *ctx, const struct ct_source_file *files,
	       size_t n, struct ct_err *err)
{
	const char *name = opt_string(ctx->options, "name");
	const char *sel = opt_string(ctx->options, "select");
	const char *list = opt_string(ctx->options, "list");
	const struct ct_pyexpr **picked = NULL;
	size_t npicked = 0, cap = 0;
	struct found f = {NULL, NULL, 0};
	json_object *items = NULL, *lists;
	struct pyset set;
	int rc;

	if (!name)
		return ct_err_set(err, CT_EINVAL,
				  "python-literal needs the option \"name\"");
	if (sel && *sel && *sel != '/')
		return ct_err_set(
		    err, CT_EINVAL,
		    "python-literal: select \"%s\" must start with /", sel);
	if ((rc = pyset_parse(&set, ctx, files, n, CT_PY_DROP_BODIES, err)) &&
	    !ctx->keep_going)
		goto done;
	for (size_t i = 0; i < set.n && !f.value; i++)
		find_in(set.mods[i], set.mods[i]->body, set.mods[i]->nbody,
			name, &f);
	if (!f.value) {
		rc = ct_err_set(
		    err, CT_ENOTFOUND,
		    "no module-level assignment to %s in the files read", name);
		goto done;
	}
	select_items(f.value, sel ? sel : "", &picked, &npicked, &cap);
	items = json_object_new_array();
	for (size_t i = 0; i < npicked; i++) {
		const struct ct_pyexpr *e = picked[i];
		if (sel && *sel && e->kind == CT_PY_STR) {
			json_object_array_add(items,
					      json_object_new_string(e->str));
		} else if (!sel || !*sel) {
			/* the whole value: its items when it is a sequence */
			json_object *v;
			if (ct_pyexpr_literal(&v, e) ||
			    !json_object_is_type(v, json_type_array)) {
				json_object_put(v);
				rc = ct_err_at(
				    err, CT_EINVAL, f.m->path, f.line, 0,
				    "%s is not a literal list of strings",
				    name);
				goto done;
			}
			json_object_put(items);
			items = v;
			break;
		} else {
			rc = ct_err_at(
			    err, CT_EINVAL, f.m->path, e->line, e->col + 1,
			    "%s: the selector %s picks something that is not a string",
			    name, sel);
			goto done;
		}
	}
	for (size_t i = 0; i < json_object_array_length(items); i++) {
		json_object *v = json_object_array_get_idx(items, i);
		unsigned line = i < npicked ? picked[i]->line : f.line;
		if (!json_object_is_type(v, json_type_string)) {
			rc = ct_err_at(err, CT_EINVAL, f.m->path, line, 0,
				       "%s: item %zu is not a string", name, i);
			goto done;
		}
		if (sel && *sel)
			line = picked[i]->line;
		note_origin(ctx, f.m, line, "/x-lists/%s/%zu",
			    list ? list : name, i);
	}
	note_origin(ctx, f.m, f.line, "/x-lists/%s", list ? list : name);
	lists = ct_contract_member(ctx->out, "x-lists");
	if (!lists) {
		lists = json_object_new_object();
		ct_contract_set_member(ctx->out, "x-lists", lists);
	}
	json_object_object_add(lists, list ? list : name, items);
	items = NULL;
done:
	json_object_put(items);
	free(picked);
	pyset_release(&set);
	return rc;
}

static const struct ct_optspec options[] = {{"name", CT_OPT_STRING, NULL},
					    {"select", CT_OPT_STRING, NULL},
					    {"list", CT_OPT_STRING, NULL},
					    {NULL, 0, NULL}};

const struct ct_extractor ct_extract_python_literal = {
    "python-literal",
    "a module-level literal, or the items a selector picks, as a list",
    CT_EXTRACT_PYTHON, run, options};
