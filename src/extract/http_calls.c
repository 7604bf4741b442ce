/* http-calls: the paths a consumer calls through its HTTP helpers, as
 * routes: literals and f-strings, concatenations folded, placeholders
 * turned into {name}, query strings dropped, a leading "/" always. */
#include "pyshared.h"

#include "contracts/xalloc.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

static const char *const default_keywords[] = {"path", "route", NULL};

static int identifier(const char *s, size_t n)
{
	if (!n || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/* Appends an f-string's text with each {field} as {name}: the field's own
 * name when it is one identifier, else "param". */
static void fstring(struct ct_buf *out, const char *s)
{
	while (*s) {
		if ((s[0] == '{' && s[1] == '{') ||
		    (s[0] == '}' && s[1] == '}')) {
			ct_buf_addch(out, *s);
			s += 2;
		} else if (*s == '{') {
			const char *start = ++s;
			size_t n;
			int depth = 1;
			while (*s && depth) {
				depth += *s == '{';
				depth -= *s == '}';
				s++;
			}
			n = strcspn(start, "!:=}");
			while (n && start[n - 1] == ' ')
				n--;
			while (n && *start == ' ')
				start++, n--;
			if (identifier(start, n))
				ct_buf_addf(out, "{%.*s}", (int)n, start);
			else
				ct_buf_adds(out, "{param}");
		} else {
			ct_buf_addch(out, *s++);
		}
	}
}

/* Folds a path expression into `out`; 0 when it is not foldable. */
static int fold(struct ct_buf *out, const struct ct_pyexpr *e)
{
	if (e->kind == CT_PY_STR) {
		ct_buf_adds(out, e->str);
		return 1;
	}
	if (e->kind == CT_PY_FSTR) {
		fstring(out, e->str);
		return 1;
	}
	if (e->kind == CT_PY_BINOP && !strcmp(e->str, "+"))
		return fold(out, e->items[0]) && fold(out, e->items[1]);
	return 0;
}

static void method_of(char *out, size_t size, json_object *options,
		      const char *fn)
{
	static const char *const verbs[] = {"delete", "patch", "post", "put",
					    "get"};
	json_object *map, *v;
	char low[128];
	size_t i;

	if (options && json_object_object_get_ex(options, "methods", &map) &&
	    json_object_object_get_ex(map, fn, &v)) {
		snprintf(out, size, "%s", json_object_get_string(v));
		return;
	}
	for (i = 0; fn[i] && i + 1 < sizeof(low); i++)
		low[i] = (char)(fn[i] >= 'A' && fn[i] <= 'Z' ? fn[i] - 'A' + 'a'
							     : fn[i]);
	low[i] = '\0';
	snprintf(out, size, "GET");
	for (i = 0; i < sizeof(verbs) / sizeof(*verbs); i++) {
		if (strstr(low, verbs[i])) {
			snprintf(out, size, "%s", verbs[i]);
			for (char *p = out; *p; p++)
				*p = (char)(*p - 'a' + 'A');
			return;
		}
	}
}

static void normalize(struct ct_buf *path)
{
	struct ct_buf tmp = CT_BUF_INIT;
	const char *s = path->ptr;
	size_t n;

	/* a leading placeholder before a "/" is the base URL */
	if (s[0] == '{' && (n = strcspn(s, "}")) && s[n] == '}' &&
	    s[n + 1] == '/')
		s += n + 1;
	n = strcspn(s, "?#");
	if (*s != '/')
		ct_buf_addch(&tmp, '/');
	ct_buf_add(&tmp, s, n);
	ct_buf_reset(path);
	ct_buf_add(path, tmp.ptr, tmp.len);
	ct_buf_release(&tmp);
}

struct calls {
	struct ct_extract_ctx *ctx;
	json_object *routes;
};

static void visit(const struct ct_pymodule *m, void *data)
{
	struct calls *cs = data;
	struct ct_extract_ctx *ctx = cs->ctx;
	json_object *routes = cs->routes;

	for (size_t i = 0; i < m->nexprs; i++) {
		const struct ct_pyexpr *c = m->exprs[i], *arg = NULL;
		struct ct_buf path = CT_BUF_INIT;
		char fn[128], method[16];
		int dup = 0;
		if (c->kind != CT_PY_CALL || !c->value ||
		    !opt_has(ctx->options, "functions", NULL,
			     base_name(c->value, fn, sizeof(fn))))
			continue;
		if (c->nitems)
			arg = c->items[0];
		for (size_t j = 0; !arg && j < c->nkeywords; j++)
			if (c->keywords[j].name &&
			    opt_has(ctx->options, "keywords", default_keywords,
				    c->keywords[j].name))
				arg = c->keywords[j].value;
		if (!arg || !fold(&path, arg)) {
			ct_buf_release(&path);
			continue;
		}
		normalize(&path);
		method_of(method, sizeof(method), ctx->options, fn);
		for (size_t j = 0; j < json_object_array_length(routes); j++) {
			json_object *x = json_object_array_get_idx(routes, j);
			dup |= !strcmp(json_object_get_string(
					   json_object_object_get(x, "path")),
				       path.ptr) &&
			       !strcmp(json_object_get_string(
					   json_object_object_get(x, "method")),
				       method);
		}
		if (!dup) {
			json_object *o = json_object_new_object();
			note_origin(ctx, m, c->line, "/x-routes/%zu",
				    json_object_array_length(routes));
			json_object_object_add(o, "method",
					       json_object_new_string(method));
			json_object_object_add(
			    o, "path", json_object_new_string(path.ptr));
			json_object_array_add(routes, o);
		}
		ct_buf_release(&path);
	}
}

static int run(struct ct_extract_ctx *ctx, const struct ct_source_file *files,
	       size_t n, struct ct_err *err)
{
	struct calls c = {ctx, ct_contract_member(ctx->out, "x-routes")};

	if (!c.routes) {
		c.routes = json_object_new_array();
		ct_contract_set_member(ctx->out, "x-routes", c.routes);
	}
	return pyset_scan(ctx, files, n, NULL, visit, &c, err);
}

const struct ct_extractor ct_extract_http_calls = {
    "http-calls", "paths a consumer passes to its HTTP helpers, as routes",
    CT_EXTRACT_PYTHON, run, NULL};
