/* text: for people at a terminal, grouped by contract and severity. */
#include "contracts/report.h"

static const char *const colors[] = {"\033[36m", "\033[33m", "\033[31m"};

static void counts_line(struct ct_buf *out, const size_t n[3])
{
	ct_buf_addf(out, "%zu breaking, %zu warning, %zu info",
		    n[CT_SEV_BREAKING], n[CT_SEV_WARNING], n[CT_SEV_INFO]);
}

static void origin_line(struct ct_buf *out, const struct ct_change *c)
{
	ct_buf_adds(out, "      at ");
	if (c->origin.repo && c->origin.commit)
		ct_buf_addf(out, "%s@%.12s:", c->origin.repo, c->origin.commit);
	else if (c->origin.repo) /* a work tree */
		ct_buf_addf(out, "%s:", c->origin.repo);
	ct_buf_adds(out, c->origin.path ? c->origin.path : "?");
	if (c->origin.line)
		ct_buf_addf(out, ":%u", c->origin.line);
	ct_buf_addf(out, "  [%s]\n", c->fingerprint);
	if (c->other.path) {
		ct_buf_adds(out, "      reader at ");
		if (c->other.repo && c->other.commit)
			ct_buf_addf(out, "%s@%.12s:", c->other.repo,
				    c->other.commit);
		else if (c->other.repo)
			ct_buf_addf(out, "%s:", c->other.repo);
		ct_buf_adds(out, c->other.path);
		if (c->other.line)
			ct_buf_addf(out, ":%u", c->other.line);
		ct_buf_addch(out, '\n');
	}
}

static void write_text(struct ct_buf *out, const struct ct_report *r)
{
	size_t total[3];

	for (size_t k = 0; k < r->n; k++) {
		const struct ct_changes *d = &r->diffs[k];
		size_t n[3];
		ct_report_count(r, d, n);
		ct_buf_addf(out, "contract %s (%s): ", d->contract,
			    ct_direction_name(d->direction));
		if (d->errors.n) {
			ct_buf_addf(out, "not compared (%s against %s)\n",
				    d->actual ? d->actual : "-",
				    d->expected ? d->expected : "-");
			for (size_t i = 0; i < d->errors.n; i++) {
				ct_buf_adds(out, "  error: ");
				ct_report_error_text(out, &d->errors.v[i]);
				ct_buf_addch(out, '\n');
			}
			ct_buf_addch(out, '\n');
			continue;
		}
		if (!d->n) {
			ct_buf_addf(out, "no changes (%s against %s)\n",
				    d->actual ? d->actual : "-",
				    d->expected ? d->expected : "-");
			continue;
		}
		counts_line(out, n);
		ct_buf_addch(out, '\n');
		ct_buf_addf(out, "  expected: %s\n  actual:   %s\n",
			    d->expected ? d->expected : "-",
			    d->actual ? d->actual : "-");
		for (int sev = CT_SEV_BREAKING; sev >= CT_SEV_INFO; sev--) {
			if (!n[sev])
				continue;
			ct_buf_addch(out, '\n');
			if (r->color)
				ct_buf_addf(
				    out, "  %s%s\033[0m\n", colors[sev],
				    ct_severity_name((enum ct_severity)sev));
			else
				ct_buf_addf(
				    out, "  %s\n",
				    ct_severity_name((enum ct_severity)sev));
			for (size_t i = 0; i < d->n; i++) {
				const struct ct_change *c = &d->v[i];
				if ((int)c->severity != sev)
					continue;
				ct_buf_adds(out, "    ");
				ct_change_describe(out, c);
				ct_buf_addch(out, '\n');
				origin_line(out, c);
			}
		}
		ct_buf_addch(out, '\n');
	}
	ct_report_count(r, NULL, total);
	ct_buf_adds(out, "summary: ");
	counts_line(out, total);
	if (ct_report_errors(r, NULL))
		ct_buf_addf(out, ", %zu error(s)", ct_report_errors(r, NULL));
	if (r->fail_on == CT_SEV_NEVER)
		ct_buf_adds(out, " (never failing)\n");
	else
		ct_buf_addf(out, " (%s at --fail-on %s)\n",
			    ct_report_failed(r) ? "FAILED" : "passed",
			    ct_severity_name(r->fail_on));
}

const struct ct_reporter ct_report_text = {
    "text", "txt", "grouped by contract and severity, for a terminal",
    write_text};
