/* markdown: for a GitHub step summary or an issue body. */
#include "contracts/report.h"

#include <string.h>

/* A table cell: pipes escaped, line breaks folded. */
static void cell(struct ct_buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			ct_buf_adds(out, "\\|");
		else if (*s == '\n' || *s == '\r')
			ct_buf_addch(out, ' ');
		else
			ct_buf_addch(out, *s);
	}
}

static void write_markdown(struct ct_buf *out, const struct ct_report *r)
{
	size_t n[3];

	ct_report_count(r, NULL, n);
	ct_buf_addf(out, "## Contract drift: %s\n\n",
		    ct_report_failed(r) ? "failed" : "passed");
	ct_buf_addf(
	    out, "%zu breaking, %zu warning, %zu info (failing at `%s`).\n\n",
	    n[CT_SEV_BREAKING], n[CT_SEV_WARNING], n[CT_SEV_INFO],
	    ct_severity_name(r->fail_on));
	if (ct_report_errors(r, NULL))
		ct_buf_addf(out,
			    "%zu error(s): some comparisons could not be "
			    "made (see Errors).\n\n",
			    ct_report_errors(r, NULL));
	ct_buf_adds(out,
		    "| contract | direction | breaking | warning | info |\n"
		    "|---|---|---:|---:|---:|\n");
	for (size_t k = 0; k < r->n; k++) {
		const struct ct_changes *d = &r->diffs[k];
		ct_report_count(r, d, n);
		ct_buf_adds(out, "| ");
		cell(out, d->contract);
		ct_buf_addf(out, " | %s | %zu | %zu | %zu |\n",
			    ct_direction_name(d->direction), n[CT_SEV_BREAKING],
			    n[CT_SEV_WARNING], n[CT_SEV_INFO]);
	}
	if (ct_report_errors(r, NULL)) {
		ct_buf_adds(out, "\n### Errors\n\n| contract | error |\n"
				 "|---|---|\n");
		for (size_t k = 0; k < r->n; k++) {
			const struct ct_changes *d = &r->diffs[k];
			for (size_t i = 0; i < d->errors.n; i++) {
				struct ct_buf msg = CT_BUF_INIT;
				ct_report_error_text(&msg, &d->errors.v[i]);
				ct_buf_adds(out, "| ");
				cell(out, d->contract);
				ct_buf_adds(out, " | ");
				cell(out, msg.ptr);
				ct_buf_adds(out, " |\n");
				ct_buf_release(&msg);
			}
		}
	}
	for (size_t k = 0; k < r->n; k++) {
		const struct ct_changes *d = &r->diffs[k];
		if (!d->n)
			continue;
		ct_buf_adds(out, "\n### ");
		cell(out, d->contract);
		ct_buf_adds(out, "\n\n| severity | change | origin | id |\n"
				 "|---|---|---|---|\n");
		for (int sev = CT_SEV_BREAKING; sev >= CT_SEV_INFO; sev--) {
			for (size_t i = 0; i < d->n; i++) {
				const struct ct_change *c = &d->v[i];
				struct ct_buf msg = CT_BUF_INIT;
				if ((int)c->severity != sev)
					continue;
				ct_change_describe(&msg, c);
				ct_buf_addf(out, "| %s | ",
					    ct_severity_name(c->severity));
				cell(out, msg.ptr);
				ct_buf_adds(out, " | ");
				if (c->origin.path) {
					ct_buf_adds(out, "`");
					cell(out, c->origin.path);
					if (c->origin.line)
						ct_buf_addf(out, ":%u",
							    c->origin.line);
					ct_buf_adds(out, "`");
				}
				ct_buf_addf(out, " | `%s` |\n", c->fingerprint);
				ct_buf_release(&msg);
			}
		}
	}
}

const struct ct_reporter ct_report_markdown = {
    "markdown", "md", "Markdown for a step summary or an issue body",
    write_markdown};
