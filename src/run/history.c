/* history.c - a contract through time: one side's changes commit by commit
 * (ct_log_side), and the drift between the two sides (ct_log_pair). */
#include "contracts/history.h"

#include "contracts/cache.h"
#include "contracts/sha1.h"
#include "contracts/source.h"
#include "contracts/xalloc.h"
#include "run_impl.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ct_log_release(struct ct_log *log)
{
	for (size_t i = 0; i < log->n; i++) {
		ct_changes_release(&log->v[i].changes);
		free(log->v[i].introduced);
	}
	free(log->v);
	free(log->side);
	free(log->location);
	memset(log, 0, sizeof(*log));
}

/* Whether contract c has a side named exactly `side`. */
static int has_side(const struct ct_manifest *m, size_t c, const char *side)
{
	const struct ct_mcontract *mc = &m->contracts[c];

	for (size_t i = 0; i < mc->nsources; i++)
		if (!strcmp(mc->sources[i].side, side))
			return 1;
	return 0;
}

/* Side `side` of contract c at the commit its source reads now: 0 with
 * *out, or non-zero when it cannot be built whole there. */
static int extract_at(struct ct_contract **out, char digest[41],
		      struct ct_run *run, size_t c, const char *side)
{
	struct ct_errs problems = CT_ERRS_INIT;
	struct ct_err err = CT_ERR_INIT;
	int rc = ct_run_extract_ex(out, digest, run, c, side, &problems, &err);

	if (!rc && problems.n) {
		ct_contract_free(*out);
		*out = NULL;
		rc = CT_EPARSE;
	}
	ct_errs_release(&problems);
	return rc;
}

/* The changes from one version of a side to the next, judged as `diff`
 * judges a writer's new version. */
static int versions(struct ct_changes *out, const struct ct_mcontract *mc,
		    struct ct_contract *before, struct ct_contract *after,
		    struct ct_err *err)
{
	return ct_diff_ex(out, before, after,
			  mc->direction == CT_DIR_CONSUMER_TO_PROVIDER
			      ? CT_DIR_PROVIDER_TO_CONSUMER
			      : mc->direction,
			  mc->shape_dirs, err);
}

static size_t elements(const struct ct_contract *doc)
{
	static const char *const sets[] = {"x-events", "x-routes"};
	size_t n = ct_contract_shape_count(doc);
	json_object *v;

	for (size_t i = 0; i < 2; i++)
		if ((v = ct_contract_member(doc, sets[i])) &&
		    json_object_is_type(v, json_type_array))
			n += json_object_array_length(v);
	if ((v = ct_contract_member(doc, "x-lists")) &&
	    json_object_is_type(v, json_type_object))
		n += (size_t)json_object_object_length(v);
	return n;
}

static int parse_range(const char *range, char **from, char **hide)
{
	const char *dots = range ? strstr(range, "..") : NULL;

	*from = *hide = NULL;
	if (!range)
		return 0;
	if (!dots) {
		*from = ct_xstrdup(range);
		return 0;
	}
	if (dots == range || !dots[2] || dots[2] == '.')
		return CT_EINVAL;
	*hide = ct_xstrndup(range, (size_t)(dots - range));
	*from = ct_xstrdup(dots + 2);
	return 0;
}

/* For a merge whose changes `e` lists: the commit of the merged branch at
 * which each first appeared, walking it oldest first. `before` is the
 * side at the merge's first parent. */
static void attribute(struct ct_log_entry *e, struct ct_run *run,
		      struct ct_source *src, size_t repo, const char *side,
		      const struct ct_git_commit *merge, const char *parent,
		      struct ct_contract *before)
{
	const struct ct_mcontract *mc = &run->manifest->contracts[e->contract];
	struct ct_git_commit *branch = NULL;
	struct ct_err err = CT_ERR_INIT;
	size_t n = 0, left = e->changes.n;

	e->introduced =
	    ct_xcalloc(e->changes.n ? e->changes.n : 1, sizeof(*e->introduced));
	if (ct_source_history(src, merge->merged, parent, 0, &branch, &n, &err))
		return;
	for (size_t k = 0; k < n && left; k++) {
		struct ct_contract *doc = NULL;
		struct ct_changes ch = CT_CHANGES_INIT;
		if (ct_source_move(src, branch[k].id, &err))
			break;
		ct_run_forget_view(run, repo);
		if (!extract_at(&doc, NULL, run, e->contract, side) &&
		    !versions(&ch, mc, before, doc, &err)) {
			for (size_t i = 0; i < e->changes.n; i++) {
				if (e->introduced[i][0])
					continue;
				for (size_t j = 0; j < ch.n; j++)
					if (!strcmp(
						ch.v[j].fingerprint,
						e->changes.v[i].fingerprint)) {
						memcpy(e->introduced[i],
						       branch[k].id, 41);
						left--;
						break;
					}
			}
		}
		ct_changes_release(&ch);
		ct_contract_free(doc);
	}
	free(branch);
	ct_source_move(src, merge->id, &err);
	ct_run_forget_view(run, repo);
}

int ct_log_side(struct ct_log *out, struct ct_run *run,
		const struct ct_log_opts *o, struct ct_err *err)
{
	const struct ct_manifest *m = run->manifest;
	long repo = ct_manifest_repo(m, o->side);
	struct ct_source *src;
	struct ct_git_commit *commits = NULL;
	struct ct_contract **prev = NULL;
	size_t n = 0, *which = NULL, nwhich = 0;
	char *from = NULL, *hide = NULL, *start = NULL;
	char(*digests)[41] = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (repo < 0)
		return ct_err_set(err, CT_EINVAL,
				  "the manifest has no repository '%s'",
				  o->side);
	which = ct_xcalloc(m->ncontracts ? m->ncontracts : 1, sizeof(*which));
	for (size_t c = 0; c < m->ncontracts; c++)
		if ((!o->contract ||
		     !strcmp(o->contract, m->contracts[c].name)) &&
		    has_side(m, c, o->side))
			which[nwhich++] = c;
	if (!nwhich) {
		rc = ct_err_set(err, CT_EINVAL,
				o->contract ? "contract '%s' has no side '%s'"
					    : "%s no contract has a side '%s'",
				o->contract ? o->contract : "", o->side);
		goto done;
	}
	if (parse_range(o->range, &from, &hide)) {
		rc = ct_err_set(err, CT_EINVAL,
				"bad range '%s' (A..B, or a ref)", o->range);
		goto done;
	}
	if ((rc = ct_run_source(&src, run, (size_t)repo, err)))
		goto done;
	start = ct_xstrdup(ct_source_commit(src) ? ct_source_commit(src) : "");
	if ((rc = ct_source_history(src, from, hide, 1, &commits, &n, err)))
		goto done;
	out->side = ct_xstrdup(o->side);
	out->location = ct_xstrdup(ct_source_location(src));
	prev = ct_xcalloc(nwhich, sizeof(*prev));
	digests = ct_xcalloc(nwhich, sizeof(*digests));
	for (size_t k = 0; k < n; k++) {
		if (commits[k].time < o->since)
			continue;
		if ((rc = ct_source_move(src, commits[k].id, err)))
			break;
		ct_run_forget_view(run, (size_t)repo);
		out->commits++;
		for (size_t w = 0; w < nwhich; w++) {
			size_t c = which[w];
			struct ct_contract *doc = NULL, *empty = NULL;
			char digest[41];
			struct ct_log_entry *e;
			/* most commits touch nothing a side reads */
			if (ct_run_recall(run, c, o->side, digest) &&
			    (!digest[0] ||
			     (prev[w] && !strcmp(digest, digests[w])))) {
				out->failures += !digest[0];
				continue;
			}
			if (extract_at(&doc, digest, run, c, o->side)) {
				out->failures++;
				continue;
			}
			if (prev[w] && digest[0] &&
			    !strcmp(digest, digests[w])) {
				ct_contract_free(doc); /* nothing moved */
				continue;
			}
			out->v = ct_xgrow(out->v, &out->cap, out->n + 1,
					  sizeof(*out->v));
			e = &out->v[out->n];
			memset(e, 0, sizeof(*e));
			e->contract = c;
			memcpy(e->commit, commits[k].id, 41);
			e->time = commits[k].time;
			memcpy(e->summary, commits[k].summary,
			       sizeof(e->summary));
			if (!prev[w]) {
				e->first = 1;
				e->elements = elements(doc);
				empty =
				    ct_contract_new(m->contracts[c].name,
						    m->contracts[c].direction);
			}
			if ((rc = versions(&e->changes, &m->contracts[c],
					   prev[w] ? prev[w] : empty, doc,
					   err))) {
				ct_contract_free(empty);
				ct_contract_free(doc);
				ct_changes_release(&e->changes);
				goto walked;
			}
			ct_contract_free(empty);
			if (!e->changes.n && !e->first) {
				ct_changes_release(&e->changes);
			} else {
				out->n++;
				if (commits[k].nparents > 1 && prev[w] && k > 0)
					attribute(e, run, src, (size_t)repo,
						  o->side, &commits[k],
						  commits[k - 1].id, prev[w]);
			}
			ct_contract_free(prev[w]);
			prev[w] = doc;
			memcpy(digests[w], digest, 41);
		}
	}
walked:
	for (size_t w = 0; w < nwhich; w++)
		ct_contract_free(prev[w]);
	if (start && *start) { /* the run reads what it read before */
		struct ct_err ignored = CT_ERR_INIT;
		ct_source_move(src, start, &ignored);
		ct_run_forget_view(run, (size_t)repo);
	}
done:
	free(digests);
	free(prev);
	free(which);
	free(commits);
	free(from);
	free(hide);
	free(start);
	if (rc)
		ct_log_release(out);
	return rc;
}

/* ---- the pair -------------------------------------------------------- */

void ct_drifts_release(struct ct_drifts *d)
{
	for (size_t i = 0; i < d->n; i++)
		ct_change_release(&d->v[i].change);
	free(d->v);
	for (int i = 0; i < 2; i++) {
		free(d->times[i]);
		free(d->names[i]);
		free(d->locations[i]);
	}
	memset(d, 0, sizeof(*d));
}

struct pair_state {
	struct ct_contract *docs[2];
	char digests[2][41];
	int stale; /* a side moved since the last comparison */
};

/* Compares contract c's two sides as they are and opens and closes
 * drifts; `who` moved, at commit `at`. */
static int settle(struct ct_drifts *d, struct ct_run *run, size_t c,
		  struct pair_state *st, int who,
		  const struct ct_git_commit *at, struct ct_err *err)
{
	struct ct_changes ch = CT_CHANGES_INIT;
	int rc;

	if ((rc = ct_run_pair(&ch, run, c, st->docs[0], st->docs[1], err)))
		return rc;
	/* close what no longer stands */
	for (size_t i = 0; i < d->n; i++) {
		struct ct_drift *x = &d->v[i];
		int found = 0;
		if (x->contract != c || x->closed_by[0])
			continue;
		for (size_t j = 0; j < ch.n && !found; j++)
			found =
			    !strcmp(ch.v[j].fingerprint, x->change.fingerprint);
		if (!found) {
			snprintf(x->closed_by, sizeof(x->closed_by), "%s",
				 d->names[who]);
			memcpy(x->closed_commit, at->id, 41);
			x->closed = at->time;
		}
	}
	/* open what is new */
	for (size_t j = 0; j < ch.n; j++) {
		int open = 0;
		if (ch.v[j].severity < d->min)
			continue;
		for (size_t i = 0; i < d->n && !open; i++)
			open = d->v[i].contract == c && !d->v[i].closed_by[0] &&
			       !strcmp(d->v[i].change.fingerprint,
				       ch.v[j].fingerprint);
		if (open)
			continue;
		d->v = ct_xgrow(d->v, &d->cap, d->n + 1, sizeof(*d->v));
		struct ct_drift *x = &d->v[d->n++];
		memset(x, 0, sizeof(*x));
		x->contract = c;
		ct_change_copy(&x->change, &ch.v[j]);
		snprintf(x->opened_by, sizeof(x->opened_by), "%s",
			 d->names[who]);
		memcpy(x->opened_commit, at->id, 41);
		x->opened = at->time;
	}
	ct_changes_release(&ch);
	return 0;
}

int ct_log_pair(struct ct_drifts *out, struct ct_run *run, const char *contract,
		long long since, enum ct_severity min, struct ct_err *err)
{
	const struct ct_manifest *m = run->manifest;
	long repo[2] = {-1, -1};
	struct ct_source *src[2] = {NULL, NULL};
	struct ct_git_commit *commits[2] = {NULL, NULL};
	size_t n[2] = {0, 0}, at[2] = {0, 0};
	char *start[2] = {NULL, NULL};
	struct pair_state *st = NULL;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->min = min;
	for (size_t i = 0; i < m->nrepos; i++) {
		int k = m->repos[i].role == CT_ROLE_CONSUMER;
		if (repo[k] < 0)
			repo[k] = (long)i;
	}
	if (repo[0] < 0 || repo[1] < 0)
		return ct_err_set(err, CT_EINVAL,
				  "the manifest needs a provider and a "
				  "consumer for --pair");
	for (int k = 0; k < 2; k++) {
		out->names[k] = ct_xstrdup(m->repos[repo[k]].name);
		if ((rc = ct_run_source(&src[k], run, (size_t)repo[k], err)))
			goto done;
		out->locations[k] = ct_xstrdup(ct_source_location(src[k]));
		start[k] = ct_xstrdup(
		    ct_source_commit(src[k]) ? ct_source_commit(src[k]) : "");
		if ((rc = ct_source_history(src[k], NULL, NULL, 1, &commits[k],
					    &n[k], err)))
			goto done;
	}
	st = ct_xcalloc(m->ncontracts ? m->ncontracts : 1, sizeof(*st));
	/* the pair exists from the later of the two first commits */
	for (int k = 0; k < 2; k++)
		if (n[k] && commits[k][0].time > out->start)
			out->start = commits[k][0].time;
	if (since > out->start)
		out->start = since;
	/* the two histories merged by committer time, the provider first
	 * on a tie */
	while (at[0] < n[0] || at[1] < n[1]) {
		int who = at[1] >= n[1]					    ? 0
			  : at[0] >= n[0]				    ? 1
			  : commits[1][at[1]].time < commits[0][at[0]].time ? 1
									    : 0;
		const struct ct_git_commit *cm = &commits[who][at[who]++];
		if (cm->time < since)
			continue;
		out->times[who] =
		    ct_xrealloc(out->times[who], (out->commits[who] + 1) *
						     sizeof(*out->times[who]));
		out->times[who][out->commits[who]++] = cm->time;
		if (cm->time > out->end)
			out->end = cm->time;
		if ((rc = ct_source_move(src[who], cm->id, err)))
			goto done;
		ct_run_forget_view(run, (size_t)repo[who]);
		for (size_t c = 0; c < m->ncontracts; c++) {
			struct pair_state *s = &st[c];
			struct ct_contract *doc = NULL;
			char digest[41];
			if (contract && strcmp(contract, m->contracts[c].name))
				continue;
			if (!has_side(m, c, out->names[who]) ||
			    !has_side(m, c, out->names[!who]))
				continue;
			if (ct_run_recall(run, c, out->names[who], digest) &&
			    (digest[0] ? s->docs[who] &&
					     !strcmp(digest, s->digests[who])
				       : !s->docs[who]))
				continue; /* as it was: the same, or not there
					   */
			if (extract_at(&doc, digest, run, c, out->names[who])) {
				/* not there (yet): nothing to compare */
				ct_contract_free(s->docs[who]);
				s->docs[who] = NULL;
				s->digests[who][0] = '\0';
				continue;
			}
			if (s->docs[who] && digest[0] &&
			    !strcmp(digest, s->digests[who])) {
				ct_contract_free(doc);
				continue;
			}
			ct_contract_free(s->docs[who]);
			s->docs[who] = doc;
			memcpy(s->digests[who], digest, 41);
			if (s->docs[!who] &&
			    (rc = settle(out, run, c, s, who, cm, err)))
				goto done;
		}
	}
done:
	for (size_t c = 0; st && c < m->ncontracts; c++) {
		ct_contract_free(st[c].docs[0]);
		ct_contract_free(st[c].docs[1]);
	}
	free(st);
	for (int k = 0; k < 2; k++) {
		if (src[k] && start[k] && *start[k]) {
			struct ct_err ignored = CT_ERR_INIT;
			ct_source_move(src[k], start[k], &ignored);
			ct_run_forget_view(run, (size_t)repo[k]);
		}
		free(start[k]);
		free(commits[k]);
	}
	if (rc)
		ct_drifts_release(out);
	return rc;
}

/* ---- whole histories, remembered ------------------------------------- */

static void key_field(struct ct_sha1 *h, const char *s)
{
	ct_sha1_add(h, s ? s : "", s ? strlen(s) + 1 : 0);
	ct_sha1_add(h, "\x1f", 1);
}

int ct_history_key(char out[41], struct ct_run *run,
		   const struct ct_history_query *q, struct ct_err *err)
{
	const struct ct_manifest *m = run->manifest;
	struct ct_sha1 h;
	char part[64];
	int rc;

	if (!run->cache || !ct_cache_enabled(run->cache) || q->range)
		return CT_ENOTFOUND; /* a range's ends may move: not kept */
	ct_sha1_init(&h);
	key_field(&h, "contracts history 1");
	key_field(&h, CT_VERSION);
	key_field(&h, q->pair ? "pair" : q->side);
	key_field(&h, q->contract);
	key_field(&h, q->format);
	snprintf(part, sizeof(part), "%lld %d", q->since, (int)q->min);
	key_field(&h, part);
	for (size_t r = 0; r < m->nrepos; r++) {
		struct ct_source *src;
		if (!q->pair && strcmp(m->repos[r].name, q->side))
			continue;
		if ((rc = ct_run_source(&src, run, r, err)))
			return rc;
		if (!ct_source_commit(src))
			return CT_ENOTFOUND; /* a work tree has no history */
		key_field(&h, m->repos[r].name);
		key_field(&h, ct_source_commit(src));
	}
	/* everything the manifest says of each side read */
	for (size_t c = 0; c < m->ncontracts; c++) {
		const char *sides[16];
		size_t n = ct_manifest_sides(m, c, sides, 16);
		for (size_t i = 0; i < n; i++) {
			char k[41];
			if (!ct_run_memo_key(k, run, c, sides[i]))
				key_field(&h, k);
		}
	}
	ct_sha1_hex(&h, out);
	return 0;
}

int ct_history_recall(struct ct_buf *out, struct ct_run *run, const char *key)
{
	return ct_cache_get(run->cache, "history", key, out);
}

void ct_history_keep(struct ct_run *run, const char *key,
		     const struct ct_buf *text)
{
	ct_cache_put(run->cache, "history", key, text->ptr, text->len);
}
