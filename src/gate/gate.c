/* Pre-release gating (gate.h): the release rules of a repository, checked
 * at the commit to be tagged, as findings. */
#include "contracts/gate.h"

#include "contracts/allow.h"
#include "contracts/http.h"
#include "contracts/json.h"
#include "contracts/pep440.h"
#include "contracts/report.h"
#include "contracts/run.h"
#include "contracts/toml.h"
#include "contracts/xalloc.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LIST 16

/* A repository's "release" block, borrowed from the manifest. */
struct release {
	const char *package;
	const char *files[MAX_LIST];
	size_t nfiles;
	const char *pattern; /* "v{version}" */
	const char *indexes[MAX_LIST];
	size_t nindexes;
	long pin_provider; /* a repository index, or -1 without "pins" */
	const char *pin_version, *pin_file, *pin_pointer;
};

/* One release tag: its name, the commit it is on, its version. */
struct tag {
	const char *name, *commit; /* borrowed from struct gate's tags */
	long long time;		   /* of the commit */
	char *version;		   /* the middle of the pattern */
	struct ct_pep440 v;	   /* borrows `version` */
};

struct gate {
	struct ct_manifest *m;
	const struct ct_gate_opts *o;
	size_t r;
	struct release rel;
	struct ct_changes ch; /* the rule findings */
	struct ct_source *src;
	const char *commit; /* the commit released; NULL when unknown */
	long long time;	    /* its time; 0 when unknown */
	char *version;	    /* the version released, as written */
	char *tag;	    /* the tag to be made */
	struct ct_buf tagtext;
	struct tag *tags;
	size_t ntags;
	char **consumed; /* versions the indexes hold */
	size_t nconsumed;
};

/* ---- the release block ---------------------------------------------- */

static int bad_block(const struct ct_manifest *m, const char *repo,
		     const char *what, struct ct_err *err)
{
	return ct_err_at(err, CT_EINVAL, m->path, 0, 0,
			 "invalid manifest: /repositories/%s/release: %s", repo,
			 what);
}

static const char *str_at(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) &&
		       json_object_is_type(v, json_type_string)
		   ? json_object_get_string(v)
		   : NULL;
}

/* An array of at most MAX_LIST strings; 0 when `key` is absent. */
static int str_list(const char **out, size_t *n, json_object *o,
		    const char *key, int (*ok)(const char *))
{
	json_object *a;

	*n = 0;
	if (!json_object_object_get_ex(o, key, &a))
		return 0;
	if (!json_object_is_type(a, json_type_array) ||
	    !json_object_array_length(a) ||
	    json_object_array_length(a) > MAX_LIST)
		return -1;
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		json_object *v = json_object_array_get_idx(a, i);
		if (!json_object_is_type(v, json_type_string) ||
		    !ok(json_object_get_string(v)))
			return -1;
		out[(*n)++] = json_object_get_string(v);
	}
	return 0;
}

static int ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);

	return a >= b && !strcmp(s + a - b, tail) &&
	       (a == b || s[a - b - 1] == '/' || !strcmp(tail, ".py"));
}

static int is_version_file(const char *p)
{
	return ct_path_is_safe(p) &&
	       (ends_with(p, "pyproject.toml") || ends_with(p, "uv.lock") ||
		ends_with(p, ".py"));
}

static int is_index_url(const char *u)
{
	return (!strncmp(u, "https://", 8) || !strncmp(u, "http://", 7)) &&
	       !strpbrk(u, " \t\r\n?#");
}

/* A distribution name as PEP 508 allows it, so it goes into a URL as is. */
static int is_package_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '.' || *s == '-' ||
		      *s == '_'))
			return 0;
	return 1;
}

static int read_release(struct release *rel, const struct ct_manifest *m,
			size_t r, struct ct_err *err)
{
	static const char *const keys[] = {"package",	  "version_files",
					   "tag_pattern", "indexes",
					   "pins",	  "description"};
	static const char *const defaults[] = CT_GATE_DEFAULT_INDEXES;
	const char *name = m->repos[r].name, *p;
	json_object *b = m->repos[r].release, *pins;

	memset(rel, 0, sizeof(*rel));
	rel->pin_provider = -1;
	if (!json_object_is_type(b, json_type_object))
		return bad_block(m, name, "must be an object", err);
	json_object_object_foreach(b, k, v)
	{
		int known = 0;
		(void)v;
		for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++)
			known |= !strcmp(keys[i], k);
		if (!known) {
			char what[300];
			snprintf(what, sizeof(what), "unknown key \"%s\"", k);
			return bad_block(m, name, what, err);
		}
	}
	if (!(rel->package = str_at(b, "package")) ||
	    !is_package_name(rel->package))
		return bad_block(m, name,
				 "\"package\" must name the package (letters, "
				 "digits, '.', '-', '_')",
				 err);
	if (str_list(rel->files, &rel->nfiles, b, "version_files",
		     is_version_file) ||
	    !rel->nfiles)
		return bad_block(
		    m, name,
		    "\"version_files\" must list pyproject.toml, uv.lock or "
		    ".py files inside the repository",
		    err);
	rel->pattern =
	    str_at(b, "tag_pattern") ? str_at(b, "tag_pattern") : "v{version}";
	if (!(p = strstr(rel->pattern, "{version}")) ||
	    strstr(p + 1, "{version}"))
		return bad_block(m, name,
				 "\"tag_pattern\" must hold \"{version}\" once",
				 err);
	if (str_list(rel->indexes, &rel->nindexes, b, "indexes", is_index_url))
		return bad_block(m, name, "\"indexes\" must list http(s) URLs",
				 err);
	if (!rel->nindexes)
		for (size_t i = 0; i < sizeof(defaults) / sizeof(*defaults);
		     i++)
			rel->indexes[rel->nindexes++] = defaults[i];
	if (json_object_object_get_ex(b, "pins", &pins)) {
		const char *prov = str_at(pins, "provider");
		if (!json_object_is_type(pins, json_type_object) || !prov ||
		    (rel->pin_provider = ct_manifest_repo(m, prov)) < 0 ||
		    m->repos[rel->pin_provider].role != CT_ROLE_PROVIDER)
			return bad_block(m, name,
					 "\"pins\" needs \"provider\", the "
					 "name of a provider repository",
					 err);
		rel->pin_version = str_at(pins, "version");
		rel->pin_file = str_at(pins, "file");
		rel->pin_pointer = str_at(pins, "pointer");
		if (!rel->pin_version == !rel->pin_file ||
		    (rel->pin_file && !rel->pin_pointer) ||
		    (rel->pin_file && !ct_path_is_safe(rel->pin_file)) ||
		    (rel->pin_version && !ct_pep440_valid(rel->pin_version)))
			return bad_block(m, name,
					 "\"pins\" needs a \"version\", or a "
					 "\"file\" and the \"pointer\" of the "
					 "version in it",
					 err);
	}
	return 0;
}

/* ---- findings -------------------------------------------------------- */

static void add_escaped(struct ct_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '~')
			ct_buf_adds(b, "~0");
		else if (*s == '/')
			ct_buf_adds(b, "~1");
		else
			ct_buf_addch(b, *s);
	}
}

#if defined(__GNUC__)
__attribute__((format(printf, 7, 8)))
#endif
static void
finding(struct gate *g, enum ct_change_kind kind, const char *rule,
	const char *key, const char *path, unsigned line, const char *fmt, ...);

static void finding(struct gate *g, enum ct_change_kind kind, const char *rule,
		    const char *key, const char *path, unsigned line,
		    const char *fmt, ...)
{
	struct ct_buf ptr = CT_BUF_INIT, note = CT_BUF_INIT;
	struct ct_change *c;
	va_list ap;

	g->ch.v = ct_xgrow(g->ch.v, &g->ch.cap, g->ch.n + 1, sizeof(*g->ch.v));
	c = &g->ch.v[g->ch.n++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->severity = ct_rules_severity(g->ch.direction, kind);
	ct_buf_adds(&ptr, "/gate/");
	add_escaped(&ptr, rule);
	if (key) {
		ct_buf_addch(&ptr, '/');
		add_escaped(&ptr, key);
	}
	c->pointer = ct_buf_detach(&ptr, NULL);
	c->subject = ct_xstrdup(rule);
	c->member = key ? ct_xstrdup(key) : NULL;
	va_start(ap, fmt);
	ct_buf_vaddf(&note, fmt, ap);
	va_end(ap);
	c->note = ct_buf_detach(&note, NULL);
	c->origin.repo = ct_xstrdup(g->m->repos[g->r].name);
	c->origin.commit = g->commit ? ct_xstrdup(g->commit) : NULL;
	c->origin.path = path ? ct_xstrdup(path) : NULL;
	c->origin.line = line;
	ct_change_fingerprint(c->fingerprint, g->ch.contract, c);
}

#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
static void
finding_at(struct gate *g, enum ct_change_kind kind, const char *rule,
	   const char *key, const struct ct_origin *o, const char *fmt, ...);

/* Like finding(), at a place of another side (a diff's change). */
static void finding_at(struct gate *g, enum ct_change_kind kind,
		       const char *rule, const char *key,
		       const struct ct_origin *o, const char *fmt, ...)
{
	struct ct_buf note = CT_BUF_INIT;
	struct ct_change *c;
	va_list ap;

	va_start(ap, fmt);
	ct_buf_vaddf(&note, fmt, ap);
	va_end(ap);
	finding(g, kind, rule, key, o->path, o->line, "%s", note.ptr);
	c = &g->ch.v[g->ch.n - 1];
	free((char *)c->origin.repo);
	free((char *)c->origin.commit);
	c->origin.repo = o->repo ? ct_xstrdup(o->repo) : NULL;
	c->origin.commit = o->commit ? ct_xstrdup(o->commit) : NULL;
	ct_buf_release(&note);
}

/* ---- reading versions ---------------------------------------------------
 */

static const char *skip_blank(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* After NAME at p: an optional annotation, then '='; the value after it,
 * or NULL. */
static const char *assigned(const char *p, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(p, name, n))
		return NULL;
	p = skip_blank(p + n);
	if (*p == ':') { /* version: str = "1.0" */
		p++;
		while (*p && *p != '=' && *p != '\n')
			p++;
	}
	if (*p != '=' || p[1] == '=')
		return NULL;
	return skip_blank(p + 1);
}

int ct_gate_python_version(char **out, unsigned *line, int *runtime,
			   const char *text, const char *path,
			   struct ct_err *err)
{
	const char *p = text, *found = NULL;
	unsigned ln = 1, found_line = 0;
	int in_string = 0; /* inside a triple-quoted string: its quote */
	int found_dunder = 0;

	*out = NULL;
	*line = 0;
	*runtime = 0;
	for (; *p; ln++) {
		const char *eol = strchr(p, '\n'), *q, *v;
		if (!eol)
			eol = p + strlen(p);
		/* triple-quoted strings (docstrings) are skipped whole */
		for (q = p; q + 2 < eol; q++) {
			if ((q[0] == '"' || q[0] == '\'') && q[1] == q[0] &&
			    q[2] == q[0] && (!in_string || in_string == q[0])) {
				in_string = in_string ? 0 : q[0];
				q += 2;
			}
		}
		q = skip_blank(p);
		if (!in_string && strncmp(p, "\"\"\"", 3)) {
			int top = q == p, dunder = 0;
			if ((v = assigned(q, "__version__")))
				dunder = 1;
			else if (!top)
				v = assigned(q, "version"); /* a class's */
			if (v && *v != '"' && *v != '\'') {
				/* __version__ = version("pkg"), even in a
				 * try: block: the literal beside it is a
				 * fallback, not the version */
				if (dunder)
					*runtime = 1;
			} else if (v && (!found || (dunder && !found_dunder))) {
				found = v;
				found_line = ln;
				found_dunder = dunder;
			}
		}
		p = *eol ? eol + 1 : eol;
	}
	if (*runtime)
		return 0;
	if (!found)
		return ct_err_at(err, CT_ENOTFOUND, path, 0, 0,
				 "no version in it: no __version__ = \"...\" "
				 "nor a class attribute version = \"...\"");
	{
		char q = *found;
		const char *e = strchr(found + 1, q);
		const char *nl = strchr(found, '\n');
		if (!e || (nl && e > nl))
			return ct_err_at(err, CT_EPARSE, path, found_line, 0,
					 "the version string does not end on "
					 "its line");
		*out = ct_xstrndup(found + 1, (size_t)(e - found - 1));
	}
	*line = found_line;
	return 0;
}

/* PEP 503: lowercase, runs of '-', '_', '.' as one '-'. */
static void normalize_name(struct ct_buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '-' || *s == '_' || *s == '.') {
			while (s[1] == '-' || s[1] == '_' || s[1] == '.')
				s++;
			ct_buf_addch(out, '-');
		} else {
			ct_buf_addch(out, (char)(*s >= 'A' && *s <= 'Z'
						     ? *s - 'A' + 'a'
						     : *s));
		}
	}
}

static int same_name(const char *a, const char *b)
{
	struct ct_buf x = CT_BUF_INIT, y = CT_BUF_INIT;
	int same;

	normalize_name(&x, a);
	normalize_name(&y, b);
	same = !strcmp(x.ptr, y.ptr);
	ct_buf_release(&x);
	ct_buf_release(&y);
	return same;
}

/* The version a TOML file holds: [project] version, or the uv.lock
 * [[package]] entry of the project. *why says why there is none. */
static int toml_version(char **out, unsigned *line, const char **why,
			const char *text, size_t len, const char *path,
			const char *package, struct ct_err *err)
{
	json_object *doc = NULL, *t, *v;
	int rc;

	*out = NULL;
	*why = NULL;
	if ((rc = ct_toml_parse(&doc, text, len, path, err)))
		return rc;
	if (ends_with(path, "uv.lock")) {
		*why = "it has no [[package]] entry of the project";
		if (json_object_object_get_ex(doc, "package", &t) &&
		    json_object_is_type(t, json_type_array)) {
			for (size_t i = 0; i < json_object_array_length(t);
			     i++) {
				json_object *e =
				    json_object_array_get_idx(t, i);
				const char *name = str_at(e, "name");
				if (name && same_name(name, package) &&
				    json_object_object_get_ex(e, "version",
							      &v) &&
				    json_object_is_type(v, json_type_string)) {
					*out = ct_xstrdup(
					    json_object_get_string(v));
					*line = ct_toml_line(v);
					break;
				}
			}
		}
	} else {
		*why = "it has no [project] version";
		if (json_object_object_get_ex(doc, "project", &t) &&
		    json_object_object_get_ex(t, "version", &v) &&
		    json_object_is_type(v, json_type_string)) {
			*out = ct_xstrdup(json_object_get_string(v));
			*line = ct_toml_line(v);
		} else if (json_object_object_get_ex(doc, "project", &t) &&
			   json_object_object_get_ex(t, "dynamic", &v) &&
			   strstr(json_object_to_json_string(v),
				  "\"version\"")) {
			*why = "[project] declares the version dynamic: it "
			       "is computed at build time";
		}
	}
	json_object_put(doc);
	return 0;
}

/* The version a tag names under the pattern, or NULL (malloc'ed). */
static char *tag_version(const char *pattern, const char *tag)
{
	const char *at = strstr(pattern, "{version}");
	size_t pre = (size_t)(at - pattern), post = strlen(at + 9),
	       n = strlen(tag);

	if (n <= pre + post || strncmp(tag, pattern, pre) ||
	    strcmp(tag + n - post, at + 9))
		return NULL;
	return ct_xstrndup(tag + pre, n - pre - post);
}

static char *make_tag(const char *pattern, const char *version)
{
	struct ct_buf b = CT_BUF_INIT;
	const char *at = strstr(pattern, "{version}");

	ct_buf_add(&b, pattern, (size_t)(at - pattern));
	ct_buf_adds(&b, version);
	ct_buf_adds(&b, at + 9);
	return ct_buf_detach(&b, NULL);
}

struct seen {
	const char *path;
	char *version;
	unsigned line;
};

/* Rule 1: the version files and the tag hold one version. */
static int rule_versions(struct gate *g, struct ct_err *err)
{
	struct seen seen[MAX_LIST + 1];
	struct ct_buf all = CT_BUF_INIT;
	size_t n = 0, ref = 0;
	int rc = 0, differ = 0;

	for (size_t i = 0; i < g->rel.nfiles; i++) {
		const char *path = g->rel.files[i], *why = NULL;
		struct ct_buf text = CT_BUF_INIT;
		char *v = NULL;
		unsigned line = 0;
		int runtime = 0;
		struct ct_err e2 = CT_ERR_INIT;
		rc = ct_source_read(g->src, path, &text, &e2);
		if (rc == CT_ENOTFOUND) {
			finding(g, CT_GATE_SKIPPED, "versions", path, path, 0,
				"%s is not in the repository here: no version "
				"to compare",
				path);
			ct_buf_release(&text);
			rc = 0;
			continue;
		}
		if (rc) {
			*err = e2;
			ct_buf_release(&text);
			goto done;
		}
		if (ends_with(path, ".py")) {
			rc = ct_gate_python_version(&v, &line, &runtime,
						    text.ptr, path, err);
			if (runtime)
				why = "its version is read from the package "
				      "metadata at run time";
		} else {
			rc = toml_version(&v, &line, &why, text.ptr, text.len,
					  path, g->rel.package, err);
		}
		ct_buf_release(&text);
		if (rc)
			goto done;
		if (!v) {
			finding(g, CT_GATE_SKIPPED, "versions", path, path, 0,
				"%s: %s", path, why);
			continue;
		}
		if (!ct_pep440_valid(v)) {
			finding(g, CT_GATE_FAILED, "versions", path, path, line,
				"%s:%u: '%s' is not a PEP 440 version", path,
				line, v);
			free(v);
			continue;
		}
		seen[n].path = path;
		seen[n].version = v;
		seen[n++].line = line;
	}
	if (g->o->tag) {
		char *v = tag_version(g->rel.pattern, g->o->tag);
		if (!v || !ct_pep440_valid(v)) {
			finding(g, CT_GATE_FAILED, "versions", "tag", NULL, 0,
				"the tag '%s' is not '%s' with a PEP 440 "
				"version",
				g->o->tag, g->rel.pattern);
			free(v);
		} else {
			seen[n].path = NULL;
			seen[n].version = v;
			seen[n++].line = 0;
		}
	}
	if (!n) {
		finding(g, CT_GATE_FAILED, "versions", NULL, NULL, 0,
			"no version to release: none of %zu version files "
			"holds one",
			g->rel.nfiles);
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		int d = 0;
		ct_pep440_cmp(&d, seen[i].version, seen[ref].version);
		differ |= d != 0;
		if (all.len)
			ct_buf_adds(&all, i + 1 == n ? " and " : ", ");
		if (seen[i].path)
			ct_buf_addf(&all, "%s:%u", seen[i].path, seen[i].line);
		else
			ct_buf_addf(&all, "the tag %s", g->o->tag);
	}
	if (!differ) {
		finding(g, CT_GATE_PASSED, "versions", NULL, seen[ref].path,
			seen[ref].line, "%s in %s", seen[ref].version, all.ptr);
	} else {
		for (size_t i = 0; i < n; i++) {
			int d = 0;
			ct_pep440_cmp(&d, seen[i].version, seen[ref].version);
			if (!d && i != ref)
				continue;
			if (seen[i].path)
				finding(g, CT_GATE_FAILED, "versions",
					seen[i].path, seen[i].path,
					seen[i].line,
					"versions out of step: %s:%u says %s",
					seen[i].path, seen[i].line,
					seen[i].version);
			else
				finding(g, CT_GATE_FAILED, "versions", "tag",
					NULL, 0,
					"versions out of step: the tag %s says "
					"%s",
					g->o->tag, seen[i].version);
		}
	}
	/* what is released: the tag's version, else the first file's */
	g->version = ct_xstrdup(seen[n - 1].path ? seen[ref].version
						 : seen[n - 1].version);
	g->tag = g->o->tag ? ct_xstrdup(g->o->tag)
			   : make_tag(g->rel.pattern, g->version);
done:
	for (size_t i = 0; i < n; i++)
		free(seen[i].version);
	ct_buf_release(&all);
	return rc;
}

/* ---- tags and indexes ---------------------------------------------------
 */

static void free_tags(struct tag *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(t[i].version);
	free(t);
}

/* The release tags of `text` ("NAME\0COMMIT\0TIME\0"...) under
 * `pattern`. */
static struct tag *parse_tags(size_t *n, const struct ct_buf *text,
			      const char *pattern)
{
	struct tag *v = NULL;
	size_t cap = 0;

	*n = 0;
	for (const char *p = text->ptr; p < text->ptr + text->len;) {
		const char *name = p, *commit = p + strlen(p) + 1,
			   *time = commit + strlen(commit) + 1;
		char *ver = tag_version(pattern, name);
		p = time + strlen(time) + 1;
		if (!ver)
			continue;
		v = ct_xgrow(v, &cap, *n + 1, sizeof(*v));
		v[*n].name = name;
		v[*n].commit = commit;
		v[*n].time = strtoll(time, NULL, 10);
		v[*n].version = ver;
		if (ct_pep440_parse(&v[*n].v, ver)) {
			free(ver);
			continue;
		}
		(*n)++;
	}
	return v;
}

static unsigned long long num_value(struct ct_pep440_num n)
{
	unsigned long long v = 0;

	for (size_t i = 0; i < n.len && i < 19; i++)
		v = v * 10 + (unsigned long long)(n.p[i] - '0');
	return v;
}

static int same_release(const struct ct_pep440 *a, const struct ct_pep440 *b)
{
	struct ct_pep440 x = *a, y = *b;

	x.pre = y.pre = CT_PEP440_NO_PRE;
	x.has_post = y.has_post = x.has_dev = y.has_dev = 0;
	x.local = y.local = NULL;
	return !ct_pep440_order(&x, &y);
}

static int is_consumed(const struct gate *g, const char *v)
{
	int d;

	for (size_t i = 0; i < g->ntags; i++)
		if (!ct_pep440_cmp(&d, g->tags[i].version, v) && !d)
			return 1;
	for (size_t i = 0; i < g->nconsumed; i++)
		if (!ct_pep440_cmp(&d, g->consumed[i], v) && !d)
			return 1;
	return 0;
}

/* Whether a tag was made before the release: on the commit released or
 * one of its ancestors, or on an older commit of another branch. So
 * gating an old release again does not hold the later ones against it. */
static int earlier(const struct gate *g, const struct tag *t)
{
	if (!g->time || t->time < g->time)
		return 1;
	return ct_source_has_ancestor(g->src, t->commit);
}

/* The highest earlier release tag other than the one released (NULL:
 * none). */
static const struct tag *highest_tag(const struct gate *g)
{
	const struct tag *best = NULL;

	for (size_t i = 0; i < g->ntags; i++) {
		if (!strcmp(g->tags[i].name, g->tag) ||
		    !earlier(g, &g->tags[i]))
			continue;
		if (!best || ct_pep440_order(&g->tags[i].v, &best->v) > 0)
			best = &g->tags[i];
	}
	return best;
}

/* Appends the versions that may be released instead: the next .postN
 * (or rcN, for a release candidate) of the same release, and the next
 * release, each above every tag and on no index. */
static void next_allowed(struct ct_buf *out, const struct gate *g)
{
	struct ct_pep440 v, c;
	const struct tag *top = highest_tag(g);
	struct ct_buf base = CT_BUF_INIT, cand = CT_BUF_INIT;
	unsigned long long k = 0, last;
	int any = 0;

	if (ct_pep440_parse(&v, g->version))
		return;
	ct_pep440_release_text(&base, &v);
	/* the highest post (or rc) of this release any tag or index holds */
	for (size_t pass = 0; pass < 2; pass++) {
		size_t n = pass ? g->nconsumed : g->ntags;
		for (size_t i = 0; i < n; i++) {
			struct ct_pep440 t;
			if (ct_pep440_parse(&t, pass ? g->consumed[i]
						     : g->tags[i].version) ||
			    !same_release(&t, &v))
				continue;
			if (v.pre && t.pre == v.pre && num_value(t.pre_n) > k)
				k = num_value(t.pre_n);
			if (!v.pre && t.has_post && num_value(t.post) > k)
				k = num_value(t.post);
		}
	}
	for (;;) {
		ct_buf_reset(&cand);
		ct_buf_add(&cand, base.ptr, base.len);
		if (v.pre)
			ct_buf_addf(&cand, "%s%llu",
				    v.pre == CT_PEP440_A   ? "a"
				    : v.pre == CT_PEP440_B ? "b"
							   : "rc",
				    k + 1);
		else
			ct_buf_addf(&cand, ".post%llu", k + 1);
		if (!is_consumed(g, cand.ptr))
			break;
		k++;
	}
	ct_pep440_parse(&c, cand.ptr);
	if (!top || ct_pep440_order(&c, &top->v) > 0) {
		ct_buf_adds(out, cand.ptr);
		any = 1;
	}
	/* the next release: the last number of the highest one, plus one */
	{
		const struct ct_pep440 *hi =
		    top && ct_pep440_order(&top->v, &v) > 0 ? &top->v : &v;
		struct ct_pep440 h = *hi;
		ct_buf_reset(&cand);
		last = num_value(h.release[h.nrelease - 1]);
		h.nrelease--;
		ct_pep440_release_text(&cand, &h);
		if (h.nrelease)
			ct_buf_addch(&cand, '.');
		ct_buf_addf(&cand, "%llu", last + 1);
		if (!is_consumed(g, cand.ptr)) {
			ct_buf_addf(out, "%s%s", any ? ", " : "", cand.ptr);
			any = 1;
		}
	}
	if (!any)
		ct_buf_adds(out, "none found");
	ct_buf_release(&base);
	ct_buf_release(&cand);
}

/* Rule 2, tags: above every earlier release tag; a tag never moves. */
static void rule_tags(struct gate *g)
{
	const struct tag *top = highest_tag(g), *same = NULL;
	struct ct_pep440 v;
	struct ct_buf next = CT_BUF_INIT, ref = CT_BUF_INIT;

	ct_pep440_parse(&v, g->version);
	ct_buf_addf(&ref, "refs/tags/%s", g->tag);
	for (size_t i = 0; i < g->ntags; i++)
		if (!strcmp(g->tags[i].name, g->tag))
			same = &g->tags[i];
	if (same && g->commit && strcmp(same->commit, g->commit)) {
		next_allowed(&next, g);
		finding(g, CT_GATE_FAILED, "tags", g->tag, ref.ptr, 0,
			"the tag %s already exists, on %.12s; this release is "
			"%.12s, and a published tag is never moved (allowed "
			"next: %s)",
			g->tag, same->commit, g->commit, next.ptr);
	} else if (same) {
		finding(g, CT_GATE_PASSED, "tags", g->tag, ref.ptr, 0,
			"the tag %s exists and is on the commit released",
			g->tag);
	}
	ct_buf_reset(&next);
	if (top && ct_pep440_order(&v, &top->v) <= 0) {
		next_allowed(&next, g);
		ct_buf_reset(&ref);
		ct_buf_addf(&ref, "refs/tags/%s", top->name);
		finding(g, CT_GATE_FAILED, "tags", "order", ref.ptr, 0,
			"%s is not above the earlier release tag %s (on "
			"%.12s); allowed next: %s",
			g->version, top->name, top->commit, next.ptr);
	} else {
		size_t older = 0;
		for (size_t i = 0; i < g->ntags; i++)
			older += earlier(g, &g->tags[i]) && &g->tags[i] != same;
		finding(g, CT_GATE_PASSED, "tags", "order", ref.ptr, 0,
			"%s is above every earlier release tag (%zu; the "
			"highest is %s)",
			g->version, older, top ? top->name : "none");
	}
	ct_buf_release(&next);
	ct_buf_release(&ref);
}

static void http_opts(struct ct_http_opts *h, const struct gate *g)
{
	memset(h, 0, sizeof(*h));
	h->ca_file = g->o->source.ca_file;
	h->max_body = (size_t)64 << 20; /* a project's JSON lists every file */
}

/* GETs `url`: its status and body; no answer is CT_EUNREACHABLE. */
static int get(struct ct_http_response *res, const struct gate *g,
	       const char *url, struct ct_err *err)
{
	static const char *const headers[] = {"Accept: application/json", NULL};
	struct ct_http_opts h;
	int rc;

	http_opts(&h, g);
	memset(res, 0, sizeof(*res));
	res->body = (struct ct_buf)CT_BUF_INIT;
	rc = ct_http_request(res, "GET", url, NULL, 0, headers, &h, err);
	if (!rc && res->status != 200 && res->status != 404) {
		ct_buf_release(&res->body);
		return ct_err_set(err, CT_EUNREACHABLE,
				  "the package index answered HTTP %ld to GET "
				  "%s (after %d attempts)",
				  res->status, url, res->attempts);
	}
	return rc;
}

/* Rule 2, indexes: the version is on none of them. */
static int rule_index(struct gate *g, struct ct_err *err)
{
	const char *const *idx =
	    g->o->nindexes ? g->o->indexes : g->rel.indexes;
	size_t nidx = g->o->nindexes ? g->o->nindexes : g->rel.nindexes;
	struct ct_buf norm = CT_BUF_INIT, url = CT_BUF_INIT, next = CT_BUF_INIT;
	struct ct_pep440 v;
	int *found = ct_xcalloc(nidx, sizeof(int)), rc = 0;

	if (g->o->offline) {
		finding(g, CT_GATE_SKIPPED, "index", NULL, g->m->path, 0,
			"--offline: the package indexes (%zu) were not asked "
			"whether %s is taken",
			nidx, g->version);
		free(found);
		return 0;
	}
	ct_pep440_parse(&v, g->version);
	ct_pep440_normalize(&norm, &v);
	for (size_t i = 0; i < nidx; i++) {
		struct ct_http_response res;
		const char *base = idx[i];
		size_t bl = strlen(base);
		while (bl && base[bl - 1] == '/')
			bl--;
		ct_buf_reset(&url);
		ct_buf_addf(&url, "%.*s/pypi/%s/json", (int)bl, base,
			    g->rel.package);
		if ((rc = get(&res, g, url.ptr, err)))
			goto done;
		if (res.status == 200) {
			json_object *doc = json_tokener_parse(res.body.ptr),
				    *rels;
			if (!json_object_object_get_ex(doc, "releases",
						       &rels) ||
			    !json_object_is_type(rels, json_type_object)) {
				/* not PyPI's JSON API: nothing can be said */
				json_object_put(doc);
				ct_buf_release(&res.body);
				rc =
				    ct_err_set(err, CT_EUNREACHABLE,
					       "the package index answered GET "
					       "%s without a \"releases\" "
					       "object: is it PyPI's JSON API?",
					       url.ptr);
				goto done;
			}
			{
				json_object_object_foreach(rels, k, x)
				{
					int d = 1;
					(void)x;
					if (!ct_pep440_cmp(&d, k, norm.ptr) &&
					    !d)
						found[i] = 1;
					if (ct_pep440_valid(k)) {
						g->consumed = ct_xrealloc(
						    g->consumed,
						    (g->nconsumed + 1) *
							sizeof(char *));
						g->consumed[g->nconsumed++] =
						    ct_xstrdup(k);
					}
				}
			}
			json_object_put(doc);
			ct_buf_release(&res.body);
			/* the release's own page, for a version the
			 * listing leaves out */
			ct_buf_reset(&url);
			ct_buf_addf(&url, "%.*s/pypi/%s/%s/json", (int)bl, base,
				    g->rel.package, norm.ptr);
			if ((rc = get(&res, g, url.ptr, err)))
				goto done;
			if (res.status == 200)
				found[i] = 1;
		}
		ct_buf_release(&res.body);
	}
	for (size_t i = 0; i < nidx; i++) {
		if (found[i]) {
			ct_buf_reset(&next);
			next_allowed(&next, g);
			finding(g, CT_GATE_FAILED, "index", idx[i], idx[i], 0,
				"%s %s is already on %s: a consumed version is "
				"never reused; allowed next: %s",
				g->rel.package, norm.ptr, idx[i], next.ptr);
		} else {
			finding(g, CT_GATE_PASSED, "index", idx[i], idx[i], 0,
				"%s %s is not on %s", g->rel.package, norm.ptr,
				idx[i]);
		}
	}
done:
	free(found);
	ct_buf_release(&norm);
	ct_buf_release(&url);
	ct_buf_release(&next);
	return rc;
}

/* ---- contracts at release -------------------------------------------- */

static void spec_of(struct ct_buf *out, const struct ct_mrepo *mr)
{
	if (mr->spec)
		ct_buf_adds(out, mr->spec);
	else if (mr->ref)
		ct_buf_addf(out, "%s@%s", mr->location, mr->ref);
	else
		ct_buf_adds(out, mr->location);
}

/* The version the consumer pins, with where it is written. */
static int read_pin(char **out, unsigned *line, struct gate *g,
		    struct ct_err *err)
{
	struct ct_buf text = CT_BUF_INIT;
	struct ct_json_span all, at;
	json_object *doc = NULL, *v = NULL;
	int rc;

	*out = NULL;
	*line = 0;
	if (g->rel.pin_version) {
		*out = ct_xstrdup(g->rel.pin_version);
		return 0;
	}
	if ((rc = ct_source_read(g->src, g->rel.pin_file, &text, err)))
		goto done;
	ct_json_drop_bom(&text);
	if ((rc = ct_json_check(text.ptr, text.len, CT_JSON_MAX_DEPTH,
				g->rel.pin_file, err)))
		goto done;
	all.off = 0;
	all.len = text.len;
	doc = json_tokener_parse(text.ptr);
	if (ct_json_locate(&at, text.ptr, all, g->rel.pin_pointer) ||
	    json_pointer_get(doc, g->rel.pin_pointer, &v) ||
	    !json_object_is_type(v, json_type_string)) {
		rc = ct_err_at(err, CT_EINVAL, g->rel.pin_file, 0, 0,
			       "no provider release at \"%s\": the manifest's "
			       "release.pins.pointer names none",
			       g->rel.pin_pointer);
		goto done;
	}
	{
		unsigned col = 1;
		*line = 1;
		ct_json_advance(text.ptr, 0, at.off, line, &col);
	}
	*out = ct_xstrdup(json_object_get_string(v));
done:
	json_object_put(doc);
	ct_buf_release(&text);
	return rc;
}

/* Whether a change between the provider's release (expected) and the
 * consumer's mirror (actual) means the mirror is not what the release
 * holds: a shape the mirror leaves out is not mirrored, not different,
 * and a mirror declared a superset may hold more values. Everything else
 * is: a shape the release lacks, a value, a property, a type, a default. */
static int mirror_differs(const struct ct_mcontract *mc,
			  const struct ct_change *c)
{
	json_object *dir;

	if (c->kind == CT_SHAPE_REMOVED)
		return 0;
	if (c->severity == CT_SEV_INFO && mc->shape_dirs && c->subject &&
	    json_object_object_get_ex(mc->shape_dirs, c->subject, &dir) &&
	    !strcmp(json_object_get_string(dir), "superset"))
		return 0;
	return 1;
}

/* Whether a comparison's label ("proxbox-api@1a2b3c4d5e6f",
 * "proxbox-api:committed@...") is a side of `repo`. */
static int is_side_of(const char *label, const char *repo)
{
	size_t n = strlen(repo);

	return label && !strncmp(label, repo, n) &&
	       (label[n] == '@' || label[n] == ':');
}

/* The first file a side of a contract is read from (borrowed), or NULL. */
static const char *side_file(const struct ct_mcontract *mc, const char *side)
{
	for (size_t i = 0; i < mc->nsources; i++)
		if (!strcmp(mc->sources[i].side, side) && mc->sources[i].npaths)
			return mc->sources[i].paths[0];
	return NULL;
}

static int has_prefix_side(const char *side, const char *repo)
{
	size_t n = strlen(repo);

	return !strncmp(side, repo, n) && side[n] == ':';
}

/* Rule 3, the pin: each contract with a committed file of the consumer
 * and a provider side, extracted at the pinned provider tag, equals the
 * file. */
static int rule_pin_contracts(struct gate *g, struct ct_run *run,
			      const char *prov, const char *pin,
			      const char *tag, struct ct_err *err)
{
	struct ct_manifest *m = g->m;
	const char *me = m->repos[g->r].name;
	size_t compared = 0, differing = 0;
	int rc = 0;

	for (size_t c = 0; c < m->ncontracts; c++) {
		const char *sides[64];
		size_t ns = ct_manifest_sides(m, c, sides, 64);
		int has_prov = 0;
		for (size_t s = 0; s < ns; s++)
			has_prov |= !strcmp(sides[s], prov);
		if (!has_prov)
			continue;
		for (size_t s = 0; s < ns; s++) {
			struct ct_contract *mine = NULL, *theirs = NULL;
			struct ct_changes d = CT_CHANGES_INIT;
			struct ct_err e2 = CT_ERR_INIT;
			if (!has_prefix_side(sides[s], me))
				continue;
			compared++;
			rc = ct_run_extract(&mine, run, c, sides[s], NULL, &e2);
			if (!rc)
				rc = ct_run_extract(&theirs, run, c, prov, NULL,
						    &e2);
			/* the provider's release is the expected side: a
			 * mirror declared a superset may hold more */
			if (!rc)
				rc = ct_diff_ex(
				    &d, theirs, mine, m->contracts[c].direction,
				    m->contracts[c].shape_dirs, &e2);
			if (rc == CT_EUNREACHABLE) {
				*err = e2;
				ct_contract_free(mine);
				ct_contract_free(theirs);
				ct_changes_release(&d);
				return rc;
			}
			if (rc) {
				char msg[1200];
				differing++;
				finding(
				    g, CT_GATE_FAILED, "pin",
				    m->contracts[c].name,
				    e2.path[0] ? e2.path : NULL, e2.line,
				    "contract '%s' cannot be compared at %s "
				    "%s: %s",
				    m->contracts[c].name, prov, tag,
				    ct_err_format(msg, sizeof(msg), &e2));
				rc = 0;
			} else {
				struct ct_buf what = CT_BUF_INIT;
				const struct ct_change *at = NULL;
				size_t nd = 0;
				for (size_t i = 0; i < d.n; i++) {
					if (!mirror_differs(&m->contracts[c],
							    &d.v[i]))
						continue;
					if (nd < 3) {
						if (nd)
							ct_buf_adds(&what,
								    "; ");
						ct_change_describe(&what,
								   &d.v[i]);
					}
					if (!at)
						at = &d.v[i];
					nd++;
				}
				if (nd) {
					differing++;
					finding_at(
					    g, CT_GATE_FAILED, "pin",
					    m->contracts[c].name, &at->origin,
					    "contract '%s' of %s %s (tag %s) is "
					    "not what %s mirrors: %zu "
					    "difference%s (%s%s)",
					    m->contracts[c].name, prov, pin,
					    tag, sides[s], nd,
					    nd == 1 ? "" : "s", what.ptr,
					    nd > 3 ? "; ..." : "");
				} else {
					finding(g, CT_GATE_PASSED, "pin",
						m->contracts[c].name,
						side_file(&m->contracts[c],
							  sides[s]),
						0,
						"contract '%s' of %s %s (tag "
						"%s) is what %s mirrors",
						m->contracts[c].name, prov, pin,
						tag, sides[s]);
				}
				ct_buf_release(&what);
			}
			ct_contract_free(mine);
			ct_contract_free(theirs);
			ct_changes_release(&d);
		}
	}
	if (!compared)
		finding(g, CT_GATE_SKIPPED, "pin", "contracts", NULL, 0,
			"no contract has both a committed file of %s and a "
			"side of %s: nothing to compare at %s",
			me, prov, tag);
	(void)differing;
	return 0;
}

/* The approvals of allow.json beside the manifest, as diff applies them:
 * an approved change is info while its approval lasts. */
static int approvals(struct ct_manifest *m, struct ct_run *run,
		     struct ct_changes *v, size_t n, struct ct_err *err)
{
	struct ct_buf path = CT_BUF_INIT;
	char today[11], *version = NULL;
	int needs = 0, rc;

	ct_allow_today(today);
	ct_buf_addf(&path, "%s/allow.json", m->dir);
	rc = ct_allow_needs_version(path.ptr, &needs, err);
	if (!rc && needs)
		rc = ct_run_provider_version(&version, run, err);
	if (!rc)
		rc = ct_allow_apply(path.ptr, today, version, v, n, err);
	free(version);
	ct_buf_release(&path);
	return rc;
}

/* Swaps the spec of repository `r` for `spec` (NULL: back to `saved`). */
static void set_spec(struct ct_mrepo *mr, char **saved, const char *spec)
{
	if (spec) {
		*saved = mr->spec;
		mr->spec = ct_xstrdup(spec);
	} else {
		free(mr->spec);
		mr->spec = *saved;
	}
}

/* Rule 3: the pinned provider release, then diff at the pair released.
 * The comparisons are appended to *out. */
static int rule_contracts(struct gate *g, struct ct_changes **out, size_t *n,
			  size_t *cap, struct ct_err *err)
{
	struct ct_manifest *m = g->m;
	struct ct_buf pspec = CT_BUF_INIT, ptags = CT_BUF_INIT,
		      pair = CT_BUF_INIT;
	struct ct_source *psrc = NULL;
	struct tag *tags = NULL;
	size_t ntags = 0, first = *n;
	char *pin = NULL, *saved = NULL, *location = NULL, *ref = NULL,
	     *pattern_tag = NULL;
	const char *tag = NULL;
	long prov = g->rel.pin_provider;
	struct ct_run run;
	int rc = 0, swapped = 0;
	size_t counts[3] = {0, 0, 0}, errors = 0, left_out = 0;

	ct_buf_addf(&pair, "%s at %.12s", m->repos[g->r].name,
		    g->commit ? g->commit : "its work tree");
	if (prov >= 0) {
		const struct ct_mrepo *pr = &m->repos[prov];
		const char *ppattern = "v{version}";
		unsigned line = 0;
		struct ct_err e2 = CT_ERR_INIT;
		if (pr->release &&
		    json_object_is_type(pr->release, json_type_object) &&
		    str_at(pr->release, "tag_pattern"))
			ppattern = str_at(pr->release, "tag_pattern");
		rc = read_pin(&pin, &line, g, &e2);
		if (rc == CT_ENOTFOUND) {
			/* a release from before the pin was kept */
			finding(g, CT_GATE_SKIPPED, "pin", "release",
				g->rel.pin_file, 0,
				"%s pins no %s release: %s is not in the "
				"repository here",
				m->repos[g->r].name, pr->name, g->rel.pin_file);
			rc = 0;
		} else if (rc == CT_EINVAL || rc == CT_EPARSE) {
			char msg[1200];
			finding(
			    g, CT_GATE_FAILED, "pin", "release",
			    g->rel.pin_file, e2.line,
			    "the provider release pinned cannot be read: %s",
			    ct_err_format(msg, sizeof(msg), &e2));
			rc = 0;
		} else if (rc) {
			*err = e2;
			goto done;
		} else if (!ct_pep440_valid(pin)) {
			finding(
			    g, CT_GATE_FAILED, "pin", "release",
			    g->rel.pin_file, line,
			    "%s pins %s release '%s', not a PEP 440 version",
			    m->repos[g->r].name, pr->name, pin);
		} else {
			spec_of(&pspec, pr);
			if ((rc = ct_source_open(&psrc, pspec.ptr,
						 &g->o->source, err)) ||
			    (rc = ct_source_tags(psrc, &ptags, err)))
				goto done;
			tags = parse_tags(&ntags, &ptags, ppattern);
			for (size_t i = 0; i < ntags && !tag; i++) {
				int d = 1;
				if (!ct_pep440_cmp(&d, tags[i].version, pin) &&
				    !d)
					tag = tags[i].name;
			}
			pattern_tag = make_tag(ppattern, pin);
			if (!tag) {
				finding(g, CT_GATE_FAILED, "pin", "release",
					g->rel.pin_file, line,
					"%s pins %s %s, and %s has no such "
					"release tag (%s)",
					m->repos[g->r].name, pr->name, pin,
					pr->name, pattern_tag);
			} else {
				finding(g, CT_GATE_PASSED, "pin", "release",
					g->rel.pin_file, line,
					"%s pins %s %s: the tag %s exists",
					m->repos[g->r].name, pr->name, pin,
					tag);
				/* the pair: the provider at the tag pinned */
				ct_source_spec_split(pspec.ptr, &location,
						     &ref);
				ct_buf_reset(&pspec);
				ct_buf_addf(&pspec, "%s@%s", location, tag);
				set_spec(&m->repos[prov], &saved, pspec.ptr);
				swapped = 1;
			}
		}
	}
	ct_run_init(&run, m, &g->o->source);
	if (tag && (rc = rule_pin_contracts(g, &run, m->repos[prov].name, pin,
					    tag, err)))
		goto run_done;
	for (size_t c = 0; c < m->ncontracts; c++)
		if ((rc = ct_run_check(&run, c, out, n, cap, err)))
			goto run_done;
	if ((rc = approvals(m, &run, *out + first, *n - first, err)))
		goto run_done;
	/* the provider at the release pinned against our pins is its drift
	 * since that release, not this release's: left out */
	if (tag) {
		size_t keep = first;
		for (size_t i = first; i < *n; i++) {
			if (is_side_of((*out)[i].actual, m->repos[prov].name) &&
			    !is_side_of((*out)[i].expected,
					m->repos[g->r].name)) {
				ct_changes_release(&(*out)[i]);
				left_out++;
				continue;
			}
			(*out)[keep++] = (*out)[i];
		}
		*n = keep;
	}
	for (size_t i = first; i < *n; i++) {
		for (size_t k = 0; k < (*out)[i].n; k++)
			counts[(*out)[i].v[k].severity]++;
		errors += (*out)[i].errors.n;
	}
	for (size_t r = 0; r < m->nrepos; r++)
		if (r != g->r)
			ct_buf_addf(&pair, ", %s at %s", m->repos[r].name,
				    (long)r == prov && tag ? tag : "its ref");
	if (left_out)
		ct_buf_addf(&pair,
			    "; %zu comparison%s of %s %s with the pins left "
			    "out: they are its drift since that release",
			    left_out, left_out == 1 ? "" : "s",
			    m->repos[prov].name, tag);
	{
		size_t failing = 0;
		for (int s = (int)g->o->fail_on; s <= CT_SEV_BREAKING; s++)
			failing += counts[s];
		if (failing || errors)
			finding(g, CT_GATE_FAILED, "contracts", NULL, m->path,
				0,
				"diff is not clean at the pair released (%s): "
				"%zu breaking, %zu warning, %zu info, %zu "
				"comparison%s not made; see the findings below",
				pair.ptr, counts[CT_SEV_BREAKING],
				counts[CT_SEV_WARNING], counts[CT_SEV_INFO],
				errors, errors == 1 ? "" : "s");
		else
			finding(g, CT_GATE_PASSED, "contracts", NULL, m->path,
				0,
				"diff is clean at the pair released (%s): %zu "
				"contracts, %zu info",
				pair.ptr, m->ncontracts, counts[CT_SEV_INFO]);
	}
run_done:
	ct_run_release(&run);
	if (swapped)
		set_spec(&m->repos[prov], &saved, NULL);
done:
	free_tags(tags, ntags);
	ct_source_free(psrc);
	ct_buf_release(&pspec);
	ct_buf_release(&ptags);
	ct_buf_release(&pair);
	free(pin);
	free(location);
	free(ref);
	free(pattern_tag);
	return rc;
}

/* ---- the gate ------------------------------------------------------------
 */

static void gate_release(struct gate *g)
{
	ct_changes_release(&g->ch);
	ct_source_free(g->src);
	free(g->version);
	free(g->tag);
	ct_buf_release(&g->tagtext);
	free_tags(g->tags, g->ntags);
	for (size_t i = 0; i < g->nconsumed; i++)
		free(g->consumed[i]);
	free(g->consumed);
}

static int gate_one(struct ct_changes **out, size_t *n, size_t *cap,
		    struct ct_manifest *m, size_t r,
		    const struct ct_gate_opts *o, struct ct_err *err)
{
	struct gate g;
	struct ct_buf spec = CT_BUF_INIT, name = CT_BUF_INIT;
	struct ct_changes *rest = NULL;
	size_t nrest = 0, caprest = 0;
	int rc;

	memset(&g, 0, sizeof(g));
	g.m = m;
	g.o = o;
	g.r = r;
	g.ch = (struct ct_changes)CT_CHANGES_INIT;
	g.tagtext = (struct ct_buf)CT_BUF_INIT;
	if ((rc = read_release(&g.rel, m, r, err)))
		goto done;
	ct_buf_addf(&name, "gate:%s", m->repos[r].name);
	g.ch.contract = ct_buf_detach(&name, NULL);
	spec_of(&spec, &m->repos[r]);
	g.ch.expected = ct_xstrdup(spec.ptr);
	g.ch.actual = ct_xstrdup(spec.ptr);
	if ((rc = ct_source_open(&g.src, spec.ptr, &o->source, err)))
		goto done;
	g.commit = ct_source_release_commit(g.src);
	g.time = ct_source_release_time(g.src);
	if ((rc = rule_versions(&g, err)))
		goto done;
	if (!g.version) {
		finding(&g, CT_GATE_SKIPPED, "tags", NULL, NULL, 0,
			"no version: the tags and indexes were not checked");
	} else {
		if ((rc = ct_source_tags(g.src, &g.tagtext, err)))
			goto done;
		g.tags = parse_tags(&g.ntags, &g.tagtext, g.rel.pattern);
		/* the indexes first: what they hold counts as consumed
		 * when naming the next versions allowed */
		if ((rc = rule_index(&g, err)))
			goto done;
		rule_tags(&g);
	}
	if ((rc = rule_contracts(&g, &rest, &nrest, &caprest, err)))
		goto done;
	/* the rules first, then the comparisons they summed up */
	*out = ct_xgrow(*out, cap, *n + 1 + nrest, sizeof(**out));
	(*out)[(*n)++] = g.ch;
	g.ch = (struct ct_changes)CT_CHANGES_INIT;
	for (size_t i = 0; i < nrest; i++)
		(*out)[(*n)++] = rest[i];
	nrest = 0;
done:
	for (size_t i = 0; i < nrest; i++)
		ct_changes_release(&rest[i]);
	free(rest);
	ct_buf_release(&spec);
	ct_buf_release(&name);
	gate_release(&g);
	return rc;
}

int ct_gate_run(struct ct_changes **out, size_t *n, size_t *cap,
		struct ct_manifest *m, const struct ct_gate_opts *o,
		struct ct_err *err)
{
	size_t gated = 0;
	int rc = 0;

	if (o->release) {
		long r = ct_manifest_repo(m, o->release);
		if (r < 0)
			return ct_err_set(err, CT_EINVAL,
					  "unknown repository '%s' (see %s)",
					  o->release, m->path);
		if (!m->repos[r].release)
			return ct_err_set(err, CT_EINVAL,
					  "repository '%s' has no \"release\" "
					  "block in %s",
					  o->release, m->path);
	}
	for (size_t r = 0; r < m->nrepos; r++)
		gated += m->repos[r].release &&
			 (!o->release || !strcmp(o->release, m->repos[r].name));
	if (!gated)
		return ct_err_set(
		    err, CT_EINVAL,
		    "no repository of %s has a \"release\" block: "
		    "nothing to gate",
		    m->path);
	if (o->tag && gated > 1)
		return ct_err_set(err, CT_EINVAL,
				  "--tag names one release: say which "
				  "repository with --release NAME (%zu have a "
				  "\"release\" block)",
				  gated);
	ct_source_hold(); /* many sources are opened in turn */
	for (size_t r = 0; r < m->nrepos; r++) {
		if (!m->repos[r].release ||
		    (o->release && strcmp(o->release, m->repos[r].name)))
			continue;
		if ((rc = gate_one(out, n, cap, m, r, o, err)))
			break;
	}
	ct_source_unhold();
	return rc;
}
