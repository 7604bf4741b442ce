#include "contracts/manifest.h"

#include "contracts/extract.h"
#include "contracts/file.h"
#include "contracts/json.h"
#include "contracts/xalloc.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- loading ------------------------------------------------------------ */

struct loader {
	const char *path;
	const char *text;
	size_t len;
	struct ct_err *err;
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
bad(const struct loader *l, const char *pointer, const char *fmt, ...);

static int bad(const struct loader *l, const char *pointer, const char *fmt,
	       ...)
{
	struct ct_json_span all = {0, l->len}, at;
	unsigned line = 0, col = 0;
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!ct_json_locate(&at, l->text, all, pointer)) {
		line = col = 1;
		ct_json_advance(l->text, 0, at.off, &line, &col);
	}
	return ct_err_at(l->err, CT_EINVAL, l->path, line, col,
			 "invalid manifest: %s: %s", *pointer ? pointer : "/",
			 msg);
}

static int only_keys(const struct loader *l, const char *pointer,
		     json_object *o, const char *const *keys)
{
	json_object_object_foreach(o, k, v)
	{
		int known = 0;
		(void)v;
		for (const char *const *x = keys; *x; x++)
			known |= !strcmp(*x, k);
		if (!known)
			return bad(l, pointer, "unknown key \"%s\"", k);
	}
	return 0;
}

static const char *str_of(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) &&
		       json_object_is_type(v, json_type_string)
		   ? json_object_get_string(v)
		   : NULL;
}

/* A path location is relative to the manifest's folder, as its pins are,
 * so the manifest works from any folder; a URL is taken as it is. */
static char *located(const struct ct_manifest *m, const char *location)
{
	struct ct_buf out = CT_BUF_INIT;

	if (strstr(location, "://") || location[0] == '/' ||
	    !strcmp(m->dir, "."))
		return ct_xstrdup(location);
	ct_buf_addf(&out, "%s/%s", m->dir, location);
	return ct_buf_detach(&out, NULL);
}

static int load_repos(struct ct_manifest *m, const struct loader *l,
		      json_object *repos)
{
	static const char *const keys[] = {
	    "location",	    "ref",     "role", "description",
	    "version_file", "release", NULL};
	char ptr[300];
	int rc;

	if (!json_object_is_type(repos, json_type_object) ||
	    !json_object_object_length(repos))
		return bad(l, "/repositories",
			   "must be an object naming the repositories");
	m->repos = ct_xcalloc((size_t)json_object_object_length(repos),
			      sizeof(*m->repos));
	json_object_object_foreach(repos, name, r)
	{
		struct ct_mrepo *mr = &m->repos[m->nrepos];
		const char *role;
		snprintf(ptr, sizeof(ptr), "/repositories/%s", name);
		if (!json_object_is_type(r, json_type_object))
			return bad(l, ptr, "must be an object");
		if ((rc = only_keys(l, ptr, r, keys)))
			return rc;
		if (!str_of(r, "location"))
			return bad(l, ptr, "missing key \"location\"");
		role = str_of(r, "role");
		if (!role ||
		    (strcmp(role, "provider") && strcmp(role, "consumer")))
			return bad(
			    l, ptr,
			    "\"role\" must be \"provider\" or \"consumer\"");
		/* refused before anything is taken: only the first nrepos
		 * entries are freed with the manifest */
		if (str_of(r, "version_file") &&
		    !ct_path_is_safe(str_of(r, "version_file")))
			return bad(l, ptr,
				   "\"version_file\" escapes the repository");
		mr->name = ct_xstrdup(name);
		mr->location = located(m, str_of(r, "location"));
		mr->ref =
		    str_of(r, "ref") ? ct_xstrdup(str_of(r, "ref")) : NULL;
		mr->role = strcmp(role, "provider") ? CT_ROLE_CONSUMER
						    : CT_ROLE_PROVIDER;
		if (str_of(r, "version_file"))
			mr->version_file =
			    ct_xstrdup(str_of(r, "version_file"));
		/* checked by the gate, the one command that reads it */
		if (json_object_object_get_ex(r, "release", &mr->release))
			json_object_get(mr->release);
		m->nrepos++;
	}
	return 0;
}

/* An array of paths or globs, each staying inside the repository. */
static int load_globs(const struct loader *l, const char *ptr, json_object *arr,
		      char ***out, size_t *n)
{
	*n = json_object_array_length(arr);
	*out = ct_xcalloc(*n ? *n : 1, sizeof(**out));
	for (size_t i = 0; i < *n; i++) {
		const char *p =
		    json_object_get_string(json_object_array_get_idx(arr, i));
		struct ct_buf check = CT_BUF_INIT;
		int safe;
		/* a glob must stay inside the repository, like a path */
		for (const char *q = p ? p : ""; *q; q++)
			ct_buf_addch(&check, *q == '*' || *q == '?' ? 'x' : *q);
		safe = p && ct_path_is_safe(check.ptr);
		ct_buf_release(&check);
		if (!safe) {
			*n = i; /* what is there is freed with the manifest */
			return bad(l, ptr, "path \"%s\" escapes the repository",
				   p ? p : "");
		}
		(*out)[i] = ct_xstrdup(p);
	}
	return 0;
}

static int load_source(struct ct_manifest *m, const struct loader *l,
		       const char *ptr, json_object *s, struct ct_msource *ms)
{
	static const char *const keys[] = {"repo",	"extractor", "paths",
					   "options",	"label",     "url",
					   "token_env", "exclude",   NULL};
	const char *repo = str_of(s, "repo"), *x = str_of(s, "extractor");
	const char *label = str_of(s, "label");
	json_object *paths, *opts;
	long r;
	int rc;

	if (!json_object_is_type(s, json_type_object))
		return bad(l, ptr, "a source must be an object");
	if ((rc = only_keys(l, ptr, s, keys)))
		return rc;
	if (!repo || (r = ct_manifest_repo(m, repo)) < 0)
		return bad(l, ptr,
			   "\"repo\" must name one of the repositories");
	if (!x || !ct_extractor_find(x))
		return bad(l, ptr, "unknown extractor \"%s\"", x ? x : "");
	ms->repo = (size_t)r;
	ms->extractor = ct_xstrdup(x);
	if (str_of(s, "token_env"))
		ms->token_env = ct_xstrdup(str_of(s, "token_env"));
	if (str_of(s, "url")) {
		const char *u = str_of(s, "url");
		if (json_object_object_get_ex(s, "paths", NULL))
			return bad(
			    l, ptr,
			    "a source reads \"paths\" or a \"url\", not both");
		if (strncmp(u, "http://", 7) && strncmp(u, "https://", 8))
			return bad(l, ptr,
				   "\"url\" must be http:// or https://");
		ms->url = ct_xstrdup(u);
		goto rest;
	}
	if (!json_object_object_get_ex(s, "paths", &paths) ||
	    !json_object_is_type(paths, json_type_array) ||
	    !json_object_array_length(paths))
		return bad(
		    l, ptr,
		    "\"paths\" (a non-empty array of paths or globs) or \"url\" is needed");
	if ((rc = load_globs(l, ptr, paths, &ms->paths, &ms->npaths)))
		return rc;
	if (json_object_object_get_ex(s, "exclude", &paths)) {
		if (!json_object_is_type(paths, json_type_array))
			return bad(l, ptr,
				   "\"exclude\" must be an array of globs");
		if ((rc = load_globs(l, ptr, paths, &ms->exclude,
				     &ms->nexclude)))
			return rc;
	}
rest:
	if (json_object_object_get_ex(s, "options", &opts)) {
		if (!json_object_is_type(opts, json_type_object))
			return bad(l, ptr, "\"options\" must be an object");
		ms->options = json_object_get(opts);
		{
			/* each extractor's options, as strictly as the rest */
			struct ct_err oerr = CT_ERR_INIT;
			char key[128];
			if (ct_extractor_check_options(ct_extractor_find(x),
						       opts, key, sizeof(key),
						       &oerr)) {
				struct ct_buf at = CT_BUF_INIT;
				ct_buf_addf(&at, "%s/options", ptr);
				ct_json_pointer_add(&at, key);
				rc = bad(l, at.ptr, "%s", oerr.msg);
				ct_buf_release(&at);
				return rc;
			}
		}
	}
	if (label) {
		struct ct_buf side = CT_BUF_INIT;
		ct_buf_addf(&side, "%s:%s", repo, label);
		ms->side = ct_buf_detach(&side, NULL);
	} else {
		ms->side = ct_xstrdup(repo);
	}
	return 0;
}

static int load_contracts(struct ct_manifest *m, const struct loader *l,
			  json_object *cs)
{
	static const char *const keys[] = {"direction",	       "pinned",
					   "sources",	       "description",
					   "shape_directions", NULL};
	char ptr[300];
	int rc;

	if (!json_object_is_type(cs, json_type_object) ||
	    !json_object_object_length(cs))
		return bad(l, "/contracts",
			   "must be an object naming the contracts");
	m->contracts = ct_xcalloc((size_t)json_object_object_length(cs),
				  sizeof(*m->contracts));
	json_object_object_foreach(cs, name, c)
	{
		struct ct_mcontract *mc = &m->contracts[m->ncontracts];
		json_object *srcs, *dirs;
		const char *dir = str_of(c, "direction"),
			   *pinned = str_of(c, "pinned");
		snprintf(ptr, sizeof(ptr), "/contracts/%s", name);
		if (!json_object_is_type(c, json_type_object))
			return bad(l, ptr, "must be an object");
		if ((rc = only_keys(l, ptr, c, keys)))
			return rc;
		if (!dir || ct_direction_parse(&mc->direction, dir))
			return bad(
			    l, ptr,
			    "\"direction\" must be provider-to-consumer, consumer-to-provider, exact or superset");
		if (!pinned || !ct_path_is_safe(pinned))
			return bad(
			    l, ptr,
			    "\"pinned\" must be a path inside the manifest's folder");
		if (!json_object_object_get_ex(c, "sources", &srcs) ||
		    !json_object_is_type(srcs, json_type_array) ||
		    !json_object_array_length(srcs))
			return bad(l, ptr,
				   "\"sources\" must be a non-empty array");
		mc->name = ct_xstrdup(name);
		mc->pinned = ct_xstrdup(pinned);
		m->ncontracts++; /* counted now: freed with the manifest on
				    error */
		if (json_object_object_get_ex(c, "shape_directions", &dirs)) {
			enum ct_direction d;
			if (!json_object_is_type(dirs, json_type_object))
				return bad(
				    l, ptr,
				    "\"shape_directions\" must map shape names to directions");
			json_object_object_foreach(dirs, shape, dv)
			{
				if (!json_object_is_type(dv,
							 json_type_string) ||
				    ct_direction_parse(
					&d, json_object_get_string(dv)))
					return bad(
					    l, ptr,
					    "the direction of shape \"%s\" must be provider-to-consumer, consumer-to-provider, exact or superset",
					    shape);
			}
			mc->shape_dirs = json_object_get(dirs);
		}
		mc->sources = ct_xcalloc(json_object_array_length(srcs),
					 sizeof(*mc->sources));
		for (size_t i = 0; i < json_object_array_length(srcs); i++) {
			char sp[340];
			snprintf(sp, sizeof(sp), "%s/sources/%zu", ptr, i);
			mc->nsources++;
			if ((rc = load_source(
				 m, l, sp, json_object_array_get_idx(srcs, i),
				 &mc->sources[i])))
				return rc;
		}
	}
	return 0;
}

/* json-c keeps the last of two equal keys; two contracts or repositories
 * with one name are an error, so the text is looked at. */
struct names {
	char **v;
	size_t n, cap;
	char *twice;
};

static int collect_name(const char *key, size_t len, struct ct_json_span v,
			void *data)
{
	struct names *ns = data;

	(void)len;
	(void)v;
	for (size_t i = 0; i < ns->n; i++) {
		if (!strcmp(ns->v[i], key)) {
			ns->twice = ct_xstrdup(key);
			return 1;
		}
	}
	ns->v = ct_xgrow(ns->v, &ns->cap, ns->n + 1, sizeof(*ns->v));
	ns->v[ns->n++] = ct_xstrdup(key);
	return 0;
}

static int duplicate_names(const struct loader *l, const char *member,
			   const char *what)
{
	struct ct_json_span all = {0, l->len}, obj;
	struct names ns = {NULL, 0, 0, NULL};
	int rc = 0;

	if (ct_json_locate(&obj, l->text, all, member) ||
	    l->text[obj.off] != '{')
		return 0;
	ct_json_members(l->text, obj, collect_name, &ns);
	if (ns.twice)
		rc = bad(l, member, "two %s named \"%s\"", what, ns.twice);
	for (size_t i = 0; i < ns.n; i++)
		free(ns.v[i]);
	free(ns.v);
	free(ns.twice);
	return rc;
}

int ct_manifest_load(struct ct_manifest **out, const char *path,
		     struct ct_err *err)
{
	struct ct_buf text = CT_BUF_INIT;
	struct ct_manifest *m = NULL;
	struct loader l = {path, NULL, 0, err};
	json_object *root = NULL, *v;
	static const char *const keys[] = {"$schema",	  "version",
					   "description", "repositories",
					   "contracts",	  NULL};
	int rc;

	if ((rc = ct_file_read(&text, path, CT_FILE_MAX_DEFAULT, err)))
		goto done;
	ct_json_drop_bom(&text);
	if ((rc = ct_json_check(text.ptr, text.len, CT_JSON_MAX_DEPTH, path,
				err)))
		goto done;
	l.text = text.ptr;
	l.len = text.len;
	root = json_tokener_parse(text.ptr);
	m = ct_xcalloc(1, sizeof(*m));
	m->path = ct_xstrdup(path);
	{
		const char *slash = strrchr(path, '/');
		m->dir = slash ? ct_xstrndup(path, (size_t)(slash - path))
			       : ct_xstrdup(".");
	}
	if (!json_object_is_type(root, json_type_object)) {
		rc = bad(&l, "", "a manifest is a JSON object");
		goto done;
	}
	if ((rc = only_keys(&l, "", root, keys)))
		goto done;
	if (!json_object_object_get_ex(root, "version", &v) ||
	    json_object_get_int(v) != 1) {
		rc = bad(&l, "", "\"version\" must be 1");
		goto done;
	}
	if ((rc = duplicate_names(&l, "/repositories", "repositories")) ||
	    (rc = duplicate_names(&l, "/contracts", "contracts")))
		goto done;
	if (!json_object_object_get_ex(root, "repositories", &v) ||
	    (rc = load_repos(m, &l, v)))
		goto done_missing;
	if (!json_object_object_get_ex(root, "contracts", &v) ||
	    (rc = load_contracts(m, &l, v)))
		goto done_missing;
	goto done;
done_missing:
	if (!rc)
		rc = bad(&l, "", "missing key \"%s\"",
			 json_object_object_get_ex(root, "repositories", NULL)
			     ? "contracts"
			     : "repositories");
done:
	json_object_put(root);
	ct_buf_release(&text);
	if (rc) {
		ct_manifest_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

void ct_manifest_free(struct ct_manifest *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nrepos; i++) {
		free(m->repos[i].name);
		free(m->repos[i].location);
		free(m->repos[i].ref);
		free(m->repos[i].spec);
		free(m->repos[i].version_file);
		json_object_put(m->repos[i].release);
	}
	for (size_t i = 0; i < m->ncontracts; i++) {
		struct ct_mcontract *c = &m->contracts[i];
		for (size_t k = 0; k < c->nsources; k++) {
			struct ct_msource *s = &c->sources[k];
			for (size_t p = 0; p < s->npaths; p++)
				free(s->paths[p]);
			for (size_t p = 0; p < s->nexclude; p++)
				free(s->exclude[p]);
			free(s->paths);
			free(s->exclude);
			free(s->side);
			free(s->extractor);
			free(s->url);
			free(s->token_env);
			json_object_put(s->options);
		}
		free(c->sources);
		json_object_put(c->shape_dirs);
		free(c->name);
		free(c->pinned);
	}
	free(m->repos);
	free(m->contracts);
	free(m->path);
	free(m->dir);
	free(m);
}

long ct_manifest_contract(const struct ct_manifest *m, const char *name)
{
	for (size_t i = 0; i < m->ncontracts; i++)
		if (!strcmp(m->contracts[i].name, name))
			return (long)i;
	return -1;
}

long ct_manifest_repo(const struct ct_manifest *m, const char *name)
{
	for (size_t i = 0; i < m->nrepos; i++)
		if (!strcmp(m->repos[i].name, name))
			return (long)i;
	return -1;
}

size_t ct_manifest_sides(const struct ct_manifest *m, size_t c,
			 const char **sides, size_t max)
{
	const struct ct_mcontract *mc = &m->contracts[c];
	size_t n = 0;

	for (size_t i = 0; i < mc->nsources; i++) {
		int seen = 0;
		for (size_t k = 0; k < n; k++)
			seen |= !strcmp(sides[k], mc->sources[i].side);
		if (!seen && n < max)
			sides[n++] = mc->sources[i].side;
	}
	return n;
}
