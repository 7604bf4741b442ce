/* run.c - running a manifest: open each repository once, build each side's
 * document from its sources through the extractors, and compare. */
#include "contracts/run.h"

#include "contracts/cache.h"
#include "contracts/compat.h"
#include "contracts/extract.h"
#include "contracts/http.h"
#include "contracts/pyrepo.h"
#include "contracts/strset.h"
#include "contracts/xalloc.h"
#include "run_impl.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ct_run_init(struct ct_run *run, struct ct_manifest *m,
		 const struct ct_source_opts *opts)
{
	ct_run_init_ex(run, m, opts, 0);
}

void ct_run_init_ex(struct ct_run *run, struct ct_manifest *m,
		    const struct ct_source_opts *opts, int no_cache)
{
	run->manifest = m;
	run->rec = NULL;
	run->mem = NULL;
	run->refused = ct_xcalloc(1, sizeof(*run->refused));
	run->cache =
	    no_cache ? NULL : ct_cache_open(opts ? opts->cache_dir : NULL);
	memset(&run->opts, 0, sizeof(run->opts));
	if (opts)
		run->opts = *opts;
	run->opts.facts = run->cache;
	run->sources =
	    ct_xcalloc(m->nrepos ? m->nrepos : 1, sizeof(*run->sources));
	run->views = ct_xcalloc(m->nrepos ? m->nrepos : 1, sizeof(*run->views));
	run->stale = ct_xcalloc(m->nrepos ? m->nrepos : 1, sizeof(*run->stale));
}

void ct_run_release(struct ct_run *run)
{
	for (size_t i = 0; run->views && i < run->manifest->nrepos; i++) {
		ct_pyrepo_free(run->views[i]);
		ct_pyrepo_free(run->stale[i]);
	}
	free(run->stale);
	run->stale = NULL;
	for (size_t i = 0; run->sources && i < run->manifest->nrepos; i++)
		ct_source_free(run->sources[i]);
	free(run->views);
	free(run->sources);
	ct_cache_free(run->cache);
	ct_run_mem_free(run->mem);
	run->mem = NULL;
	if (run->refused)
		ct_strset_release(run->refused);
	free(run->refused);
	run->refused = NULL;
	run->views = NULL;
	run->sources = NULL;
	run->cache = NULL;
}

const char *ct_run_cache_warning(const struct ct_run *run)
{
	return run->cache ? ct_cache_warning(run->cache) : NULL;
}

static int source_of(struct ct_source **out, struct ct_run *run, size_t r,
		     struct ct_err *err)
{
	struct ct_mrepo *mr = &run->manifest->repos[r];

	if (!run->sources[r]) {
		struct ct_buf spec = CT_BUF_INIT;
		int rc;
		if (mr->spec)
			ct_buf_adds(&spec, mr->spec);
		else if (mr->ref)
			ct_buf_addf(&spec, "%s@%s", mr->location, mr->ref);
		else
			ct_buf_adds(&spec, mr->location);
		rc =
		    ct_source_open(&run->sources[r], spec.ptr, &run->opts, err);
		ct_buf_release(&spec);
		if (rc)
			return rc;
	}
	*out = run->sources[r];
	return 0;
}

static int side_source(struct ct_source **out, struct ct_run *run, size_t c,
		       const char *side, struct ct_err *err);

int ct_run_recall(struct ct_run *run, size_t c, const char *side,
		  char digest[41])
{
	struct ct_source *src;
	struct ct_err err = CT_ERR_INIT;
	char key[41];

	return !ct_run_memo_key(key, run, c, side) &&
	       !side_source(&src, run, c, side, &err) &&
	       ct_run_mem_recall(run, src, key, digest);
}

int ct_run_source(struct ct_source **out, struct ct_run *run, size_t repo,
		  struct ct_err *err)
{
	return source_of(out, run, repo, err);
}

void ct_run_forget_view(struct ct_run *run, size_t repo)
{
	if (!run->views[repo])
		return;
	ct_pyrepo_free(run->stale[repo]);
	run->stale[repo] = run->views[repo];
	run->views[repo] = NULL;
}

/* ---- a repository's Python modules, shared by every contract ---------- */

struct paths {
	char **v;
	size_t n, cap;
};

static int add_path(const char *path, void *data)
{
	struct paths *p = data;

	p->v = ct_xgrow(p->v, &p->cap, p->n + 1, sizeof(*p->v));
	p->v[p->n++] = ct_xstrdup(path);
	return 0;
}

static void paths_release(struct paths *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

static int read_source(void *data, const char *path, struct ct_buf *out,
		       struct ct_err *err)
{
	return ct_source_read(data, path, out, err);
}

static int blob_id(void *data, const char *path, char out[41])
{
	struct ct_err err = CT_ERR_INIT;

	return ct_source_blob_id(data, path, out, &err);
}

static void touch(void *data, const char *path)
{
	struct ct_run *run = data;

	ct_run_rec_touch(run->rec, path);
}

static int view_of(struct ct_pyrepo **out, struct ct_run *run, size_t r,
		   struct ct_err *err)
{
	struct ct_source *src;
	struct paths all;
	int rc;

	if (run->views[r]) {
		*out = run->views[r];
		return 0;
	}
	if ((rc = source_of(&src, run, r, err)))
		return rc;
	memset(&all, 0, sizeof(all));
	if ((rc = ct_source_list(src, "**/*.py", add_path, &all, err))) {
		paths_release(&all);
		return rc;
	}
	run->views[r] = ct_pyrepo_new((const char *const *)all.v, all.n,
				      read_source, src, 0);
	ct_pyrepo_set_cache(run->views[r], run->cache, blob_id);
	ct_pyrepo_set_observer(run->views[r], touch, run);
	ct_pyrepo_share_refusals(run->views[r], run->refused);
	if (run->stale[r]) { /* the commit read before: what did not change */
		ct_pyrepo_adopt(run->views[r], run->stale[r]);
		ct_pyrepo_free(run->stale[r]);
		run->stale[r] = NULL;
	}
	paths_release(&all);
	*out = run->views[r];
	return 0;
}

struct gather {
	struct ct_source *src;
	struct ct_source_file *files;
	struct ct_buf *texts;
	size_t n, cap, captexts;
	int paths_only;	       /* the extractor reads through the view */
	size_t matched;	       /* paths the source listed, excluded ones too */
	struct ct_strset seen; /* the paths gathered */
	const struct ct_msource *ms;
	struct ct_run_rec *rec; /* the files read are recorded here */
	struct ct_err *err;
};

static int gather_one(const char *path, void *data)
{
	struct gather *g = data;
	struct ct_buf text = CT_BUF_INIT;
	int rc;

	if (++g->matched > CT_SOURCE_MAX_GLOB_FILES)
		return ct_err_set(
		    g->err, CT_ETOOBIG,
		    "more than %d files match one glob (the limit)",
		    CT_SOURCE_MAX_GLOB_FILES);
	if (ct_strset_has(&g->seen, path))
		return 0;
	for (size_t i = 0; i < g->ms->nexclude; i++)
		if (ct_glob_match(g->ms->exclude[i], path))
			return 0;
	if (!g->paths_only) {
		if ((rc = ct_source_read(g->src, path, &text, g->err)))
			return rc;
		ct_run_rec_touch(g->rec, path);
	}
	g->files = ct_xgrow(g->files, &g->cap, g->n + 1, sizeof(*g->files));
	g->texts =
	    ct_xgrow(g->texts, &g->captexts, g->n + 1, sizeof(*g->texts));
	g->texts[g->n] = text;
	g->files[g->n].path = ct_xstrdup(path);
	ct_strset_add(&g->seen, path);
	g->files[g->n].data = g->texts[g->n].ptr;
	g->files[g->n].len = g->texts[g->n].len;
	g->n++;
	return 0;
}

/* A source with a URL: GET it (a running provider's /openapi.json) and
 * hand the body to the extractor as one file named by the URL. */
static int fetch_url(struct ct_run *run, const struct ct_msource *ms,
		     struct ct_contract *doc, struct ct_err *err)
{
	struct ct_http_opts o;
	struct ct_http_response res;
	struct ct_source_file f;
	struct ct_extract_ctx ctx;
	struct ct_buf label = CT_BUF_INIT;
	int rc;

	memset(&o, 0, sizeof(o));
	o.token = ms->token_env ? getenv(ms->token_env) : NULL;
	o.ca_file = run->opts.ca_file;
	ct_redact_url(&label, ms->url);
	rc = ct_http_request(&res, "GET", ms->url, NULL, 0, NULL, &o, err);
	if (!rc && res.status != 200)
		rc =
		    ct_err_set(err, CT_EUNREACHABLE, "GET %s answered HTTP %ld",
			       label.ptr, res.status);
	if (!rc) {
		f.path = label.ptr;
		f.data = res.body.ptr;
		f.len = res.body.len;
		memset(&ctx, 0, sizeof(ctx));
		ctx.repo = run->manifest->repos[ms->repo].name;
		ctx.options = ms->options;
		ctx.out = doc;
		rc = ct_extractor_find(ms->extractor)->run(&ctx, &f, 1, err);
	}
	ct_buf_release(&res.body);
	ct_buf_release(&label);
	return rc;
}

/* Runs one source of a contract into doc. */
static int extract_one(struct ct_run *run, const struct ct_msource *ms,
		       struct ct_contract *doc, struct ct_errs *problems,
		       struct ct_err *err)
{
	const struct ct_extractor *x = ct_extractor_find(ms->extractor);
	struct gather g;
	struct ct_extract_ctx ctx;
	int rc;

	if (ms->url)
		return fetch_url(run, ms, doc, err);
	memset(&g, 0, sizeof(g));
	memset(&ctx, 0, sizeof(ctx));
	g.err = err;
	g.ms = ms;
	g.rec = run->rec;
	g.paths_only = (x->flags & CT_EXTRACT_PYTHON) != 0;
	if ((rc = source_of(&g.src, run, ms->repo, err)) ||
	    (g.paths_only && (rc = view_of(&ctx.view, run, ms->repo, err))))
		return rc;
	for (size_t p = 0; !rc && p < ms->npaths; p++) {
		if (!strpbrk(ms->paths[p], "*?")) {
			/* a plain path must exist */
			if (g.paths_only &&
			    !ct_pyrepo_has(ctx.view, ms->paths[p]))
				rc = ct_err_set(
				    err, CT_ENOTFOUND,
				    "%s has no file %s at %.12s",
				    run->manifest->repos[ms->repo].name,
				    ms->paths[p],
				    ct_source_commit(g.src)
					? ct_source_commit(g.src)
					: "WORKTREE");
			else
				rc = gather_one(ms->paths[p], &g);
			continue;
		}
		g.matched = 0; /* counted per glob */
		rc = ct_source_list(g.src, ms->paths[p], gather_one, &g, err);
		/* a glob that matches nothing is a typo or a moved tree, not
		 * an empty contract */
		if (!rc && !g.matched)
			rc = ct_err_set(
			    err, CT_ENOTFOUND,
			    "no file matches %s in %s at %.12s", ms->paths[p],
			    run->manifest->repos[ms->repo].name,
			    ct_source_commit(g.src) ? ct_source_commit(g.src)
						    : "WORKTREE");
	}
	if (!rc) {
		ctx.repo = run->manifest->repos[ms->repo].name;
		ctx.commit = ct_source_commit(g.src);
		ctx.options = ms->options;
		ctx.out = doc;
		ctx.problems = problems;
		rc = x->run(&ctx, g.files, g.n, err);
	}
	for (size_t k = 0; k < g.n; k++) {
		free((char *)g.files[k].path);
		ct_buf_release(&g.texts[k]);
	}
	free(g.files);
	free(g.texts);
	ct_strset_release(&g.seen);
	return rc;
}

/* The source side `side` of contract c reads (its first source's). */
static int side_source(struct ct_source **out, struct ct_run *run, size_t c,
		       const char *side, struct ct_err *err)
{
	const struct ct_mcontract *mc = &run->manifest->contracts[c];

	for (size_t i = 0; i < mc->nsources; i++)
		if (!strcmp(mc->sources[i].side, side))
			return source_of(out, run, mc->sources[i].repo, err);
	return ct_err_set(err, CT_EINVAL, "contract '%s' has no side '%s'",
			  mc->name, side);
}

int ct_run_extract(struct ct_contract **out, struct ct_run *run, size_t c,
		   const char *side, struct ct_errs *problems,
		   struct ct_err *err)
{
	return ct_run_extract_ex(out, NULL, run, c, side, problems, err);
}

int ct_run_extract_ex(struct ct_contract **out, char digest_out[41],
		      struct ct_run *run, size_t c, const char *side,
		      struct ct_errs *problems, struct ct_err *err)
{
	char own_digest[41] = "";
	char *digest = digest_out ? digest_out : own_digest;
	const struct ct_mcontract *mc = &run->manifest->contracts[c];
	struct ct_contract *doc;
	struct ct_errs own = CT_ERRS_INIT;
	struct ct_errs *into = problems ? problems : &own;
	struct ct_run_rec rec;
	struct ct_source *src = NULL;
	char key[41];
	int rc = 0, any = 0, memo = 0;
	size_t before = into->n;

	if (!ct_run_memo_key(key, run, c, side)) {
		if ((rc = side_source(&src, run, c, side, err)))
			return rc;
		if (!ct_run_memo_load(out, run, src, key, digest_out))
			return 0;
		memo = 1;
	}
	memset(&rec, 0, sizeof(rec));
	run->rec = &rec;
	doc = ct_contract_new(mc->name, mc->direction);
	for (size_t i = 0; !rc && i < mc->nsources; i++) {
		if (strcmp(mc->sources[i].side, side))
			continue;
		any = 1;
		rc = extract_one(run, &mc->sources[i], doc, into, err);
	}
	run->rec = NULL;
	if (!rc && !any)
		rc =
		    ct_err_set(err, CT_EINVAL, "contract '%s' has no side '%s'",
			       mc->name, side);
	/* what was extracted is held to the format and its limits too */
	if (!rc)
		rc = ct_contract_validate(doc, err);
	if (!rc) /* as a memo of it would be */
		ct_contract_canonicalize(doc);
	if (!rc && own.n) { /* no list to keep them: the first one fails */
		*err = own.v[0];
		rc = own.v[0].code ? own.v[0].code : CT_EPARSE;
	}
	/* a side spoiled in part is extracted again next time, so its
	 * problems are reported again */
	if (!rc && memo && into->n == before)
		ct_run_memo_store(run, src, key, doc, &rec, digest);
	else if (!rc && digest_out)
		ct_run_digest(digest, doc);
	/* what a walk through history recalls at the next commit; a plain
	 * run asks for no digest and needs none of it */
	if (memo && digest_out && rc != CT_EUNREACHABLE)
		ct_run_mem_note(run, src, key, &rec,
				!rc && into->n == before ? digest : "");
	ct_run_rec_release(&rec);
	ct_errs_release(&own);
	if (rc) {
		ct_contract_free(doc);
		return rc;
	}
	*out = doc;
	return 0;
}

static struct ct_changes *next_changes(struct ct_changes **v, size_t *n,
				       size_t *cap)
{
	struct ct_changes init = CT_CHANGES_INIT;

	*v = ct_xgrow(*v, cap, *n + 1, sizeof(**v));
	(*v)[*n] = init;
	return &(*v)[(*n)++];
}

void ct_run_note_sources(struct ct_run *run, size_t c, const char *side,
			 struct ct_contract *doc)
{
	const struct ct_mcontract *mc = &run->manifest->contracts[c];
	json_object *meta = ct_contract_member(doc, "x-contract"), *all, *one;

	if (!meta)
		return;
	if (!json_object_object_get_ex(meta, "sources", &all)) {
		all = json_object_new_object();
		json_object_object_add(meta, "sources", all);
	}
	for (size_t i = 0; i < mc->nsources; i++) {
		const struct ct_msource *ms = &mc->sources[i];
		const struct ct_source *src = run->sources[ms->repo];
		if (strcmp(ms->side, side) || !src)
			continue;
		one = json_object_new_object();
		json_object_object_add(
		    one, "repo",
		    json_object_new_string(
			run->manifest->repos[ms->repo].name));
		if (ct_source_ref(src))
			json_object_object_add(
			    one, "ref",
			    json_object_new_string(ct_source_ref(src)));
		if (ct_source_commit(src))
			json_object_object_add(
			    one, "commit",
			    json_object_new_string(ct_source_commit(src)));
		json_object_object_add(all, side, one);
		return;
	}
}

/* Labels a compared document: "netbox-proxbox@1a2b3c4d5e6f". */
static void label(struct ct_buf *b, struct ct_run *run, size_t c,
		  const char *side)
{
	const struct ct_mcontract *mc = &run->manifest->contracts[c];

	ct_buf_adds(b, side);
	for (size_t i = 0; i < mc->nsources; i++) {
		const char *commit;
		if (strcmp(mc->sources[i].side, side) ||
		    !run->sources[mc->sources[i].repo])
			continue;
		commit = ct_source_commit(run->sources[mc->sources[i].repo]);
		ct_buf_addf(b, "@%.12s", commit ? commit : "WORKTREE");
		break;
	}
}

int ct_run_provider_version(char **out, struct ct_run *run, struct ct_err *err)
{
	const struct ct_manifest *m = run->manifest;
	struct ct_buf text = CT_BUF_INIT;
	struct ct_source *src;
	const char *line;
	int rc;

	*out = NULL;
	for (size_t r = 0; r < m->nrepos; r++) {
		if (m->repos[r].role != CT_ROLE_PROVIDER ||
		    !m->repos[r].version_file)
			continue;
		if ((rc = source_of(&src, run, r, err)) ||
		    (rc = ct_source_read(src, m->repos[r].version_file, &text,
					 err)))
			goto done;
		for (line = text.ptr; *line;
		     line +=
		     strcspn(line, "\n") + (line[strcspn(line, "\n")] != 0)) {
			const char *p = line, *q;
			if (!strncmp(p, "version", 7))
				p += 7;
			else if (!strncmp(p, "__version__", 11))
				p += 11;
			else
				continue;
			p += strspn(p, " \t");
			if (*p++ != '=')
				continue;
			p += strspn(p, " \t");
			if (*p != '"' && *p != '\'')
				continue;
			q = strchr(p + 1, *p);
			if (q && q > p + 1) {
				*out = ct_xstrndup(p + 1, (size_t)(q - p - 1));
				break;
			}
		}
		if (!*out)
			rc = ct_err_set(
			    err, CT_EINVAL,
			    "no version = \"...\" line in %s of '%s'",
			    m->repos[r].version_file, m->repos[r].name);
		goto done;
	}
	rc = 0;
done:
	ct_buf_release(&text);
	return rc;
}

/* Whether a side (REPO or REPO:LABEL) belongs to a consumer. */
static int consumer_side(const struct ct_manifest *m, const char *side)
{
	size_t n = strcspn(side, ":");

	for (size_t i = 0; i < m->nrepos; i++)
		if (strlen(m->repos[i].name) == n &&
		    !strncmp(m->repos[i].name, side, n))
			return m->repos[i].role == CT_ROLE_CONSUMER;
	return 0;
}

/* Whether a side (REPO or REPO:LABEL) reads the contract's data rather
 * than writing it: the consumer when data flows provider to consumer, the
 * provider when it flows the other way. Exact and superset contracts have
 * no reader: their sides are versions of one document. */
static int reader_side(const struct ct_manifest *m, size_t c, const char *side)
{
	enum ct_direction dir = m->contracts[c].direction;

	if (dir == CT_DIR_PROVIDER_TO_CONSUMER)
		return consumer_side(m, side);
	if (dir == CT_DIR_CONSUMER_TO_PROVIDER)
		return !consumer_side(m, side);
	return 0;
}

/* Compares two documents as the contract asks: the writer's against the
 * reader's with the compatibility relation, two versions with a diff. */
static int compare(struct ct_changes *ch, const struct ct_mcontract *mc,
		   struct ct_contract *writer, struct ct_contract *other,
		   int other_reads, struct ct_err *err)
{
	if (other_reads)
		return ct_compat(ch, writer, other, mc->direction,
				 mc->shape_dirs, err);
	/* a writer's side is a new version of what it writes, whichever
	 * repository writes: judged as such (it may narrow, not widen) */
	return ct_diff_ex(ch, writer, other,
			  mc->direction == CT_DIR_CONSUMER_TO_PROVIDER
			      ? CT_DIR_PROVIDER_TO_CONSUMER
			      : mc->direction,
			  mc->shape_dirs, err);
}

/* Which document a side (REPO or REPO:LABEL) is, for the findings. */
static enum ct_side side_kind(const struct ct_manifest *m, const char *side)
{
	int file = strchr(side, ':') != NULL;

	if (consumer_side(m, side))
		return file ? CT_SIDE_CONSUMER_FILE : CT_SIDE_CONSUMER;
	return file ? CT_SIDE_PROVIDER_FILE : CT_SIDE_PROVIDER;
}

/* A comparison that cannot be made: its errors, no changes. */
static void spoiled(struct ct_changes *ch, const struct ct_mcontract *mc,
		    const struct ct_errs *errors)
{
	free(ch->contract);
	ch->contract = ct_xstrdup(mc->name);
	ch->direction = mc->direction;
	for (size_t i = 0; i < errors->n; i++)
		ct_errs_add(&ch->errors, &errors->v[i]);
}

int ct_run_check(struct ct_run *run, size_t c, struct ct_changes **out,
		 size_t *n, size_t *cap, struct ct_err *err)
{
	const struct ct_manifest *m = run->manifest;
	const struct ct_mcontract *mc = &m->contracts[c];
	struct ct_contract *pinned = NULL, *docs[16] = {NULL};
	struct ct_errs pin_errs = CT_ERRS_INIT, side_errs[16];
	const char *sides[16];
	struct ct_buf path = CT_BUF_INIT;
	size_t nsides = ct_manifest_sides(m, c, sides, 16);
	long provider = -1, consumer = -1;
	int rc = 0;

	for (size_t s = 0; s < nsides; s++) {
		struct ct_errs init = CT_ERRS_INIT;
		side_errs[s] = init;
	}
	ct_buf_addf(&path, "%s/%s", m->dir, mc->pinned);
	if ((rc = ct_contract_load(&pinned, path.ptr, 0, err))) {
		struct ct_err e = *err;
		if (rc == CT_ENOTFOUND)
			ct_err_set(
			    &e, CT_ENOTFOUND,
			    "contract '%s' has no pinned file %s; run 'contracts pin --contract %s'",
			    mc->name, path.ptr, mc->name);
		ct_errs_add(&pin_errs, &e);
		pinned = NULL;
	}
	for (size_t s = 0; s < nsides; s++) {
		struct ct_changes *ch;
		struct ct_buf lb = CT_BUF_INIT;
		struct ct_err e = CT_ERR_INIT;
		long r;
		rc = ct_run_extract(&docs[s], run, c, sides[s], &side_errs[s],
				    &e);
		/* the side could not be built, its source unreachable too: it
		 * says why, and the night still ends with a report */
		if (rc) {
			docs[s] = NULL;
			ct_errs_add(&side_errs[s], &e);
		}
		rc = 0;
		ch = next_changes(out, n, cap);
		if (pin_errs.n || side_errs[s].n) {
			spoiled(ch, mc, pin_errs.n ? &pin_errs : &side_errs[s]);
			if (pin_errs.n && side_errs[s].n)
				spoiled(ch, mc, &side_errs[s]);
		} else if ((rc = compare(ch, mc, pinned, docs[s],
					 reader_side(m, c, sides[s]), err))) {
			/* the pin is the writer's contract: a writer side is a
			 * new version of it, a reader side must read it */
			goto done;
		}
		ch->direction = mc->direction;
		ch->left = CT_SIDE_PIN;
		ch->right = side_kind(m, sides[s]);
		if (!ch->expected)
			ch->expected = ct_xstrdup(path.ptr);
		free(ch->actual);
		label(&lb, run, c, sides[s]);
		ch->actual = ct_buf_detach(&lb, NULL);
		r = ct_manifest_repo(m, sides[s]);
		if (consumer_side(m, sides[s]))
			ct_changes_for_consumer_routes(ch);
		if (r >= 0 && m->repos[r].role == CT_ROLE_PROVIDER &&
		    provider < 0)
			provider = (long)s;
		if (r >= 0 && m->repos[r].role == CT_ROLE_CONSUMER &&
		    consumer < 0)
			consumer = (long)s;
	}
	if (provider >= 0 && consumer >= 0) {
		/* provider against consumer: what each side writes against what
		 * the other reads, whatever the pin says */
		struct ct_changes *ch = next_changes(out, n, cap);
		struct ct_buf a = CT_BUF_INIT, b = CT_BUF_INIT;
		/* the writer first: the consumer when it writes */
		long wr = mc->direction == CT_DIR_CONSUMER_TO_PROVIDER
			      ? consumer
			      : provider;
		long rd = wr == provider ? consumer : provider;
		if (side_errs[provider].n || side_errs[consumer].n) {
			spoiled(ch, mc, &side_errs[provider]);
			spoiled(ch, mc, &side_errs[consumer]);
		} else if ((rc = compare(ch, mc, docs[wr], docs[rd],
					 reader_side(m, c, sides[rd]), err))) {
			goto done;
		}
		ch->direction = mc->direction;
		ch->left = side_kind(m, sides[wr]);
		ch->right = side_kind(m, sides[rd]);
		if (rd == consumer)
			ct_changes_for_consumer_routes(ch);
		label(&a, run, c, sides[wr]);
		label(&b, run, c, sides[rd]);
		free(ch->expected);
		free(ch->actual);
		ch->expected = ct_buf_detach(&a, NULL);
		ch->actual = ct_buf_detach(&b, NULL);
	}
done:
	for (size_t s = 0; s < nsides; s++) {
		ct_contract_free(docs[s]);
		ct_errs_release(&side_errs[s]);
	}
	ct_errs_release(&pin_errs);
	ct_contract_free(pinned);
	ct_buf_release(&path);
	return rc;
}

int ct_run_pair(struct ct_changes *out, struct ct_run *run, size_t c,
		struct ct_contract *provider, struct ct_contract *consumer,
		struct ct_err *err)
{
	const struct ct_manifest *m = run->manifest;
	const struct ct_mcontract *mc = &m->contracts[c];
	int to_provider = mc->direction == CT_DIR_CONSUMER_TO_PROVIDER;
	struct ct_contract *wr = to_provider ? consumer : provider,
			   *rd = to_provider ? provider : consumer;
	int rc;

	/* whether the reader reads: as in ct_run_check, by its role */
	if ((rc = compare(out, mc, wr, rd,
			  mc->direction == CT_DIR_PROVIDER_TO_CONSUMER ||
			      mc->direction == CT_DIR_CONSUMER_TO_PROVIDER,
			  err)))
		return rc;
	out->direction = mc->direction;
	if (!to_provider)
		ct_changes_for_consumer_routes(out);
	return 0;
}
