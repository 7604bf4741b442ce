/* http-calls: the backend paths a consumer calls, as routes. A candidate is
 * the path argument of an HTTP helper (`functions`: a name, or a map of
 * name to the argument that holds the path), a `route=`/`path=` keyword,
 * or a string a function returns; literals, f-strings, `+` and module
 * constants are folded, placeholders turned into {name}, query strings
 * dropped, a leading "/" always. It counts as a call only when it fits the
 * provider's route tree: its first segment is one of `roots` (without
 * `roots`, any), and, when `bare` is given, a path written without the
 * leading "/" only from a helper it lists. The method is `method=`, the
 * `methods` map, a verb in the helper's name (get_json: GET), else ANY. */
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

struct calls {
	struct ct_extract_ctx *ctx;
	json_object *routes;
};

static int fold(struct calls *cs, const struct ct_pymodule *m,
		struct ct_buf *out, const struct ct_pyexpr *e, unsigned depth);

/* A module-level constant `name` of module m (or imported into it):
 * folded into out. */
static int constant(struct calls *cs, const struct ct_pymodule *m,
		    struct ct_buf *out, const char *name, unsigned depth)
{
	struct ct_err quiet = CT_ERR_INIT;
	struct ct_pyname n;

	for (size_t i = m->nbody; i-- > 0;) {
		const struct ct_pystmt *s = &m->body[i];
		if ((s->kind == CT_PY_ASSIGN || s->kind == CT_PY_ANNASSIGN) &&
		    s->value && s->ntargets == 1 &&
		    s->targets[0]->kind == CT_PY_NAME &&
		    !strcmp(s->targets[0]->str, name))
			return fold(cs, m, out, s->value, depth + 1);
	}
	if (!cs->ctx->view ||
	    ct_pyrepo_lookup(&n, cs->ctx->view, m, name, &quiet) ||
	    n.kind != CT_PYNAME_OTHER || !n.stmt || !n.stmt->value ||
	    n.module == m ||
	    (n.stmt->kind != CT_PY_ASSIGN && n.stmt->kind != CT_PY_ANNASSIGN))
		return 0;
	return fold(cs, n.module, out, n.stmt->value, depth + 1);
}

/* Folds a path expression into `out`; 0 when it is not foldable. */
static int fold(struct calls *cs, const struct ct_pymodule *m,
		struct ct_buf *out, const struct ct_pyexpr *e, unsigned depth)
{
	if (!e || depth > 8)
		return 0;
	if (e->kind == CT_PY_STR) {
		ct_buf_adds(out, e->str);
		return 1;
	}
	if (e->kind == CT_PY_FSTR) {
		fstring(out, e->str);
		return 1;
	}
	if (e->kind == CT_PY_BINOP && !strcmp(e->str, "+"))
		return fold(cs, m, out, e->items[0], depth + 1) &&
		       fold(cs, m, out, e->items[1], depth + 1);
	if (e->kind == CT_PY_NAME)
		return constant(cs, m, out, e->str, depth);
	return 0;
}

/* The method a call says: `method="POST"`, the `methods` option, the
 * helper's own name (get, post, put, patch, delete), else ANY. */
static void method_of(char *out, size_t size, json_object *options,
		      const char *fn, const struct ct_pyexpr *call)
{
	static const char *const verbs[] = {"delete", "patch", "post", "put",
					    "get"};
	const struct ct_pyexpr *kw =
	    call ? ct_pycall_keyword(call, "method") : NULL;
	json_object *map, *v;

	snprintf(out, size, "ANY");
	if (kw && kw->kind == CT_PY_STR) {
		snprintf(out, size, "%s", kw->str);
	} else if (options &&
		   json_object_object_get_ex(options, "methods", &map) &&
		   json_object_object_get_ex(map, fn, &v)) {
		snprintf(out, size, "%s", json_object_get_string(v));
	} else {
		char low[128];
		size_t i;
		for (i = 0; fn[i] && i + 1 < sizeof(low); i++)
			low[i] = (char)(fn[i] >= 'A' && fn[i] <= 'Z'
					    ? fn[i] - 'A' + 'a'
					    : fn[i]);
		low[i] = '\0';
		for (i = 0; i < sizeof(verbs) / sizeof(*verbs); i++)
			if (strstr(low, verbs[i])) {
				snprintf(out, size, "%s", verbs[i]);
				break;
			}
	}
	for (char *p = out; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
}

/* Turns the folded text into a route path; 0 when it is no call: its first
 * segment is not one of `roots`, or it lacks the leading "/" and the
 * helper is not `bare`. */
static int normalize(struct ct_buf *path, json_object *options, int bare)
{
	struct ct_buf tmp = CT_BUF_INIT;
	const char *s = path->ptr;
	json_object *roots;
	size_t n, seg;
	int ok;

	/* a leading placeholder before a "/" is the base URL */
	if (s[0] == '{' && (n = strcspn(s, "}")) && s[n] == '}' &&
	    s[n + 1] == '/')
		s += n + 1;
	n = strcspn(s, "?#");
	if (*s != '/' && !bare)
		return 0;
	if (*s != '/')
		ct_buf_addch(&tmp, '/');
	ct_buf_add(&tmp, s, n);
	seg = strcspn(tmp.ptr + 1, "/");
	if (options && json_object_object_get_ex(options, "roots", &roots) &&
	    json_object_is_type(roots, json_type_array)) {
		ok = 0;
		for (size_t i = 0; i < json_object_array_length(roots); i++) {
			const char *r = json_object_get_string(
			    json_object_array_get_idx(roots, i));
			ok |= strlen(r) == seg && !strncmp(tmp.ptr + 1, r, seg);
		}
	} else {
		ok = seg > 0;
	}
	ok = ok && !strchr(tmp.ptr, ' ') && !strstr(tmp.ptr, "//");
	ct_buf_reset(path);
	ct_buf_add(path, tmp.ptr, tmp.len);
	ct_buf_release(&tmp);
	return ok;
}

static void add_call(struct calls *cs, const struct ct_pymodule *m,
		     unsigned line, const char *method, const char *path)
{
	json_object *o;

	for (size_t j = 0; j < json_object_array_length(cs->routes); j++) {
		json_object *x = json_object_array_get_idx(cs->routes, j);
		if (!strcmp(json_object_get_string(
				json_object_object_get(x, "path")),
			    path) &&
		    !strcmp(json_object_get_string(
				json_object_object_get(x, "method")),
			    method))
			return;
	}
	o = json_object_new_object();
	note_origin(cs->ctx, m, line, "/x-routes/%zu",
		    json_object_array_length(cs->routes));
	json_object_object_add(o, "method", json_object_new_string(method));
	json_object_object_add(o, "path", json_object_new_string(path));
	json_object_array_add(cs->routes, o);
}

/* The argument of `fn` that holds the path: `functions` is a list of names
 * (the first argument) or a map {name: index}; -1 when fn is no helper. */
static long path_arg(json_object *options, const char *fn)
{
	json_object *f, *v;

	if (!options || !json_object_object_get_ex(options, "functions", &f))
		return -1;
	if (json_object_is_type(f, json_type_object))
		return json_object_object_get_ex(f, fn, &v)
			   ? (long)json_object_get_int(v)
			   : -1;
	return opt_has(options, "functions", NULL, fn) ? 0 : -1;
}

static void candidate(struct calls *cs, const struct ct_pymodule *m,
		      const struct ct_pyexpr *e, unsigned line,
		      const char *method, int bare)
{
	struct ct_buf path = CT_BUF_INIT;

	if (fold(cs, m, &path, e, 0) &&
	    normalize(&path, cs->ctx->options, bare))
		add_call(cs, m, line, method, path.ptr);
	ct_buf_release(&path);
}

/* Strings that functions return: URL builders. */
static void returns(struct calls *cs, const struct ct_pymodule *m,
		    const struct ct_pystmt *body, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct ct_pystmt *s = &body[i];
		if (s->kind == CT_PY_SIMPLE && s->name &&
		    !strcmp(s->name, "return") && s->value)
			candidate(cs, m, s->value, s->line, "ANY", 0);
		if (s->kind == CT_PY_DEF || s->kind == CT_PY_CLASS ||
		    s->kind == CT_PY_BLOCK)
			returns(cs, m, s->body, s->nbody);
	}
}

static void visit(const struct ct_pymodule *m, void *data)
{
	struct calls *cs = data;
	json_object *options = cs->ctx->options;

	for (size_t i = 0; i < m->nexprs; i++) {
		const struct ct_pyexpr *c = m->exprs[i], *arg = NULL;
		char fn[128], method[16];
		long at;
		int bare;
		if (c->kind != CT_PY_CALL || !c->value)
			continue;
		/* the callee's last name: get of client.get, of
		 * _get_client().get */
		snprintf(fn, sizeof(fn), "%s",
			 c->value->kind == CT_PY_NAME ||
				 c->value->kind == CT_PY_ATTR
			     ? c->value->str
			     : "");
		at = path_arg(options, fn);
		bare = !options ||
		       !json_object_object_get_ex(options, "bare", NULL) ||
		       opt_has(options, "bare", NULL, fn);
		if (at >= 0 && (size_t)at < c->nitems)
			arg = c->items[at];
		for (size_t j = 0; !arg && j < c->nkeywords; j++)
			if (c->keywords[j].name &&
			    opt_has(options, "keywords", default_keywords,
				    c->keywords[j].name)) {
				arg = c->keywords[j].value;
				bare = 0;
			}
		if (!arg)
			continue;
		method_of(method, sizeof(method), options, fn, c);
		candidate(cs, m, arg, c->line, method, bare);
	}
	returns(cs, m, m->body, m->nbody);
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

static const struct ct_optspec options[] = {
    {"functions", CT_OPT_NAMES, NULL},	  {"bare", CT_OPT_STRINGS, NULL},
    {"methods", CT_OPT_STRING_MAP, NULL}, {"keywords", CT_OPT_STRINGS, NULL},
    {"roots", CT_OPT_STRINGS, NULL},	  {NULL, 0, NULL}};

const struct ct_extractor ct_extract_http_calls = {
    "http-calls", "the backend paths a consumer calls, as routes",
    CT_EXTRACT_PYTHON, run, options};
