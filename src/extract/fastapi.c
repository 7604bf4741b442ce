/* fastapi-routes: the routes of FastAPI apps and routers, with prefixes
 * followed through include_router() across the modules read, and names
 * followed through `from ... import` and `import ... as`. */
#include "pyshared.h"

#include "contracts/json.h"
#include "contracts/xalloc.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct router {
	const struct ct_pymodule *m;
	const char *module, *var, *prefix;
	int app, included;
};

struct route {
	size_t router;
	const struct ct_pymodule *m;
	char method[16];
	const char *path;
	unsigned line;
};

struct include {
	size_t parent, child;
	const char *prefix;
};

struct state {
	struct ct_extract_ctx *ctx;
	const struct pyset *set;
	char **modules; /* dotted module name of each file */
	struct router *routers;
	size_t nrouters, caprouters;
	struct route *routes;
	size_t nroutes, caproutes;
	struct include *incs;
	size_t nincs, capincs;
	json_object *out;
};

/* "proxbox_api/routes/sync.py" -> "proxbox_api.routes.sync" */
static char *module_name(const char *path)
{
	char *s =
	    ct_xstrdup(path[0] == '.' && path[1] == '/' ? path + 2 : path);
	size_t n = strlen(s);

	if (n > 3 && !strcmp(s + n - 3, ".py"))
		s[n -= 3] = '\0';
	for (char *p = s; *p; p++)
		if (*p == '/')
			*p = '.';
	if (n >= 9 && !strcmp(s + n - 9, ".__init__"))
		s[n - 9] = '\0';
	else if (!strcmp(s, "__init__"))
		s[0] = '\0';
	return s;
}

static int is_package(const struct ct_pymodule *m)
{
	const char *base = strrchr(m->path, '/');
	return !strcmp(base ? base + 1 : m->path, "__init__.py");
}

/* The absolute module of `from <dots><name> import` in module k. */
static void absolute(const struct state *st, size_t k, unsigned level,
		     const char *name, char *out, size_t size)
{
	char pkg[512];

	snprintf(pkg, sizeof(pkg), "%s", st->modules[k]);
	if (level) {
		if (!is_package(st->set->mods[k])) {
			char *dot = strrchr(pkg, '.');
			if (dot)
				*dot = '\0';
			else
				pkg[0] = '\0';
		}
		for (unsigned l = 1; l < level; l++) {
			char *dot = strrchr(pkg, '.');
			if (dot)
				*dot = '\0';
			else
				pkg[0] = '\0';
		}
		snprintf(out, size, "%s%s%s", pkg, pkg[0] && name ? "." : "",
			 name ? name : "");
	} else {
		snprintf(out, size, "%s", name ? name : "");
	}
}

/* Module names are made from paths, which may sit below the import root
 * (src/app/x.py is module app.x): a name matches at a dot boundary from
 * the end. */
static int same_module(const char *have, const char *want)
{
	size_t h = strlen(have), w = strlen(want);

	return h >= w && !strcmp(have + h - w, want) &&
	       (h == w || have[h - w - 1] == '.');
}

static long router_in(const struct state *st, const char *module,
		      const char *var)
{
	for (size_t i = 0; i < st->nrouters; i++)
		if (!strcmp(st->routers[i].var, var) &&
		    (!strcmp(st->routers[i].module, module) ||
		     same_module(st->routers[i].module, module)))
			return (long)i;
	return -1;
}

/* What a name bound by an import in module k refers to: the module and,
 * for `from m import x`, the name x within it. */
static int binding(const struct state *st, size_t k, const char *name,
		   char *module, size_t size, const char **attr)
{
	const struct ct_pymodule *m = st->set->mods[k];

	for (size_t i = 0; i < m->nbody; i++) {
		const struct ct_pystmt *s = &m->body[i];
		for (size_t j = 0; j < s->nnames; j++) {
			const struct ct_pyalias *a = &s->names[j];
			const char *bound = a->asname ? a->asname : a->name;
			if (s->kind == CT_PY_FROM && !strcmp(bound, name)) {
				absolute(st, k, s->level, s->module, module,
					 size);
				*attr = a->name;
				return 1;
			}
			if (s->kind == CT_PY_IMPORT && a->asname &&
			    !strcmp(a->asname, name)) {
				snprintf(module, size, "%s", a->name);
				*attr = NULL;
				return 1;
			}
			if (s->kind == CT_PY_IMPORT && !a->asname &&
			    !strcmp(a->name, name)) {
				snprintf(module, size, "%s", a->name);
				*attr = NULL;
				return 1;
			}
		}
	}
	return 0;
}

/* The module a NAME or ATTR chain stands for in module k, or 0. */
static int as_module(const struct state *st, size_t k,
		     const struct ct_pyexpr *e, char *out, size_t size)
{
	const char *attr;
	char mod[256];

	if (e->kind == CT_PY_NAME) {
		if (!binding(st, k, e->str, mod, sizeof(mod), &attr))
			return 0;
		if (attr)
			snprintf(out, size, "%s%s%s", mod, mod[0] ? "." : "",
				 attr);
		else
			snprintf(out, size, "%s", mod);
		return 1;
	}
	if (e->kind == CT_PY_ATTR &&
	    as_module(st, k, e->value, mod, sizeof(mod))) {
		snprintf(out, size, "%s.%s", mod, e->str);
		return 1;
	}
	return 0;
}

/* The router an expression in module k stands for, or -1. */
static long resolve(const struct state *st, size_t k, const struct ct_pyexpr *e)
{
	char mod[512];
	const char *attr;
	long r;

	if (e->kind == CT_PY_NAME) {
		if ((r = router_in(st, st->modules[k], e->str)) >= 0)
			return r;
		if (binding(st, k, e->str, mod, sizeof(mod), &attr) && attr)
			return router_in(st, mod, attr);
		return -1;
	}
	if (e->kind == CT_PY_ATTR &&
	    as_module(st, k, e->value, mod, sizeof(mod)))
		return router_in(st, mod, e->str);
	return -1;
}

static void find_routers(struct state *st, size_t k,
			 const struct ct_pystmt *body, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct ct_pystmt *s = &body[i];
		const struct ct_pyexpr *pre;
		struct router *r;
		char name[64];
		if (s->kind == CT_PY_BLOCK)
			find_routers(st, k, s->body, s->nbody);
		if ((s->kind != CT_PY_ASSIGN && s->kind != CT_PY_ANNASSIGN) ||
		    !s->value || s->value->kind != CT_PY_CALL ||
		    s->targets[0]->kind != CT_PY_NAME)
			continue;
		base_name(s->value->value, name, sizeof(name));
		if (strcmp(name, "APIRouter") && strcmp(name, "FastAPI"))
			continue;
		st->routers = ct_xgrow(st->routers, &st->caprouters,
				       st->nrouters + 1, sizeof(*st->routers));
		r = &st->routers[st->nrouters++];
		r->m = st->set->mods[k];
		r->module = st->modules[k];
		r->var = s->targets[0]->str;
		r->app = !strcmp(name, "FastAPI");
		r->included = 0;
		pre = ct_pycall_keyword(s->value, "prefix");
		r->prefix = pre && pre->kind == CT_PY_STR ? pre->str : "";
	}
}

static const char *const verbs[] = {"get",     "post",	    "put",
				    "patch",   "delete",    "head",
				    "options", "websocket", NULL};

static void add_route(struct state *st, size_t router,
		      const struct ct_pymodule *m, const char *method,
		      const char *path, unsigned line)
{
	struct route *rt;

	st->routes = ct_xgrow(st->routes, &st->caproutes, st->nroutes + 1,
			      sizeof(*st->routes));
	rt = &st->routes[st->nroutes++];
	rt->router = router;
	rt->m = m;
	snprintf(rt->method, sizeof(rt->method), "%s", method);
	for (char *p = rt->method; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	rt->path = path;
	rt->line = line;
}

static void find_routes(struct state *st, size_t k,
			const struct ct_pystmt *body, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct ct_pystmt *s = &body[i];
		if (s->kind == CT_PY_BLOCK || s->kind == CT_PY_CLASS)
			find_routes(st, k, s->body, s->nbody);
		if (s->kind != CT_PY_DEF)
			continue;
		for (size_t d = 0; d < s->ndecorators; d++) {
			const struct ct_pyexpr *c = s->decorators[d], *path;
			long r;
			if (c->kind != CT_PY_CALL || !c->value ||
			    c->value->kind != CT_PY_ATTR ||
			    (r = resolve(st, k, c->value->value)) < 0)
				continue;
			path = c->nitems ? c->items[0]
					 : ct_pycall_keyword(c, "path");
			if (!path || path->kind != CT_PY_STR)
				continue;
			if (!strcmp(c->value->str, "api_route")) {
				const struct ct_pyexpr *ms =
				    ct_pycall_keyword(c, "methods");
				if (!ms) {
					add_route(st, (size_t)r,
						  st->set->mods[k], "GET",
						  path->str, c->line);
					continue;
				}
				for (size_t j = 0; j < ms->nitems; j++)
					if (ms->items[j]->kind == CT_PY_STR)
						add_route(st, (size_t)r,
							  st->set->mods[k],
							  ms->items[j]->str,
							  path->str, c->line);
			} else if (opt_has(NULL, "", verbs, c->value->str)) {
				add_route(st, (size_t)r, st->set->mods[k],
					  c->value->str, path->str, c->line);
			}
		}
	}
}

static void find_includes(struct state *st, size_t k)
{
	const struct ct_pymodule *m = st->set->mods[k];

	for (size_t i = 0; i < m->nexprs; i++) {
		const struct ct_pyexpr *c = m->exprs[i], *pre;
		long parent, child;
		struct include *inc;
		if (c->kind != CT_PY_CALL || !c->value ||
		    c->value->kind != CT_PY_ATTR ||
		    strcmp(c->value->str, "include_router") || !c->nitems ||
		    (parent = resolve(st, k, c->value->value)) < 0 ||
		    (child = resolve(st, k, c->items[0])) < 0)
			continue;
		st->incs = ct_xgrow(st->incs, &st->capincs, st->nincs + 1,
				    sizeof(*st->incs));
		inc = &st->incs[st->nincs++];
		inc->parent = (size_t)parent;
		inc->child = (size_t)child;
		pre = ct_pycall_keyword(c, "prefix");
		inc->prefix = pre && pre->kind == CT_PY_STR ? pre->str : "";
		st->routers[child].included = 1;
	}
}

/* "/vm/{vmid:int}" -> "/vm/{vmid}"; a leading "/" always */
static void normal_path(struct ct_buf *out, const char *path)
{
	struct ct_buf tmp = CT_BUF_INIT;
	const char *p = path;

	if (*p != '/')
		ct_buf_addch(&tmp, '/');
	while (*p) {
		if (*p == '{') {
			size_t n = strcspn(p, ":}");
			ct_buf_add(&tmp, p, n);
			p += n;
			if (*p == ':')
				p += strcspn(p, "}");
			continue;
		}
		ct_buf_addch(&tmp, *p++);
	}
	ct_buf_add(out, tmp.ptr, tmp.len);
	ct_buf_release(&tmp);
}

static void emit(struct state *st, size_t r, const char *acc, unsigned depth)
{
	struct ct_buf base = CT_BUF_INIT;

	if (depth > 16)
		return;
	ct_buf_addf(&base, "%s%s", acc, st->routers[r].prefix);
	for (size_t i = 0; i < st->nroutes; i++) {
		const struct route *rt = &st->routes[i];
		struct ct_buf path = CT_BUF_INIT, full = CT_BUF_INIT;
		json_object *o;
		int dup = 0;
		if (rt->router != r)
			continue;
		ct_buf_addf(&full, "%s%s", base.ptr, rt->path);
		normal_path(&path, full.ptr);
		for (size_t j = 0; j < json_object_array_length(st->out); j++) {
			json_object *x = json_object_array_get_idx(st->out, j);
			dup |= !strcmp(json_object_get_string(
					   json_object_object_get(x, "path")),
				       path.ptr) &&
			       !strcmp(json_object_get_string(
					   json_object_object_get(x, "method")),
				       rt->method);
		}
		if (!dup) {
			note_origin(st->ctx, rt->m, rt->line, "/x-routes/%zu",
				    json_object_array_length(st->out));
			o = json_object_new_object();
			json_object_object_add(
			    o, "method", json_object_new_string(rt->method));
			json_object_object_add(
			    o, "path", json_object_new_string(path.ptr));
			json_object_array_add(st->out, o);
		}
		ct_buf_release(&path);
		ct_buf_release(&full);
	}
	for (size_t i = 0; i < st->nincs; i++) {
		struct ct_buf next = CT_BUF_INIT;
		if (st->incs[i].parent != r)
			continue;
		ct_buf_addf(&next, "%s%s", base.ptr, st->incs[i].prefix);
		emit(st, st->incs[i].child, next.ptr, depth + 1);
		ct_buf_release(&next);
	}
	ct_buf_release(&base);
}

/* Whether the bytes may define, include or decorate routes: a router or
 * an app is made or included, or something is decorated with .get(...),
 * .post(...) and the like. Files without are not parsed. */
static int routing(const char *bytes, size_t len, void *data)
{
	static const char *const words[] = {"APIRouter",
					    "FastAPI",
					    "include_router",
					    "add_api_route",
					    ".api_route(",
					    ".websocket(",
					    NULL};
	const char *end = bytes + len;

	(void)data;
	for (const char *const *w = words; *w; w++)
		for (const char *p = bytes;
		     (p = memchr(p, (*w)[0], (size_t)(end - p)));) {
			size_t n = strlen(*w);
			if ((size_t)(end - p) >= n && !memcmp(p, *w, n))
				return 1;
			p++;
		}
	/* @x.get( ... */
	for (const char *p = bytes; (p = memchr(p, '@', (size_t)(end - p)));) {
		const char *q = ++p;
		while (q < end && *q != '(' && *q != '\n')
			q++;
		for (size_t v = 0; q < end && *q == '(' && verbs[v]; v++) {
			size_t n = strlen(verbs[v]);
			if ((size_t)(q - p) > n && q[-(long)n - 1] == '.' &&
			    !memcmp(q - n, verbs[v], n))
				return 1;
		}
	}
	return 0;
}

static int run(struct ct_extract_ctx *ctx, const struct ct_source_file *files,
	       size_t n, struct ct_err *err)
{
	struct pyset set;
	struct state st;
	int rc = pyset_parse_if(&set, ctx, files, n, 0, routing, NULL, err),
	    apps = 0;

	memset(&st, 0, sizeof(st));
	if (rc && !ctx->keep_going)
		goto done;
	st.ctx = ctx;
	st.set = &set;
	st.modules = ct_xcalloc(set.n ? set.n : 1, sizeof(*st.modules));
	for (size_t k = 0; k < set.n; k++)
		st.modules[k] = module_name(set.mods[k]->path);
	for (size_t k = 0; k < set.n; k++)
		find_routers(&st, k, set.mods[k]->body, set.mods[k]->nbody);
	for (size_t k = 0; k < set.n; k++) {
		find_routes(&st, k, set.mods[k]->body, set.mods[k]->nbody);
		find_includes(&st, k);
	}
	st.out = ct_contract_member(ctx->out, "x-routes");
	if (!st.out) {
		st.out = json_object_new_array();
		ct_contract_set_member(ctx->out, "x-routes", st.out);
	}
	for (size_t r = 0; r < st.nrouters; r++)
		apps += st.routers[r].app;
	/* the apps are the roots; without one, every router no one includes */
	for (size_t r = 0; r < st.nrouters; r++)
		if (apps ? st.routers[r].app : !st.routers[r].included)
			emit(&st, r, "", 0);
done:
	for (size_t k = 0; st.modules && k < set.n; k++)
		free(st.modules[k]);
	free(st.modules);
	free(st.routers);
	free(st.routes);
	free(st.incs);
	pyset_release(&set);
	return rc;
}

const struct ct_extractor ct_extract_fastapi_routes = {
    "fastapi-routes",
    "FastAPI routes with router prefixes followed through include_router()",
    CT_EXTRACT_PYTHON, run, NULL};
