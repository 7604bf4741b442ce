/* fastapi-routes: the route table of the served FastAPI application, from
 * the application object down, read as a tiny interpreter over the
 * repository view. Routers are the values of FastAPI(...) and
 * APIRouter(...) calls (one per call site); decorators, add_api_route()
 * and include_router() fill and link them, at module level or in any
 * function; a call of a function of the repository (a register_*_routes
 * helper, an app factory) reads that function with its parameters bound to
 * the routers given, and `return NAME` is the call's value. Routes of other
 * applications and of routers no one includes are written apart. */
#include "pyshared.h"

#include "contracts/json.h"
#include "contracts/keymap.h"
#include "contracts/xalloc.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 32	/* calls of functions within calls */
#define MAX_MODULES 256 /* modules read while reading one */
#define ENV_SCAN 8	/* bindings an environment scans before an index */

enum vkind { V_NONE, V_ROUTER, V_DEF, V_MODULE };

struct val {
	enum vkind kind;
	size_t router;
	const struct ct_pymodule *m;
	const struct ct_pystmt *def;
};

struct binding {
	const char *name;
	struct val v;
};

/* Names are few in a function and many in some modules: past ENV_SCAN
 * bindings, `index` finds them. */
struct env {
	struct binding *v;
	size_t n, cap;
	struct ct_keymap index; /* name -> position in v, when n > ENV_SCAN */
};

struct router {
	const struct ct_pymodule *m;
	const struct ct_pyexpr *call;
	const char *name, *prefix;
	int app, included;
};

struct route {
	size_t router;
	const struct ct_pymodule *m;
	unsigned line;
	char method[16];
	const char *path;
	const struct ct_pystmt *def; /* the endpoint, or NULL */
	const struct ct_pyexpr *response;
};

struct include {
	size_t parent, child;
	const char *prefix;
};

struct modenv {
	const struct ct_pymodule *m;
	struct env env;
};

struct done {
	const struct ct_pystmt *def;
	struct val ret;
};

/* What the view resolved a name of a module to (ct_pyrepo_lookup()). */
struct found {
	int rc;
	struct ct_pyname n;
};

struct scope {
	const struct ct_pymodule *m;
	struct env *env;
	int local;
};

struct state {
	struct ct_extract_ctx *ctx;
	struct ct_pyrepo *view;
	struct router *routers;
	size_t nrouters, caprouters;
	struct ct_keymap router_of; /* call expression -> router */
	struct route *routes;
	size_t nroutes, caproutes;
	struct ct_keymap route_of; /* router, method, path -> route */
	struct include *incs;
	size_t nincs, capincs;
	struct modenv *mods;
	size_t nmods, capmods;
	struct ct_keymap mod_of; /* module -> its entry in mods */
	struct done *done;
	size_t ndone, capdone;
	struct ct_keymap done_of; /* def and bound parameters -> done */
	struct found *found;
	size_t nfound, capfound;
	struct ct_keymap found_of; /* module and name -> found */
	struct ct_buf key; /* a key being built, never kept across a call
			    * that may come back to build another */
	/* where effects() last stopped in the expressions of `at_m`: the
	 * next statement's usually start there */
	const struct ct_pymodule *at_m;
	size_t at;
	unsigned depth, mdepth;
};

/* A key of several fields: the bytes of each, then a NUL after strings. */
static void key_ptr(struct ct_buf *key, const void *p)
{
	ct_buf_add(key, &p, sizeof(p));
}

static void key_size(struct ct_buf *key, size_t n)
{
	ct_buf_add(key, &n, sizeof(n));
}

static void key_str(struct ct_buf *key, const char *s)
{
	ct_buf_add(key, s, strlen(s) + 1);
}

static const char *const verbs[] = {"get",	 "post", "put",	    "patch",
				    "delete",	 "head", "options", "trace",
				    "websocket", NULL};

/* ---- environments -------------------------------------------------------- */

static struct val *env_get(struct env *e, const char *name)
{
	size_t i;

	if (e->n > ENV_SCAN)
		return ct_keymap_get(&i, &e->index, name, strlen(name))
			   ? &e->v[i].v
			   : NULL;
	for (i = e->n; i-- > 0;)
		if (!strcmp(e->v[i].name, name))
			return &e->v[i].v;
	return NULL;
}

static void env_set(struct env *e, const char *name, const struct val *v)
{
	struct val *have = env_get(e, name);

	if (have) {
		*have = *v;
		return;
	}
	e->v = ct_xgrow(e->v, &e->cap, e->n + 1, sizeof(*e->v));
	e->v[e->n].name = name;
	e->v[e->n++].v = *v;
	if (e->n == ENV_SCAN + 1) /* from now on, by the index */
		for (size_t i = 0; i < e->n; i++)
			ct_keymap_put(&e->index, e->v[i].name,
				      strlen(e->v[i].name), i);
	else if (e->n > ENV_SCAN + 1)
		ct_keymap_put(&e->index, name, strlen(name), e->n - 1);
}

static void env_clear(struct env *e)
{
	e->n = 0;
	ct_keymap_clear(&e->index);
}

static void env_release(struct env *e)
{
	free(e->v);
	ct_keymap_release(&e->index);
}

static void env_unset(struct env *e, const char *name)
{
	struct val none = {V_NONE, 0, NULL, NULL};

	if (env_get(e, name))
		env_set(e, name, &none);
}

static struct env *module_env(struct state *st, const struct ct_pymodule *m);

/* ---- values -------------------------------------------------------------- */

static struct val none_val(void)
{
	struct val v = {V_NONE, 0, NULL, NULL};
	return v;
}

static const char *str_of(const struct ct_pyexpr *e)
{
	return e && e->kind == CT_PY_STR ? e->str : NULL;
}

/* What a name the view resolved stands for here. */
static struct val of_name(struct state *st, const struct ct_pyname *n)
{
	struct val v = none_val();

	if (n->kind == CT_PYNAME_MODULE && n->module) {
		v.kind = V_MODULE;
		v.m = n->module;
	} else if (n->kind == CT_PYNAME_OTHER && n->stmt &&
		   n->stmt->kind == CT_PY_DEF) {
		v.kind = V_DEF;
		v.m = n->module;
		v.def = n->stmt;
	} else if (n->kind == CT_PYNAME_OTHER && n->stmt) {
		struct env *e = module_env(st, n->module);
		for (size_t t = 0; t < n->stmt->ntargets; t++) {
			struct val *got;
			if (n->stmt->targets[t]->kind == CT_PY_NAME &&
			    (got = env_get(e, n->stmt->targets[t]->str)))
				return *got;
		}
	}
	return v;
}

static struct val call_def(struct state *st, const struct scope *sc,
			   const struct val *fn, const struct ct_pyexpr *call);

/* ct_pyrepo_lookup(), remembered: every function of a module looks the
 * same names up again. */
static int lookup(struct ct_pyname *out, struct state *st,
		  const struct ct_pymodule *m, const char *name)
{
	struct ct_buf *key = &st->key;
	size_t i;

	ct_buf_reset(key);
	key_ptr(key, m);
	key_str(key, name);
	if (!ct_keymap_get(&i, &st->found_of, key->ptr, key->len)) {
		struct ct_err quiet = CT_ERR_INIT;
		st->found = ct_xgrow(st->found, &st->capfound, st->nfound + 1,
				     sizeof(*st->found));
		i = st->nfound++;
		st->found[i].rc = ct_pyrepo_lookup(&st->found[i].n, st->view, m,
						   name, &quiet);
		ct_keymap_put(&st->found_of, key->ptr, key->len, i);
	}
	*out = st->found[i].n;
	return st->found[i].rc;
}

static struct val value(struct state *st, const struct scope *sc,
			const struct ct_pyexpr *e)
{
	struct ct_err quiet = CT_ERR_INIT;
	struct ct_pyname n;
	struct val *got;

	if (!e)
		return none_val();
	if (e->kind == CT_PY_NAME) {
		if (sc->local && (got = env_get(sc->env, e->str)))
			return *got;
		if ((got = env_get(module_env(st, sc->m), e->str)))
			return *got;
		if (!lookup(&n, st, sc->m, e->str))
			return of_name(st, &n);
		return none_val();
	}
	if (e->kind == CT_PY_ATTR) {
		struct val base = value(st, sc, e->value);
		if (base.kind != V_MODULE)
			return none_val();
		if ((got = env_get(module_env(st, base.m), e->str)))
			return *got;
		if (!ct_pyrepo_resolve(&n, st->view, sc->m, e, &quiet))
			return of_name(st, &n);
		return none_val();
	}
	if (e->kind == CT_PY_CALL && e->value) {
		char name[64];
		struct val fn;
		base_name(e->value, name, sizeof(name));
		if (!strcmp(name, "FastAPI") || !strcmp(name, "APIRouter")) {
			struct val v = {V_ROUTER, 0, sc->m, NULL};
			struct router *r;
			const struct ct_pyexpr *pre;
			if (ct_keymap_get(&v.router, &st->router_of, &e,
					  sizeof(e)))
				return v;
			st->routers =
			    ct_xgrow(st->routers, &st->caprouters,
				     st->nrouters + 1, sizeof(*st->routers));
			r = &st->routers[st->nrouters];
			memset(r, 0, sizeof(*r));
			r->m = sc->m;
			r->call = e;
			r->app = !strcmp(name, "FastAPI");
			pre = ct_pycall_keyword(e, "prefix");
			r->prefix = str_of(pre) ? str_of(pre) : "";
			v.router = st->nrouters++;
			ct_keymap_put(&st->router_of, &e, sizeof(e), v.router);
			return v;
		}
		fn = value(st, sc, e->value);
		if (fn.kind == V_DEF)
			return call_def(st, sc, &fn, e);
	}
	return none_val();
}

/* ---- registrations ------------------------------------------------------- */

static void add_route(struct state *st, size_t router,
		      const struct ct_pymodule *m, const char *method,
		      const char *path, unsigned line,
		      const struct ct_pystmt *def,
		      const struct ct_pyexpr *response)
{
	struct ct_buf *key = &st->key;
	struct route *rt;
	char up[16];
	size_t i;

	for (i = 0; method[i] && i + 1 < sizeof(up); i++)
		up[i] = (char)(method[i] >= 'a' && method[i] <= 'z'
				   ? method[i] - 'a' + 'A'
				   : method[i]);
	up[i] = '\0';
	ct_buf_reset(key);
	key_size(key, router);
	key_str(key, up);
	key_str(key, path);
	if (!ct_keymap_put(&st->route_of, key->ptr, key->len, st->nroutes))
		return;
	st->routes = ct_xgrow(st->routes, &st->caproutes, st->nroutes + 1,
			      sizeof(*st->routes));
	rt = &st->routes[st->nroutes++];
	rt->router = router;
	rt->m = m;
	memcpy(rt->method, up, sizeof(up));
	rt->path = path;
	rt->line = line;
	rt->def = def;
	rt->response = response;
}

/* api_route(methods=[...]) and add_api_route(..., methods=[...]): GET when
 * no methods are given. */
static void add_methods(struct state *st, size_t router,
			const struct ct_pymodule *m,
			const struct ct_pyexpr *call, const char *path,
			const struct ct_pystmt *def)
{
	const struct ct_pyexpr *ms = ct_pycall_keyword(call, "methods");
	const struct ct_pyexpr *resp =
	    ct_pycall_keyword(call, "response_model");

	if (!ms) {
		add_route(st, router, m, "GET", path, call->line, def, resp);
		return;
	}
	if (ms->kind != CT_PY_LIST && ms->kind != CT_PY_TUPLE &&
	    ms->kind != CT_PY_SET)
		return;
	for (size_t j = 0; j < ms->nitems; j++)
		if (str_of(ms->items[j]))
			add_route(st, router, m, ms->items[j]->str, path,
				  call->line, def, resp);
}

static void decorator(struct state *st, const struct scope *sc,
		      const struct ct_pyexpr *c, const struct ct_pystmt *def)
{
	const char *path;
	struct val r;

	if (c->kind != CT_PY_CALL || !c->value || c->value->kind != CT_PY_ATTR)
		return;
	if (!opt_has(NULL, "", verbs, c->value->str) &&
	    strcmp(c->value->str, "api_route"))
		return;
	r = value(st, sc, c->value->value);
	if (r.kind != V_ROUTER)
		return;
	path = str_of(c->nitems ? c->items[0] : ct_pycall_keyword(c, "path"));
	if (!path)
		return;
	if (!strcmp(c->value->str, "api_route"))
		add_methods(st, r.router, sc->m, c, path, def);
	else
		add_route(st, r.router, sc->m, c->value->str, path, c->line,
			  def, ct_pycall_keyword(c, "response_model"));
}

static void include(struct state *st, size_t parent, size_t child,
		    const char *prefix)
{
	struct include *inc;

	st->routers[child].included = 1;
	for (size_t i = 0; i < st->nincs; i++)
		if (st->incs[i].parent == parent &&
		    st->incs[i].child == child &&
		    !strcmp(st->incs[i].prefix, prefix))
			return;
	st->incs =
	    ct_xgrow(st->incs, &st->capincs, st->nincs + 1, sizeof(*st->incs));
	inc = &st->incs[st->nincs++];
	inc->parent = parent;
	inc->child = child;
	inc->prefix = prefix;
}

/* One call of a statement: a registration, or a function of the
 * repository given a router. */
static void effect(struct state *st, const struct scope *sc,
		   const struct ct_pyexpr *c)
{
	const char *what;
	struct val r, fn;

	if (!c->value)
		return;
	what = c->value->kind == CT_PY_ATTR ? c->value->str : "";
	if (!strcmp(what, "include_router")) {
		const struct ct_pyexpr *child =
		    c->nitems ? c->items[0] : ct_pycall_keyword(c, "router");
		const struct ct_pyexpr *pre = ct_pycall_keyword(c, "prefix");
		struct val ch;
		if ((r = value(st, sc, c->value->value)).kind != V_ROUTER ||
		    (ch = value(st, sc, child)).kind != V_ROUTER ||
		    (pre && !str_of(pre)))
			return;
		include(st, r.router, ch.router, pre ? pre->str : "");
		return;
	}
	if (!strcmp(what, "add_api_route") ||
	    !strcmp(what, "add_api_websocket_route")) {
		const char *path = str_of(
		    c->nitems ? c->items[0] : ct_pycall_keyword(c, "path"));
		if (!path ||
		    (r = value(st, sc, c->value->value)).kind != V_ROUTER)
			return;
		if (what[8] == 'w')
			add_route(st, r.router, sc->m, "WEBSOCKET", path,
				  c->line, NULL, NULL);
		else
			add_methods(st, r.router, sc->m, c, path, NULL);
		return;
	}
	if (c->value->kind != CT_PY_NAME && c->value->kind != CT_PY_ATTR)
		return;
	for (size_t i = 0; i < c->nitems + c->nkeywords; i++) {
		const struct ct_pyexpr *a =
		    i < c->nitems ? c->items[i]
				  : c->keywords[i - c->nitems].value;
		if ((a->kind == CT_PY_NAME || a->kind == CT_PY_ATTR) &&
		    value(st, sc, a).kind == V_ROUTER) {
			fn = value(st, sc, c->value);
			if (fn.kind == V_DEF)
				call_def(st, sc, &fn, c);
			return;
		}
	}
}

/* Every call inside expression e (which the module's expression list holds
 * in source order), e included. */
static void effects(struct state *st, const struct scope *sc,
		    const struct ct_pyexpr *e)
{
	const struct ct_pymodule *m = sc->m;
	size_t lo = 0, hi = m->nexprs, i;

	if (!e)
		return;
	/* the first expression starting at e->start: a binary search, in
	 * steps growing from where the last call stopped when e comes after */
	if (st->at_m == m && st->at <= m->nexprs &&
	    (st->at == 0 || m->exprs[st->at - 1]->start < e->start)) {
		size_t probe = st->at, step = 1;
		lo = probe;
		while (probe < m->nexprs && m->exprs[probe]->start < e->start) {
			lo = probe + 1;
			probe = lo + step;
			step *= 2;
		}
		hi = probe < m->nexprs ? probe : m->nexprs;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->exprs[mid]->start < e->start)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < m->nexprs && m->exprs[i]->start < e->end; i++)
		if (m->exprs[i]->kind == CT_PY_CALL &&
		    m->exprs[i]->end <= e->end)
			effect(st, sc, m->exprs[i]);
	st->at_m = m;
	st->at = i;
}

static struct val run_body(struct state *st, const struct scope *sc,
			   const struct ct_pystmt *body, size_t n);

static void local_import(struct state *st, const struct scope *sc,
			 const struct ct_pystmt *s)
{
	for (size_t i = 0; i < s->nnames; i++) {
		struct ct_err quiet = CT_ERR_INIT;
		struct ct_pyname n;
		struct val v;
		const struct ct_pyalias *a = &s->names[i];
		if (!strcmp(a->name, "*") ||
		    ct_pyrepo_import(&n, st->view, sc->m, s, a->name, &quiet))
			continue;
		v = of_name(st, &n);
		if (v.kind != V_NONE)
			env_set(sc->env, a->asname ? a->asname : a->name, &v);
	}
}

static struct val stmt(struct state *st, const struct scope *sc,
		       const struct ct_pystmt *s)
{
	struct val v = none_val();

	switch (s->kind) {
	case CT_PY_DEF:
		for (size_t d = 0; d < s->ndecorators; d++)
			decorator(st, sc, s->decorators[d], s);
		if (sc->local)
			env_unset(sc->env, s->name);
		break;
	case CT_PY_ASSIGN:
	case CT_PY_ANNASSIGN:
		if (!s->value)
			break;
		effects(st, sc, s->value);
		v = value(st, sc, s->value);
		for (size_t t = 0; t < s->ntargets; t++) {
			const struct ct_pyexpr *x = s->targets[t];
			if (x->kind != CT_PY_NAME)
				continue;
			if (v.kind == V_ROUTER && !st->routers[v.router].name)
				st->routers[v.router].name = x->str;
			if (v.kind == V_ROUTER)
				env_set(sc->env, x->str, &v);
			else
				env_unset(sc->env, x->str);
		}
		return none_val();
	case CT_PY_FROM:
		if (sc->local)
			local_import(st, sc, s);
		break;
	case CT_PY_EXPR:
		effects(st, sc, s->value);
		break;
	case CT_PY_SIMPLE:
		if (s->name && !strcmp(s->name, "return") && s->value) {
			effects(st, sc, s->value);
			v = value(st, sc, s->value);
			return v.kind == V_ROUTER ? v : none_val();
		}
		break;
	case CT_PY_BLOCK:
		return run_body(st, sc, s->body, s->nbody);
	default:
		break;
	}
	return none_val();
}

static struct val run_body(struct state *st, const struct scope *sc,
			   const struct ct_pystmt *body, size_t n)
{
	struct val ret = none_val();

	for (size_t i = 0; i < n; i++) {
		struct val v = stmt(st, sc, &body[i]);
		if (ret.kind == V_NONE)
			ret = v;
	}
	return ret;
}

static struct env *module_env(struct state *st, const struct ct_pymodule *m)
{
	struct scope sc;
	size_t k;

	if (ct_keymap_get(&k, &st->mod_of, &m, sizeof(m)))
		return &st->mods[k].env;
	st->mods =
	    ct_xgrow(st->mods, &st->capmods, st->nmods + 1, sizeof(*st->mods));
	k = st->nmods++;
	ct_keymap_put(&st->mod_of, &m, sizeof(m), k);
	memset(&st->mods[k], 0, sizeof(st->mods[k]));
	st->mods[k].m = m;
	/* The entry exists before the body runs, so import cycles end. The
	 * array may move while it runs (other modules are read): statements
	 * bind into a private env, published after each. */
	if (st->mdepth < MAX_MODULES) {
		struct env env;
		memset(&env, 0, sizeof(env));
		st->mdepth++;
		sc.m = m;
		sc.env = &env;
		sc.local = 0;
		for (size_t i = 0; i < m->nbody; i++) {
			stmt(st, &sc, &m->body[i]);
			for (size_t j = 0; j < env.n; j++)
				env_set(&st->mods[k].env, env.v[j].name,
					&env.v[j].v);
			env_clear(&env);
		}
		env_release(&env);
		st->mdepth--;
	}
	return &st->mods[k].env;
}

static struct val call_def(struct state *st, const struct scope *sc,
			   const struct val *fn, const struct ct_pyexpr *call)
{
	const struct ct_pystmt *def = fn->def;
	struct ct_buf *memo = &st->key;
	struct env env;
	struct scope inner;
	struct val ret;
	char key[128] = "";
	size_t k, nkey = 0, npos = 0;

	memset(&env, 0, sizeof(env));
	for (size_t i = 0; i < def->nparams && npos < call->nitems; i++) {
		struct val v;
		if (def->params[i].name[0] == '*')
			break;
		v = value(st, sc, call->items[npos++]);
		if (v.kind == V_ROUTER)
			env_set(&env, def->params[i].name, &v);
	}
	for (size_t i = 0; i < call->nkeywords; i++) {
		struct val v;
		if (!call->keywords[i].name)
			continue;
		v = value(st, sc, call->keywords[i].value);
		for (size_t j = 0; v.kind == V_ROUTER && j < def->nparams; j++)
			if (!strcmp(def->params[j].name,
				    call->keywords[i].name))
				env_set(&env, def->params[j].name, &v);
	}
	for (size_t i = 0; i < env.n; i++)
		nkey += (size_t)snprintf(
		    key + nkey, nkey < sizeof(key) ? sizeof(key) - nkey : 0,
		    "%s=%zu;", env.v[i].name, env.v[i].v.router);
	ct_buf_reset(memo);
	key_ptr(memo, def);
	key_str(memo, key);
	if (ct_keymap_get(&k, &st->done_of, memo->ptr, memo->len)) {
		ret = st->done[k].ret;
		goto done;
	}
	if (st->depth >= MAX_DEPTH) {
		ret = none_val();
		goto done;
	}
	st->done =
	    ct_xgrow(st->done, &st->capdone, st->ndone + 1, sizeof(*st->done));
	k = st->ndone++;
	ct_keymap_put(&st->done_of, memo->ptr, memo->len, k);
	st->done[k].def = def;
	st->done[k].ret = none_val(); /* while it runs: a recursion ends */
	inner.m = fn->m;
	inner.env = &env;
	inner.local = 1;
	st->depth++;
	ret = run_body(st, &inner, def->body, def->nbody);
	st->depth--;
	st->done[k].ret = ret;
done:
	env_release(&env);
	return ret;
}

/* Every function of the module read on its own, its parameters unbound:
 * routers made and filled inside functions count. */
static void read_defs(struct state *st, const struct ct_pymodule *m,
		      const struct ct_pystmt *body, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct ct_pystmt *s = &body[i];
		if (s->kind == CT_PY_DEF) {
			struct val fn = {V_DEF, 0, m, s};
			struct ct_pyexpr none;
			struct scope sc = {m, NULL, 0};
			memset(&none, 0, sizeof(none));
			none.kind = CT_PY_CALL;
			call_def(st, &sc, &fn, &none);
			read_defs(st, m, s->body, s->nbody);
		} else if (s->kind == CT_PY_CLASS || s->kind == CT_PY_BLOCK) {
			read_defs(st, m, s->body, s->nbody);
		}
	}
}

/* ---- output -------------------------------------------------------------- */

/* "/vm/{vmid:int}" -> "/vm/{vmid}", "{p:path}" kept; a leading "/". */
static void normal_path(struct ct_buf *out, const char *path)
{
	const char *p = path;

	if (*p != '/')
		ct_buf_addch(out, '/');
	while (*p) {
		if (*p == '{') {
			size_t n = strcspn(p, ":}");
			ct_buf_add(out, p, n);
			p += n;
			if (*p == ':') {
				size_t c = strcspn(p, "}");
				if (c == 5 && !strncmp(p, ":path", 5))
					ct_buf_adds(out, ":path");
				p += c;
			}
			continue;
		}
		ct_buf_addch(out, *p++);
	}
}

/* The model name of an annotation or response_model: `Model`,
 * `list[Model]` -> "Model"; NULL for anything that names no class of the
 * repository. */
static const char *model_name(struct state *st, const struct ct_pymodule *m,
			      const struct ct_pyexpr *e)
{
	struct ct_err quiet = CT_ERR_INIT;
	struct ct_pyname n;

	if (!e)
		return NULL;
	if (e->kind == CT_PY_SUBSCRIPT && e->nitems == 1 &&
	    e->items[0]->kind != CT_PY_TUPLE)
		return model_name(st, m, e->items[0]);
	if ((e->kind == CT_PY_NAME || e->kind == CT_PY_ATTR) &&
	    !ct_pyrepo_resolve(&n, st->view, m, e, &quiet) &&
	    n.kind == CT_PYNAME_CLASS)
		return n.cls->name;
	return NULL;
}

/* The request body model: the first parameter whose annotation names a
 * class of the repository (FastAPI reads a pydantic model parameter from
 * the body). */
static const char *body_name(struct state *st, const struct route *rt)
{
	if (!rt->def)
		return NULL;
	for (size_t i = 0; i < rt->def->nparams; i++) {
		const struct ct_pyexpr *a = rt->def->params[i].value;
		const char *name;
		if (a && a->kind == CT_PY_SUBSCRIPT && a->value &&
		    a->value->kind == CT_PY_NAME &&
		    !strcmp(a->value->str, "Annotated") && a->nitems &&
		    a->items[0]->kind == CT_PY_TUPLE && a->items[0]->nitems)
			a = a->items[0]->items[0];
		if (a && a->kind != CT_PY_SUBSCRIPT &&
		    (name = model_name(st, rt->m, a)))
			return name;
	}
	return NULL;
}

struct out {
	json_object *routes;
	const char *app, *router; /* what the routes belong to, or NULL */
	struct ct_keymap seen;	  /* route_key() of routes[0..nseen) */
	size_t nseen;
};

/* What tells written routes apart: path, method, whether they belong to a
 * router (not which one), and the application they belong to. */
static void route_key(struct ct_buf *key, const char *path, const char *method,
		      int router, const char *app)
{
	ct_buf_reset(key);
	key_str(key, path);
	key_str(key, method);
	ct_buf_addch(key, router ? 'r' : '-');
	ct_buf_addch(key, app ? 'a' : '-');
	if (app)
		key_str(key, app);
}

/* Takes the routes written since the last call into o->seen: emit()'s,
 * the dynamic ones, and those the contract held before. */
static void see_routes(struct out *o)
{
	struct ct_buf key = CT_BUF_INIT;

	for (; o->nseen < json_object_array_length(o->routes); o->nseen++) {
		json_object *y = json_object_array_get_idx(o->routes, o->nseen);
		json_object *a;
		const char *path = json_object_get_string(
			       json_object_object_get(y, "path")),
			   *method = json_object_get_string(
			       json_object_object_get(y, "method"));
		if (!path || !method)
			continue;
		route_key(&key, path, method,
			  json_object_object_get_ex(y, "router", NULL),
			  json_object_object_get_ex(y, "app", &a)
			      ? json_object_get_string(a)
			      : NULL);
		ct_keymap_put(&o->seen, key.ptr, key.len, o->nseen);
	}
	ct_buf_release(&key);
}

static void emit(struct state *st, struct out *o, size_t r, const char *acc,
		 unsigned depth)
{
	struct ct_buf base = CT_BUF_INIT, key = CT_BUF_INIT;

	if (depth > 16)
		return;
	ct_buf_addf(&base, "%s%s", acc, st->routers[r].prefix);
	for (size_t i = 0; i < st->nroutes; i++) {
		const struct route *rt = &st->routes[i];
		struct ct_buf full = CT_BUF_INIT, path = CT_BUF_INIT;
		const char *resp, *body;
		json_object *x;
		size_t j;
		if (rt->router != r)
			continue;
		ct_buf_addf(&full, "%s%s", base.ptr, rt->path);
		normal_path(&path, full.ptr);
		see_routes(o);
		route_key(&key, path.ptr, rt->method, o->router != NULL,
			  o->app);
		if (!ct_keymap_get(&j, &o->seen, key.ptr, key.len)) {
			note_origin(st->ctx, rt->m, rt->line, "/x-routes/%zu",
				    json_object_array_length(o->routes));
			x = json_object_new_object();
			json_object_object_add(
			    x, "method", json_object_new_string(rt->method));
			json_object_object_add(
			    x, "path", json_object_new_string(path.ptr));
			resp = model_name(st, rt->m, rt->response);
			if (!resp && !rt->response && rt->def)
				resp =
				    model_name(st, rt->m, rt->def->annotation);
			if (resp)
				json_object_object_add(
				    x, "response",
				    json_object_new_string(resp));
			if ((body = body_name(st, rt)))
				json_object_object_add(
				    x, "body", json_object_new_string(body));
			if (o->app)
				json_object_object_add(
				    x, "app", json_object_new_string(o->app));
			if (o->router)
				json_object_object_add(
				    x, "router",
				    json_object_new_string(o->router));
			json_object_array_add(o->routes, x);
		}
		ct_buf_release(&path);
		ct_buf_release(&full);
	}
	for (size_t i = 0; i < st->nincs; i++) {
		struct ct_buf next = CT_BUF_INIT;
		if (st->incs[i].parent != r)
			continue;
		ct_buf_addf(&next, "%s%s", base.ptr, st->incs[i].prefix);
		emit(st, o, st->incs[i].child, next.ptr, depth + 1);
		ct_buf_release(&next);
	}
	ct_buf_release(&key);
	ct_buf_release(&base);
}

/* "proxbox_api/app/factory.py" and a name -> "proxbox_api.app.factory:name" */
static char *dotted_of(const char *path, const char *name)
{
	struct ct_buf b = CT_BUF_INIT;
	size_t n = strlen(path);

	if (n > 12 && !strcmp(path + n - 12, "/__init__.py"))
		n -= 12;
	else if (n > 3 && !strcmp(path + n - 3, ".py"))
		n -= 3;
	for (size_t i = 0; i < n; i++)
		ct_buf_addch(&b, path[i] == '/' ? '.' : path[i]);
	ct_buf_addf(&b, ":%s", name ? name : "?");
	return ct_buf_detach(&b, NULL);
}

static char *router_label(const struct router *r)
{
	char *d = dotted_of(r->m->path, r->name), *out;
	struct ct_buf b = CT_BUF_INIT;

	ct_buf_addf(&b, "%s@%u", d, r->call->line);
	free(d);
	out = ct_buf_detach(&b, NULL);
	return out;
}

static void mark(const struct state *st, unsigned char *reach, size_t r,
		 unsigned depth)
{
	if (reach[r] || depth > 16)
		return;
	reach[r] = 1;
	for (size_t i = 0; i < st->nincs; i++)
		if (st->incs[i].parent == r)
			mark(st, reach, st->incs[i].child, depth + 1);
}

/* The application `module:name` names, as uvicorn reads it. */
static int find_app(long *out, struct state *st, const char *spec,
		    struct ct_err *err)
{
	const char *colon = strchr(spec, ':');
	struct ct_buf path = CT_BUF_INIT;
	const struct ct_pymodule *m = NULL;
	struct ct_err quiet = CT_ERR_INIT;
	struct val *v;
	int rc = 0;

	if (!colon || colon == spec || !colon[1])
		return ct_err_set(err, CT_EINVAL,
				  "app \"%s\" is not module:name", spec);
	for (const char *p = spec; p < colon; p++)
		ct_buf_addch(&path, *p == '.' ? '/' : *p);
	{
		size_t base = path.len;
		ct_buf_adds(&path, ".py");
		if (ct_pyrepo_module(&m, st->view, path.ptr, &quiet)) {
			path.len = base;
			path.ptr[base] = '\0';
			ct_buf_adds(&path, "/__init__.py");
			quiet.code = 0;
			if (ct_pyrepo_module(&m, st->view, path.ptr, &quiet))
				m = NULL;
		}
	}
	if (!m) {
		rc = ct_err_set(err, CT_ENOTFOUND,
				"app \"%s\": no module %.*s in the repository",
				spec, (int)(colon - spec), spec);
		goto done;
	}
	v = env_get(module_env(st, m), colon + 1);
	if (!v || v->kind != V_ROUTER || !st->routers[v->router].app) {
		rc = ct_err_set(err, CT_ENOTFOUND,
				"app \"%s\" is no FastAPI application", spec);
		goto done;
	}
	*out = (long)v->router;
done:
	ct_buf_release(&path);
	return rc;
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

/* The routes the application mounts at run time, which no reading of the
 * code can see: option "dynamic", ["METHOD /path", ...]. */
static void add_dynamic(struct state *st, json_object *routes)
{
	json_object *dyn;

	if (!st->ctx->options ||
	    !json_object_object_get_ex(st->ctx->options, "dynamic", &dyn) ||
	    !json_object_is_type(dyn, json_type_array))
		return;
	for (size_t i = 0; i < json_object_array_length(dyn); i++) {
		const char *s =
		    json_object_get_string(json_object_array_get_idx(dyn, i));
		const char *sp = strchr(s, ' ');
		json_object *x;
		if (!sp)
			continue;
		x = json_object_new_object();
		json_object_object_add(
		    x, "method", json_object_new_string_len(s, (int)(sp - s)));
		json_object_object_add(x, "path",
				       json_object_new_string(sp + 1));
		json_object_array_add(routes, x);
	}
}

static int in_set(const struct pyset *set, const struct ct_pymodule *m)
{
	for (size_t k = 0; k < set->n; k++)
		if (set->mods[k] == m)
			return 1;
	return 0;
}

static int run(struct ct_extract_ctx *ctx, const struct ct_source_file *files,
	       size_t n, struct ct_err *err)
{
	struct ct_buf empty = CT_BUF_INIT;
	struct pyset set;
	struct state st;
	struct out o;
	const char *spec = opt_string(ctx->options, "app");
	unsigned char *reach = NULL;
	long served = -1;
	size_t apps = 0;
	int rc = pyset_parse_if(&set, ctx, files, n, 0, routing, NULL, err);

	memset(&st, 0, sizeof(st));
	st.key = empty;
	memset(&o, 0, sizeof(o));
	if (rc && !ctx->keep_going)
		return rc;
	rc = 0;
	st.ctx = ctx;
	st.view = set.view;
	for (size_t k = 0; k < set.n; k++)
		module_env(&st, set.mods[k]);
	for (size_t k = 0; k < set.n; k++)
		read_defs(&st, set.mods[k], set.mods[k]->body,
			  set.mods[k]->nbody);
	if (spec) {
		if ((rc = find_app(&served, &st, spec, err)))
			goto done;
	} else {
		struct ct_buf names = CT_BUF_INIT;
		for (size_t r = 0; r < st.nrouters; r++) {
			char *d;
			if (!st.routers[r].app ||
			    !in_set(&set, st.routers[r].m))
				continue;
			served = (long)r;
			d = dotted_of(st.routers[r].m->path,
				      st.routers[r].name);
			ct_buf_addf(&names, "%s%s", apps++ ? ", " : "", d);
			free(d);
		}
		if (apps > 1) {
			rc = ct_err_set(err, CT_EINVAL,
					"%zu applications, name one with the "
					"\"app\" option: %s",
					apps, names.ptr);
			ct_buf_release(&names);
			goto done;
		}
		ct_buf_release(&names);
	}
	o.routes = ct_contract_member(ctx->out, "x-routes");
	if (!o.routes) {
		o.routes = json_object_new_array();
		ct_contract_set_member(ctx->out, "x-routes", o.routes);
	}
	o.app = o.router = NULL;
	if (served >= 0)
		emit(&st, &o, (size_t)served, "", 0);
	if (served >= 0)
		add_dynamic(&st, o.routes);
	reach = ct_xcalloc(st.nrouters ? st.nrouters : 1, 1);
	/* other applications of the files read, then routers nobody
	 * includes: apart, each named */
	for (size_t r = 0; r < st.nrouters; r++) {
		char *label;
		if (!st.routers[r].app)
			continue;
		mark(&st, reach, r, 0);
		if ((long)r == served || !in_set(&set, st.routers[r].m))
			continue;
		label = router_label(&st.routers[r]);
		o.app = label;
		emit(&st, &o, r, "", 0);
		free(label);
	}
	o.app = NULL;
	for (size_t r = 0; r < st.nrouters; r++) {
		char *label;
		if (reach[r] || st.routers[r].included ||
		    !in_set(&set, st.routers[r].m))
			continue;
		label = router_label(&st.routers[r]);
		o.router = label;
		emit(&st, &o, r, "", 0);
		free(label);
	}
done:
	free(reach);
	for (size_t k = 0; k < st.nmods; k++)
		env_release(&st.mods[k].env);
	free(st.mods);
	free(st.routers);
	free(st.routes);
	free(st.incs);
	free(st.done);
	free(st.found);
	ct_keymap_release(&o.seen);
	ct_keymap_release(&st.router_of);
	ct_keymap_release(&st.route_of);
	ct_keymap_release(&st.mod_of);
	ct_keymap_release(&st.done_of);
	ct_keymap_release(&st.found_of);
	ct_buf_release(&st.key);
	pyset_release(&set);
	return rc;
}

static const struct ct_optspec options[] = {{"app", CT_OPT_STRING, NULL},
					    {"dynamic", CT_OPT_STRINGS, NULL},
					    {NULL, 0, NULL}};

const struct ct_extractor ct_extract_fastapi_routes = {
    "fastapi-routes",
    "the route table of the served FastAPI application, include_router() "
    "followed across modules",
    CT_EXTRACT_PYTHON, run, options};
