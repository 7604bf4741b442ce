/* history.c - `contracts log` as text, JSON, Markdown and an SVG timeline. */
#include "contracts/history.h"

#include "contracts/json.h"
#include "contracts/report.h"
#include "contracts/xalloc.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *date(char out[32], long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm))
		return strcpy(out, "?");
	strftime(out, 32, "%Y-%m-%d", &tm);
	return out;
}

/* Text from source files, control characters escaped. */
static void add_safe(struct ct_buf *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f)
			ct_buf_addf(out, "\\x%02x", c);
		else
			ct_buf_addch(out, (char)c);
	}
}

/* Markdown table cell: no pipes, no line breaks, no HTML. */
static void add_md(struct ct_buf *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '|' || c == '<' || c == '>' || c == '`' || c == '*' ||
		    c == '_' || c == '[' || c == ']' || c == '\\')
			ct_buf_addf(out, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			ct_buf_addf(out, "\\x%02x", c);
		else
			ct_buf_addch(out, (char)c);
	}
}

/* "https://github.com/OWNER/REPO" for a GitHub location, else NULL. */
static const char *github_base(char out[512], const char *location)
{
	const char *p = location;
	size_t n;

	if (!p || strncmp(p, "https://github.com/", 19))
		return NULL;
	n = strlen(p);
	if (n > 4 && !strcmp(p + n - 4, ".git"))
		n -= 4;
	while (n && p[n - 1] == '/')
		n--;
	if (n >= 512)
		return NULL;
	memcpy(out, p, n);
	out[n] = '\0';
	return out;
}

static void what(struct ct_buf *out, const struct ct_change *c)
{
	add_safe(out, c->subject);
	if (c->member) {
		ct_buf_addch(out, c->subject && *c->subject ? '.' : ' ');
		add_safe(out, c->member);
	}
}

/* ---- contracts log ---------------------------------------------------- */

static void log_text(struct ct_buf *out, const struct ct_log *log,
		     const struct ct_manifest *m)
{
	char d[32];

	ct_buf_addf(out,
		    "%s: %zu commits walked, %zu at which a contract "
		    "changed",
		    log->side, log->commits, log->n);
	if (log->failures)
		ct_buf_addf(out, " (%zu extractions could not be built)",
			    log->failures);
	ct_buf_adds(out, "\n");
	for (size_t i = 0; i < log->n; i++) {
		const struct ct_log_entry *e = &log->v[i];
		ct_buf_addf(out, "\n%s %.12s %s  ", date(d, e->time), e->commit,
			    m->contracts[e->contract].name);
		add_safe(out, e->summary);
		ct_buf_addch(out, '\n');
		if (e->first) {
			ct_buf_addf(out,
				    "  first extracted here: %zu "
				    "element%s\n",
				    e->elements, e->elements == 1 ? "" : "s");
			continue;
		}
		for (size_t k = 0; k < e->changes.n; k++) {
			const struct ct_change *c = &e->changes.v[k];
			ct_buf_addf(out, "  %-8s %s ",
				    ct_severity_name(c->severity),
				    ct_kind_name(c->kind));
			what(out, c);
			ct_buf_addf(out, "  [%s]", c->fingerprint);
			if (e->introduced && e->introduced[k][0])
				ct_buf_addf(out, " (from %.12s, merged)",
					    e->introduced[k]);
			ct_buf_addch(out, '\n');
		}
	}
}

static json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *change_json(const struct ct_change *c)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "kind", jstr(ct_kind_name(c->kind)));
	json_object_object_add(o, "severity",
			       jstr(ct_severity_name(c->severity)));
	json_object_object_add(o, "subject", jstr(c->subject));
	json_object_object_add(o, "member", jstr(c->member));
	json_object_object_add(o, "pointer", jstr(c->pointer));
	json_object_object_add(o, "fingerprint", jstr(c->fingerprint));
	if (c->origin.path) {
		json_object *at = json_object_new_object();
		json_object_object_add(at, "repo", jstr(c->origin.repo));
		json_object_object_add(at, "commit", jstr(c->origin.commit));
		json_object_object_add(at, "path", jstr(c->origin.path));
		json_object_object_add(
		    at, "line", json_object_new_int((int)c->origin.line));
		json_object_object_add(o, "origin", at);
	}
	return o;
}

static void log_json(struct ct_buf *out, const struct ct_log *log,
		     const struct ct_manifest *m)
{
	json_object *root = json_object_new_object(), *entries;
	char d[32];

	json_object_object_add(root, "side", jstr(log->side));
	json_object_object_add(root, "commits",
			       json_object_new_int64((int64_t)log->commits));
	json_object_object_add(root, "failures",
			       json_object_new_int64((int64_t)log->failures));
	entries = json_object_new_array();
	for (size_t i = 0; i < log->n; i++) {
		const struct ct_log_entry *e = &log->v[i];
		json_object *o = json_object_new_object(), *ch;
		json_object_object_add(o, "contract",
				       jstr(m->contracts[e->contract].name));
		json_object_object_add(o, "commit", jstr(e->commit));
		json_object_object_add(o, "time",
				       json_object_new_int64(e->time));
		json_object_object_add(o, "date", jstr(date(d, e->time)));
		json_object_object_add(o, "summary", jstr(e->summary));
		json_object_object_add(o, "first",
				       json_object_new_boolean(e->first));
		if (e->first)
			json_object_object_add(
			    o, "elements",
			    json_object_new_int64((int64_t)e->elements));
		ch = json_object_new_array();
		for (size_t k = 0; k < e->changes.n; k++) {
			json_object *c = change_json(&e->changes.v[k]);
			if (e->introduced && e->introduced[k][0])
				json_object_object_add(c, "introduced_by",
						       jstr(e->introduced[k]));
			json_object_array_add(ch, c);
		}
		json_object_object_add(o, "changes", ch);
		json_object_array_add(entries, o);
	}
	json_object_object_add(root, "entries", entries);
	ct_json_write(out, root, 0);
	ct_buf_addch(out, '\n');
	json_object_put(root);
}

static void commit_link(struct ct_buf *out, const char *base, const char *id)
{
	if (base)
		ct_buf_addf(out, "[`%.12s`](%s/commit/%s)", id, base, id);
	else
		ct_buf_addf(out, "`%.12s`", id);
}

static void log_markdown(struct ct_buf *out, const struct ct_log *log,
			 const struct ct_manifest *m)
{
	char d[32], b[512];
	const char *base = github_base(b, log->location);

	ct_buf_addf(out,
		    "## History of %s\n\n%zu commits walked, %zu at "
		    "which a contract changed.\n\n",
		    log->side, log->commits, log->n);
	ct_buf_adds(out, "| date | commit | contract | change | fingerprint "
			 "|\n|---|---|---|---|---|\n");
	for (size_t i = 0; i < log->n; i++) {
		const struct ct_log_entry *e = &log->v[i];
		size_t k = 0;
		do {
			ct_buf_addf(out, "| %s | ", date(d, e->time));
			commit_link(out, base, e->commit);
			ct_buf_addf(out, " | %s | ",
				    m->contracts[e->contract].name);
			if (e->first) {
				ct_buf_addf(out,
					    "first extracted (%zu "
					    "elements) | |\n",
					    e->elements);
				break;
			}
			if (!e->changes.n) {
				ct_buf_adds(out, " | |\n");
				break;
			}
			const struct ct_change *c = &e->changes.v[k];
			ct_buf_addf(out, "%s %s ",
				    ct_severity_name(c->severity),
				    ct_kind_name(c->kind));
			add_md(out, c->subject);
			if (c->member) {
				ct_buf_addch(out, '.');
				add_md(out, c->member);
			}
			if (e->introduced && e->introduced[k][0]) {
				ct_buf_adds(out, " (from ");
				commit_link(out, base, e->introduced[k]);
				ct_buf_adds(out, ")");
			}
			ct_buf_addf(out, " | `%s` |\n", c->fingerprint);
		} while (++k < e->changes.n);
	}
}

/* ---- the SVG timeline ------------------------------------------------- */

#define SVG_LEFT 170
#define SVG_WIDTH 1000
#define SVG_ROW 26
#define SVG_LANE 8

static const char *severity_colour(enum ct_severity s)
{
	return s == CT_SEV_BREAKING  ? "#d73a49"
	       : s == CT_SEV_WARNING ? "#e36209"
				     : "#6a737d";
}

struct scale {
	long long start, end;
};

static double xof(const struct scale *s, long long t)
{
	double span = (double)(s->end > s->start ? s->end - s->start : 1);

	return SVG_LEFT + (double)(SVG_WIDTH - SVG_LEFT - 10) *
			      (double)(t - s->start) / span;
}

static void svg_open(struct ct_buf *out, int height, const char *title)
{
	ct_buf_addf(out,
		    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		    "height=\"%d\" viewBox=\"0 0 %d %d\" "
		    "font-family=\"sans-serif\" font-size=\"11\">\n"
		    "<title>",
		    SVG_WIDTH, height, SVG_WIDTH, height);
	ct_report_xml(out, title);
	ct_buf_addf(out,
		    "</title>\n<rect width=\"%d\" height=\"%d\" "
		    "fill=\"#ffffff\"/>\n",
		    SVG_WIDTH, height);
}

/* Year marks along the bottom. */
static void svg_axis(struct ct_buf *out, const struct scale *s, int y)
{
	char d[32];

	ct_buf_addf(out,
		    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
		    "stroke=\"#959da5\"/>\n",
		    SVG_LEFT, y, SVG_WIDTH - 10, y);
	for (int year = 1970; year < 2200; year++) {
		/* January 1st: days since the epoch, leap years counted */
		long long py = year - 1, t;
		t = ((py * 365 + py / 4 - py / 100 + py / 400) - 719162) *
		    86400;
		if (t < s->start || t > s->end)
			continue;
		double x = xof(s, t);
		ct_buf_addf(
		    out,
		    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
		    "stroke=\"#959da5\"/><text x=\"%.1f\" y=\"%d\" "
		    "text-anchor=\"middle\" fill=\"#586069\">%s</text>\n",
		    x, y, x, y + 4, x, y + 16, date(d, t));
	}
}

static void log_svg(struct ct_buf *out, const struct ct_log *log,
		    const struct ct_manifest *m)
{
	struct scale s = {0, 0};
	size_t rows = m->ncontracts;
	int height = (int)rows * SVG_ROW + 60;
	struct ct_buf title = CT_BUF_INIT;
	char d[32];

	for (size_t i = 0; i < log->n; i++) {
		if (!s.start || log->v[i].time < s.start)
			s.start = log->v[i].time;
		if (log->v[i].time > s.end)
			s.end = log->v[i].time;
	}
	ct_buf_addf(&title, "contracts log: %s, %zu commits, %zu changes",
		    log->side, log->commits, log->n);
	svg_open(out, height, title.ptr);
	ct_buf_release(&title);
	for (size_t c = 0; c < rows; c++) {
		int y = 20 + (int)c * SVG_ROW;
		ct_buf_addf(out, "<text x=\"8\" y=\"%d\">", y + 13);
		ct_report_xml(out, m->contracts[c].name);
		ct_buf_addf(out,
			    "</text>\n<line x1=\"%d\" y1=\"%d\" x2=\"%d\" "
			    "y2=\"%d\" stroke=\"#e1e4e8\"/>\n",
			    SVG_LEFT, y + 9, SVG_WIDTH - 10, y + 9);
	}
	for (size_t i = 0; i < log->n; i++) {
		const struct ct_log_entry *e = &log->v[i];
		int sev = e->first ? 0 : ct_changes_max_severity(&e->changes);
		int y = 20 + (int)e->contract * SVG_ROW;
		ct_buf_addf(
		    out,
		    "<rect x=\"%.1f\" y=\"%d\" width=\"3\" height=\"18\" "
		    "fill=\"%s\"><title>%s %.12s ",
		    xof(&s, e->time) - 1.5, y,
		    severity_colour(sev < 0 ? CT_SEV_INFO
					    : (enum ct_severity)sev),
		    date(d, e->time), e->commit);
		ct_report_xml(out, e->summary);
		ct_buf_addf(out, ": %zu changes</title></rect>\n",
			    e->changes.n);
	}
	svg_axis(out, &s, height - 34);
	ct_buf_adds(out, "</svg>\n");
}

/* ---- contracts log --pair -------------------------------------------- */

static void duration(struct ct_buf *out, long long secs)
{
	long long days = secs / 86400;

	if (days >= 1)
		ct_buf_addf(out, "%lld day%s", days, days == 1 ? "" : "s");
	else if (secs >= 3600)
		ct_buf_addf(out, "%lld h", secs / 3600);
	else
		ct_buf_addf(out, "%lld min", secs / 60);
}

static void pair_text(struct ct_buf *out, const struct ct_drifts *d,
		      const struct ct_manifest *m)
{
	char a[32], b[32];
	size_t open = 0;

	for (size_t i = 0; i < d->n; i++)
		open += !d->v[i].closed_by[0];
	ct_buf_addf(out,
		    "drift between %s (%zu commits) and %s (%zu commits), "
		    "%s .. %s: %zu intervals, %zu still open\n",
		    d->names[0], d->commits[0], d->names[1], d->commits[1],
		    date(a, d->start), date(b, d->end), d->n, open);
	for (size_t i = 0; i < d->n; i++) {
		const struct ct_drift *x = &d->v[i];
		ct_buf_addf(out, "\n%s  %s %s ", m->contracts[x->contract].name,
			    ct_severity_name(x->change.severity),
			    ct_kind_name(x->change.kind));
		what(out, &x->change);
		ct_buf_addf(out, "  [%s]\n  %s moved first: %.12s on %s\n",
			    x->change.fingerprint, x->opened_by,
			    x->opened_commit, date(a, x->opened));
		if (x->closed_by[0]) {
			ct_buf_addf(
			    out, "  %s %s: %.12s on %s, after ", x->closed_by,
			    strcmp(x->closed_by, x->opened_by) ? "caught up"
							       : "went back",
			    x->closed_commit, date(b, x->closed));
			duration(out, x->closed - x->opened);
			ct_buf_addch(out, '\n');
		} else {
			ct_buf_adds(out, "  still open, for ");
			duration(out, d->end - x->opened);
			ct_buf_addch(out, '\n');
		}
	}
}

static void pair_json(struct ct_buf *out, const struct ct_drifts *d,
		      const struct ct_manifest *m)
{
	json_object *root = json_object_new_object(), *v;

	json_object_object_add(root, "provider", jstr(d->names[0]));
	json_object_object_add(root, "consumer", jstr(d->names[1]));
	json_object_object_add(
	    root, "commits",
	    json_object_new_int64((int64_t)(d->commits[0] + d->commits[1])));
	json_object_object_add(root, "start", json_object_new_int64(d->start));
	json_object_object_add(root, "end", json_object_new_int64(d->end));
	v = json_object_new_array();
	for (size_t i = 0; i < d->n; i++) {
		const struct ct_drift *x = &d->v[i];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "contract",
				       jstr(m->contracts[x->contract].name));
		json_object_object_add(o, "finding", change_json(&x->change));
		json_object_object_add(o, "opened_by", jstr(x->opened_by));
		json_object_object_add(o, "opened_commit",
				       jstr(x->opened_commit));
		json_object_object_add(o, "opened",
				       json_object_new_int64(x->opened));
		if (x->closed_by[0]) {
			json_object_object_add(o, "closed_by",
					       jstr(x->closed_by));
			json_object_object_add(o, "closed_commit",
					       jstr(x->closed_commit));
			json_object_object_add(
			    o, "closed", json_object_new_int64(x->closed));
			json_object_object_add(
			    o, "seconds",
			    json_object_new_int64(x->closed - x->opened));
		} else {
			json_object_object_add(o, "closed_by", NULL);
		}
		json_object_array_add(v, o);
	}
	json_object_object_add(root, "drifts", v);
	ct_json_write(out, root, 0);
	ct_buf_addch(out, '\n');
	json_object_put(root);
}

static void pair_markdown(struct ct_buf *out, const struct ct_drifts *d,
			  const struct ct_manifest *m)
{
	char a[32], b[32], u0[512], u1[512];
	const char *base[2] = {github_base(u0, d->locations[0]),
			       github_base(u1, d->locations[1])};

	ct_buf_addf(out,
		    "## Drift between %s and %s\n\n%zu + %zu commits, %s .. "
		    "%s.\n\n| contract | finding | moved first | caught up | "
		    "lasted |\n|---|---|---|---|---|\n",
		    d->names[0], d->names[1], d->commits[0], d->commits[1],
		    date(a, d->start), date(b, d->end));
	for (size_t i = 0; i < d->n; i++) {
		const struct ct_drift *x = &d->v[i];
		int o = strcmp(x->opened_by, d->names[0]) != 0;
		ct_buf_addf(out, "| %s | %s ", m->contracts[x->contract].name,
			    ct_severity_name(x->change.severity));
		ct_buf_addf(out, "%s ", ct_kind_name(x->change.kind));
		add_md(out, x->change.subject);
		if (x->change.member) {
			ct_buf_addch(out, '.');
			add_md(out, x->change.member);
		}
		ct_buf_addf(out, " | %s ", x->opened_by);
		commit_link(out, base[o], x->opened_commit);
		ct_buf_addf(out, " %s | ", date(a, x->opened));
		if (x->closed_by[0]) {
			int k = strcmp(x->closed_by, d->names[0]) != 0;
			ct_buf_addf(out, "%s ", x->closed_by);
			commit_link(out, base[k], x->closed_commit);
			ct_buf_addf(out, " %s | ", date(b, x->closed));
			duration(out, x->closed - x->opened);
		} else {
			ct_buf_adds(out, "still open | ");
			duration(out, d->end - x->opened);
		}
		ct_buf_adds(out, " |\n");
	}
}

static void pair_svg(struct ct_buf *out, const struct ct_drifts *d,
		     const struct ct_manifest *m)
{
	struct scale s = {d->start, d->end};
	size_t rows = m->ncontracts, lanes_total = 0;
	size_t *lanes = ct_xcalloc(rows ? rows : 1, sizeof(*lanes));
	size_t *lane_of = ct_xcalloc(d->n ? d->n : 1, sizeof(*lane_of));
	int *top = ct_xcalloc(rows ? rows : 1, sizeof(*top));
	struct ct_buf title = CT_BUF_INIT;
	char a[32], b[32];
	int y, height;

	/* each drift in the first lane of its row free at its start */
	for (size_t i = 0; i < d->n; i++) {
		const struct ct_drift *x = &d->v[i];
		size_t lane = 0;
		for (;; lane++) {
			int busy = 0;
			for (size_t j = 0; j < i && !busy; j++) {
				const struct ct_drift *z = &d->v[j];
				long long zend =
				    z->closed_by[0] ? z->closed : d->end;
				busy = z->contract == x->contract &&
				       lane_of[j] == lane && zend > x->opened;
			}
			if (!busy)
				break;
		}
		lane_of[i] = lane;
		if (lane + 1 > lanes[x->contract])
			lanes[x->contract] = lane + 1;
	}
	y = 40;
	for (size_t c = 0; c < rows; c++) {
		size_t n = lanes[c] ? lanes[c] : 1;
		top[c] = y;
		y += (int)(n * SVG_LANE) + 14;
		lanes_total += n;
	}
	height = y + 70;
	ct_buf_addf(&title, "contracts log --pair: %s and %s, %s .. %s",
		    d->names[0], d->names[1], date(a, d->start),
		    date(b, d->end));
	svg_open(out, height, title.ptr);
	ct_buf_release(&title);
	/* the commits of each side as ticks, above and below */
	ct_buf_addf(out, "<text x=\"8\" y=\"24\">");
	ct_report_xml(out, d->names[0]);
	ct_buf_addf(out, " commits</text>\n<text x=\"8\" y=\"%d\">", y + 14);
	ct_report_xml(out, d->names[1]);
	ct_buf_adds(out, " commits</text>\n");
	for (int k = 0; k < 2; k++) {
		int ty = k ? y + 4 : 16;
		ct_buf_addf(out, "<g stroke=\"%s\">",
			    k ? "#6f42c1" : "#0366d6");
		for (size_t i = 0; i < d->commits[k]; i++)
			if (d->times[k][i] >= d->start)
				ct_buf_addf(out,
					    "<line x1=\"%.1f\" y1=\"%d\" "
					    "x2=\"%.1f\" y2=\"%d\"/>",
					    xof(&s, d->times[k][i]), ty,
					    xof(&s, d->times[k][i]), ty + 10);
		ct_buf_adds(out, "</g>\n");
	}
	for (size_t c = 0; c < rows; c++) {
		ct_buf_addf(out, "<text x=\"8\" y=\"%d\">", top[c] + 9);
		ct_report_xml(out, m->contracts[c].name);
		ct_buf_addf(out,
			    "</text>\n<rect x=\"%d\" y=\"%d\" width=\"%d\" "
			    "height=\"%d\" fill=\"#f6f8fa\"/>\n",
			    SVG_LEFT, top[c] - 2, SVG_WIDTH - 10 - SVG_LEFT,
			    (int)((lanes[c] ? lanes[c] : 1) * SVG_LANE) + 4);
	}
	for (size_t i = 0; i < d->n; i++) {
		const struct ct_drift *x = &d->v[i];
		long long end = x->closed_by[0] ? x->closed : d->end;
		double x0 = xof(&s, x->opened), x1 = xof(&s, end);
		ct_buf_addf(out,
			    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
			    "height=\"%d\" fill=\"%s\"><title>",
			    x0, top[x->contract] + (int)lane_of[i] * SVG_LANE,
			    x1 - x0 < 2 ? 2.0 : x1 - x0, SVG_LANE - 2,
			    severity_colour(x->change.severity));
		ct_buf_addf(out, "%s %s ", ct_severity_name(x->change.severity),
			    ct_kind_name(x->change.kind));
		{
			struct ct_buf w = CT_BUF_INIT;
			what(&w, &x->change);
			ct_report_xml(out, w.ptr);
			ct_buf_release(&w);
		}
		ct_buf_addf(out, ": %s moved first on %s; %s</title></rect>\n",
			    x->opened_by, date(a, x->opened),
			    x->closed_by[0] ? "caught up" : "still open");
	}
	svg_axis(out, &s, height - 34);
	ct_buf_adds(out, "</svg>\n");
	(void)lanes_total;
	free(lanes);
	free(lane_of);
	free(top);
}

/* ---- the formats ---------------------------------------------------- */

static const struct history_format {
	const char *name;
	void (*log)(struct ct_buf *, const struct ct_log *,
		    const struct ct_manifest *);
	void (*pair)(struct ct_buf *, const struct ct_drifts *,
		     const struct ct_manifest *);
} formats[] = {{"text", log_text, pair_text},
	       {"json", log_json, pair_json},
	       {"markdown", log_markdown, pair_markdown},
	       {"svg", log_svg, pair_svg}};

static const struct history_format *format_of(const char *name,
					      struct ct_err *err)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(*formats); i++)
		if (!strcmp(formats[i].name, name))
			return &formats[i];
	ct_err_set(err, CT_EINVAL,
		   "unknown format '%s' for log (text, json, markdown or svg)",
		   name);
	return NULL;
}

int ct_log_render(struct ct_buf *out, const struct ct_log *log,
		  const struct ct_manifest *m, const char *format,
		  struct ct_err *err)
{
	const struct history_format *f = format_of(format, err);

	if (!f)
		return CT_EINVAL;
	f->log(out, log, m);
	return 0;
}

int ct_drifts_render(struct ct_buf *out, const struct ct_drifts *d,
		     const struct ct_manifest *m, const char *format,
		     struct ct_err *err)
{
	const struct history_format *f = format_of(format, err);

	if (!f)
		return CT_EINVAL;
	f->pair(out, d, m);
	return 0;
}
