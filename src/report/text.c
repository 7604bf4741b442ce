/* text: for people at a terminal. The summary first, then one section per
 * contract naming the documents it compared, one entry per finding with
 * what each side holds and what to do. Colour only when asked (a TTY);
 * control characters read from the sources are escaped. */
#include "contracts/report.h"

static const char *const colors[] = {"\033[36m", "\033[33m", "\033[31m"};
#define ERROR_COLOR "\033[35m"
#define RESET "\033[0m"

static void counts_line(struct ct_buf *out, const size_t n[3], size_t errors)
{
	ct_buf_addf(out, "%zu breaking, %zu warning, %zu info",
		    n[CT_SEV_BREAKING], n[CT_SEV_WARNING], n[CT_SEV_INFO]);
	if (errors)
		ct_buf_addf(out, ", %zu error(s)", errors);
}

static void level(struct ct_buf *out, const struct ct_report *r,
		  const struct ct_finding *f)
{
	const char *name = f->error ? "error" : ct_severity_name(f->severity);

	if (r->color)
		ct_buf_addf(out, "%s%s" RESET,
			    f->error ? ERROR_COLOR : colors[f->severity], name);
	else
		ct_buf_adds(out, name);
}

static void place(struct ct_buf *out, const struct ct_forigin *o)
{
	if (o->repo && o->commit)
		ct_buf_addf(out, "%s@%.12s:", o->repo, o->commit);
	else if (o->repo) /* a work tree */
		ct_buf_addf(out, "%s:", o->repo);
	ct_report_safe(out, o->path);
	if (o->line)
		ct_buf_addf(out, ":%u", o->line);
}

static void finding(struct ct_buf *out, const struct ct_report *r,
		    const struct ct_fcontract *fc, const struct ct_finding *f)
{
	int any = 0;

	ct_buf_adds(out, "  ");
	level(out, r, f);
	ct_buf_adds(out, ": ");
	ct_report_safe(out, f->message);
	if (!f->error && f->severity == CT_SEV_INFO && !ct_report_fails(r, f)) {
		/* news: one line each; the other formats have the rest */
		ct_buf_addf(out, " [%s]\n", f->id);
		return;
	}
	ct_buf_addch(out, '\n');
	for (int s = 0; !f->error && s < CT_SIDE_COUNT; s++) {
		if (!fc->label[s])
			continue;
		ct_buf_adds(out, any ? "; " : "    holds: ");
		ct_buf_addf(out, "%s ", ct_side_key((enum ct_side)s));
		ct_report_safe(out, f->state[s] ? f->state[s] : "unknown");
		if (f->moved & (1u << s))
			ct_buf_addf(out, " (%s)",
				    fc->label[CT_SIDE_PIN] ? "not as pinned"
							   : "changed");
		any = 1;
	}
	if (any)
		ct_buf_addch(out, '\n');
	for (size_t i = 0; i < f->norigins; i++) {
		ct_buf_adds(out, i ? "        " : "    at: ");
		place(out, &f->origins[i]);
		ct_buf_addf(out, " (%s)\n", ct_side_key(f->origins[i].side));
	}
	ct_buf_adds(out, "    next: ");
	ct_report_safe(out, f->next);
	ct_buf_addf(out, "\n    id: %s", f->id);
	if (!f->error)
		ct_buf_addf(out, " (%s, seen in %zu comparison%s)", f->family,
			    f->nseen, f->nseen == 1 ? "" : "s");
	ct_buf_addch(out, '\n');
}

static void write_text(struct ct_buf *out, const struct ct_report *r)
{
	const struct ct_findings *fs = r->findings;

	ct_buf_adds(out, "summary: ");
	counts_line(out, fs->counts, fs->errors);
	ct_buf_addf(out, " in %zu finding%s over %zu contract%s", fs->n,
		    fs->n == 1 ? "" : "s", fs->ncontracts,
		    fs->ncontracts == 1 ? "" : "s");
	if (r->fail_on == CT_SEV_NEVER)
		ct_buf_adds(out, " (never failing)\n");
	else
		ct_buf_addf(out, " (%s at --fail-on %s)\n",
			    ct_report_failed(r) ? "FAILED" : "passed",
			    ct_severity_name(r->fail_on));
	for (size_t k = 0; k < fs->ncontracts; k++) {
		const struct ct_fcontract *fc = &fs->contracts[k];
		ct_buf_adds(out, "\ncontract ");
		ct_report_safe(out, fc->name);
		ct_buf_addf(out, " (%s): ", ct_direction_name(fc->direction));
		if (fc->n)
			counts_line(out, fc->counts, fc->errors);
		else
			ct_buf_adds(out, "no findings");
		ct_buf_addch(out, '\n');
		for (int s = 0; s < CT_SIDE_COUNT; s++) {
			if (!fc->label[s])
				continue;
			ct_buf_addf(out, "  %-14s ",
				    ct_side_key((enum ct_side)s));
			ct_report_safe(out, fc->label[s]);
			ct_buf_addch(out, '\n');
		}
		for (size_t i = fc->first; i < fc->first + fc->n; i++)
			finding(out, r, fc, &fs->v[i]);
	}
}

const struct ct_reporter ct_report_text = {
    "text", "txt",
    "summary, then one entry per finding by contract, for a terminal",
    write_text};
