/* run.c - running a manifest: open each repository once, build each side's
 * document from its sources through the extractors, and compare. */
#include "contracts/run.h"

#include "contracts/extract.h"
#include "contracts/http.h"
#include "contracts/xalloc.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ct_run_init(struct ct_run *run, struct ct_manifest *m,
		 const struct ct_source_opts *opts)
{
	run->manifest = m;
	memset(&run->opts, 0, sizeof(run->opts));
	if (opts)
		run->opts = *opts;
	run->sources =
	    ct_xcalloc(m->nrepos ? m->nrepos : 1, sizeof(*run->sources));
}

void ct_run_release(struct ct_run *run)
{
	for (size_t i = 0; run->sources && i < run->manifest->nrepos; i++)
		ct_source_free(run->sources[i]);
	free(run->sources);
	run->sources = NULL;
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

struct gather {
	struct ct_source *src;
	struct ct_source_file *files;
	struct ct_buf *texts;
	size_t n, cap, captexts;
	const char *glob;
	struct ct_err *err;
};

static int gather_one(const char *path, void *data)
{
	struct gather *g = data;
	struct ct_buf text = CT_BUF_INIT;
	int rc;

	for (size_t i = 0; i < g->n; i++)
		if (!strcmp(g->files[i].path, path))
			return 0;
	if ((rc = ct_source_read(g->src, path, &text, g->err)))
		return rc;
	g->files = ct_xgrow(g->files, &g->cap, g->n + 1, sizeof(*g->files));
	g->texts =
	    ct_xgrow(g->texts, &g->captexts, g->n + 1, sizeof(*g->texts));
	g->texts[g->n] = text;
	g->files[g->n].path = ct_xstrdup(path);
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

int ct_run_extract(struct ct_contract **out, struct ct_run *run, size_t c,
		   const char *side, struct ct_err *err)
{
	const struct ct_mcontract *mc = &run->manifest->contracts[c];
	struct ct_contract *doc = ct_contract_new(mc->name, mc->direction);
	int rc = 0, any = 0;

	for (size_t i = 0; !rc && i < mc->nsources; i++) {
		const struct ct_msource *ms = &mc->sources[i];
		struct gather g;
		struct ct_extract_ctx ctx;
		if (strcmp(ms->side, side))
			continue;
		any = 1;
		memset(&g, 0, sizeof(g));
		g.err = err;
		if (ms->url) {
			rc = fetch_url(run, ms, doc, err);
			continue;
		}
		if ((rc = source_of(&g.src, run, ms->repo, err)))
			break;
		for (size_t p = 0; !rc && p < ms->npaths; p++) {
			if (!strpbrk(ms->paths[p], "*?")) {
				rc = gather_one(
				    ms->paths[p],
				    &g); /* a plain path must exist */
				continue;
			}
			rc = ct_source_list(g.src, ms->paths[p], gather_one, &g,
					    err);
		}
		if (!rc) {
			memset(&ctx, 0, sizeof(ctx));
			ctx.repo = run->manifest->repos[ms->repo].name;
			ctx.commit = ct_source_commit(g.src);
			ctx.options = ms->options;
			ctx.out = doc;
			rc = ct_extractor_find(ms->extractor)
				 ->run(&ctx, g.files, g.n, err);
		}
		for (size_t k = 0; k < g.n; k++) {
			free((char *)g.files[k].path);
			ct_buf_release(&g.texts[k]);
		}
		free(g.files);
		free(g.texts);
	}
	if (!rc && !any)
		rc =
		    ct_err_set(err, CT_EINVAL, "contract '%s' has no side '%s'",
			       mc->name, side);
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

int ct_run_check(struct ct_run *run, size_t c, struct ct_changes **out,
		 size_t *n, size_t *cap, struct ct_err *err)
{
	const struct ct_manifest *m = run->manifest;
	const struct ct_mcontract *mc = &m->contracts[c];
	struct ct_contract *pinned = NULL, *docs[16] = {NULL};
	const char *sides[16];
	struct ct_buf path = CT_BUF_INIT;
	size_t nsides = ct_manifest_sides(m, c, sides, 16);
	long provider = -1, consumer = -1;
	int rc;

	ct_buf_addf(&path, "%s/%s", m->dir, mc->pinned);
	if ((rc = ct_contract_load(&pinned, path.ptr, 0, err))) {
		if (rc == CT_ENOTFOUND)
			rc = ct_err_set(
			    err, CT_ENOTFOUND,
			    "contract '%s' has no pinned file %s; run 'contracts pin --contract %s'",
			    mc->name, path.ptr, mc->name);
		goto done;
	}
	for (size_t s = 0; s < nsides; s++) {
		struct ct_changes *ch;
		struct ct_buf lb = CT_BUF_INIT;
		long r;
		if ((rc = ct_run_extract(&docs[s], run, c, sides[s], err)))
			goto done;
		ch = next_changes(out, n, cap);
		if ((rc = ct_diff_ex(ch, pinned, docs[s], mc->direction,
				     mc->shape_dirs, err)))
			goto done;
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
		if ((rc = ct_diff_ex(ch, docs[provider], docs[consumer],
				     mc->direction, mc->shape_dirs, err)))
			goto done;
		ct_changes_for_consumer_routes(ch);
		label(&a, run, c, sides[provider]);
		label(&b, run, c, sides[consumer]);
		free(ch->expected);
		free(ch->actual);
		ch->expected = ct_buf_detach(&a, NULL);
		ch->actual = ct_buf_detach(&b, NULL);
	}
done:
	for (size_t s = 0; s < nsides; s++)
		ct_contract_free(docs[s]);
	ct_contract_free(pinned);
	ct_buf_release(&path);
	return rc;
}
