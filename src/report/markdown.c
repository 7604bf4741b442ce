/* markdown: for a GitHub step summary or an issue body. A summary table,
 * then per contract the documents compared and one row per finding, with
 * permalinks where the repository is on GitHub. */
#include "contracts/report.h"

#include <string.h>

/* A table cell: pipes, backticks and tags escaped, line breaks folded, control
 * characters shown as \xNN. */
static void cell(struct ct_buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '|' || c == '`' || c == '<')
			ct_buf_addf(out, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			ct_buf_addf(out, "\\x%02x", c);
		else
			ct_buf_addch(out, (char)c);
	}
}

static void counts(struct ct_buf *out, const size_t n[3], size_t errors)
{
	ct_buf_addf(out, " %zu | %zu | %zu | %zu |", n[CT_SEV_BREAKING],
		    n[CT_SEV_WARNING], n[CT_SEV_INFO], errors);
}

static void origin(struct ct_buf *out, const struct ct_report *r,
		   const struct ct_forigin *o)
{
	struct ct_buf link = CT_BUF_INIT, text = CT_BUF_INIT;

	if (o->repo)
		ct_buf_addf(&text, "%s:", o->repo);
	ct_buf_adds(&text, o->path);
	if (o->line)
		ct_buf_addf(&text, ":%u", o->line);
	if (ct_report_permalink(&link, r, o)) {
		ct_buf_adds(out, "[");
		cell(out, text.ptr);
		ct_buf_addf(out, "](%s)", link.ptr);
	} else {
		cell(out, text.ptr);
	}
	ct_buf_addf(out, " (%s)", ct_side_key(o->side));
	ct_buf_release(&link);
	ct_buf_release(&text);
}

static void row(struct ct_buf *out, const struct ct_report *r,
		const struct ct_fcontract *fc, const struct ct_finding *f)
{
	int any = 0;

	ct_buf_addf(out, "| %s | ",
		    f->error ? "error" : ct_severity_name(f->severity));
	cell(out, f->message);
	ct_buf_adds(out, " | ");
	for (int s = 0; !f->error && s < CT_SIDE_COUNT; s++) {
		if (!fc->label[s])
			continue;
		ct_buf_addf(out, "%s%s: ", any ? "<br>" : "",
			    ct_side_key((enum ct_side)s));
		cell(out, f->state[s] ? f->state[s] : "unknown");
		if (f->moved & (1u << s))
			ct_buf_addf(out, " **(%s)**",
				    fc->label[CT_SIDE_PIN] ? "not as pinned"
							   : "changed");
		any = 1;
	}
	ct_buf_adds(out, " | ");
	for (size_t j = 0; j < f->norigins; j++) {
		if (j)
			ct_buf_adds(out, "<br>");
		origin(out, r, &f->origins[j]);
	}
	ct_buf_adds(out, " | ");
	cell(out, f->next);
	ct_buf_addf(out, " | `%s` |\n", f->id);
}

#define HEADER                                                                 \
	"| severity | finding | sides | origin | next step | id |\n"           \
	"|---|---|---|---|---|---|\n"

/* News below --fail-on folds away: what fails is read first. */
static int folded(const struct ct_report *r, const struct ct_finding *f)
{
	return !f->error && f->severity == CT_SEV_INFO &&
	       !ct_report_fails(r, f);
}

static void write_markdown(struct ct_buf *out, const struct ct_report *r)
{
	const struct ct_findings *fs = r->findings;

	ct_buf_addf(out, "## Contract drift: %s\n\n",
		    ct_report_failed(r) ? "failed" : "passed");
	ct_buf_addf(out,
		    "%zu finding(s): %zu breaking, %zu warning, %zu info, "
		    "%zu error(s) (failing at `%s`).\n\n",
		    fs->n, fs->counts[CT_SEV_BREAKING],
		    fs->counts[CT_SEV_WARNING], fs->counts[CT_SEV_INFO],
		    fs->errors, ct_severity_name(r->fail_on));
	ct_buf_adds(out, "| contract | direction | breaking | warning | info "
			 "| errors |\n|---|---|---:|---:|---:|---:|\n");
	for (size_t k = 0; k < fs->ncontracts; k++) {
		const struct ct_fcontract *fc = &fs->contracts[k];
		ct_buf_adds(out, "| [");
		cell(out, fc->name);
		ct_buf_addf(out, "](#contract-");
		for (const char *p = fc->name; *p; p++)
			if ((*p >= 'a' && *p <= 'z') ||
			    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_')
				ct_buf_addch(out, *p);
			else if (*p >= 'A' && *p <= 'Z')
				ct_buf_addch(out, (char)(*p - 'A' + 'a'));
		ct_buf_addf(out, ") | %s |", ct_direction_name(fc->direction));
		counts(out, fc->counts, fc->errors);
		ct_buf_addch(out, '\n');
	}
	for (size_t k = 0; k < fs->ncontracts; k++) {
		const struct ct_fcontract *fc = &fs->contracts[k];
		ct_buf_adds(out, "\n### contract ");
		cell(out, fc->name);
		ct_buf_adds(out, "\n\nCompared: ");
		for (int s = 0, any = 0; s < CT_SIDE_COUNT; s++) {
			if (!fc->label[s])
				continue;
			ct_buf_addf(out, "%s%s `", any ? ", " : "",
				    ct_side_key((enum ct_side)s));
			cell(out, fc->label[s]);
			ct_buf_adds(out, "`");
			any = 1;
		}
		ct_buf_adds(out, ".\n\n");
		if (!fc->n) {
			ct_buf_adds(out, "No findings.\n");
			continue;
		}
		size_t nfold = 0;
		for (size_t i = fc->first; i < fc->first + fc->n; i++)
			nfold += (size_t)folded(r, &fs->v[i]);
		if (nfold < fc->n)
			ct_buf_adds(out, HEADER);
		for (size_t i = fc->first; i < fc->first + fc->n; i++)
			if (!folded(r, &fs->v[i]))
				row(out, r, fc, &fs->v[i]);
		if (nfold) {
			ct_buf_addf(out,
				    "%s<details><summary>%zu info finding%s"
				    "</summary>\n\n" HEADER,
				    nfold < fc->n ? "\n" : "", nfold,
				    nfold == 1 ? "" : "s");
			for (size_t i = fc->first; i < fc->first + fc->n; i++)
				if (folded(r, &fs->v[i]))
					row(out, r, fc, &fs->v[i]);
			ct_buf_adds(out, "\n</details>\n");
		}
	}
}

const struct ct_reporter ct_report_markdown = {
    "markdown", "md",
    "Markdown for a step summary or an issue body, with permalinks",
    write_markdown};
