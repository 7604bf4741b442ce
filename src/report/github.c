/* github: GitHub Actions workflow commands, one annotation per finding.
 * An annotation names a file only when the finding is in the repository
 * checked out in the workspace (--workspace-repo); otherwise it has no
 * file and carries the permalinks in its text. */
#include "contracts/report.h"

#include <string.h>

/* Escapes per the workflow command syntax: data escapes %, CR and LF;
 * property values also : and ,. */
static void escape(struct ct_buf *out, const char *s, int property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%':
			ct_buf_adds(out, "%25");
			break;
		case '\r':
			ct_buf_adds(out, "%0D");
			break;
		case '\n':
			ct_buf_adds(out, "%0A");
			break;
		case ':':
			ct_buf_adds(out, property ? "%3A" : ":");
			break;
		case ',':
			ct_buf_adds(out, property ? "%2C" : ",");
			break;
		default:
			ct_buf_addch(out, *s);
		}
	}
}

/* The origin in the checked-out repository, or NULL. */
static const struct ct_forigin *in_workspace(const struct ct_report *r,
					     const struct ct_finding *f)
{
	for (size_t i = 0; r->workspace_repo && i < f->norigins; i++)
		if (f->origins[i].repo &&
		    !strcmp(f->origins[i].repo, r->workspace_repo))
			return &f->origins[i];
	return NULL;
}

static void write_github(struct ct_buf *out, const struct ct_report *r)
{
	static const char *const levels[] = {"notice", "warning", "error"};
	const struct ct_findings *fs = r->findings;

	/* the most severe first: GitHub shows only the first few of a step */
	for (size_t k = 0; k < 4 * fs->n; k++) {
		const struct ct_finding *f = &fs->v[k % fs->n];
		int rank = f->error ? 3 : (int)f->severity;
		if (rank != 3 - (int)(k / fs->n))
			continue;
		const struct ct_forigin *at = in_workspace(r, f);
		struct ct_buf msg = CT_BUF_INIT, title = CT_BUF_INIT,
			      safe = CT_BUF_INIT;
		ct_buf_addf(out, "::%s ",
			    f->error ? "error" : levels[f->severity]);
		if (at) {
			ct_buf_adds(out, "file=");
			ct_buf_reset(&safe);
			ct_report_safe(&safe, at->path);
			escape(out, safe.ptr, 1);
			if (at->line)
				ct_buf_addf(out, ",line=%u", at->line);
			ct_buf_addch(out, ',');
		}
		ct_buf_addf(&title, "contracts %s: %s %s [%s]", f->contract,
			    f->error ? "error" : ct_severity_name(f->severity),
			    f->family, f->id);
		ct_buf_adds(out, "title=");
		ct_buf_reset(&safe);
		ct_report_safe(&safe, title.ptr);
		escape(out, safe.ptr, 1);
		ct_buf_adds(out, "::");
		/* control characters of what the sources say are escaped;
		 * the newlines between origins are the annotation's own */
		ct_report_safe(&msg, f->message);
		ct_buf_adds(&msg, ". Next: ");
		ct_report_safe(&msg, f->next);
		ct_buf_addch(&msg, '.');
		for (size_t j = 0; j < f->norigins; j++) {
			const struct ct_forigin *o = &f->origins[j];
			struct ct_buf where = CT_BUF_INIT;
			if (o == at)
				continue;
			ct_buf_addf(&msg, "\n%s: ", ct_side_key(o->side));
			if (!ct_report_permalink(&where, r, o)) {
				if (o->repo)
					ct_buf_addf(&where, "%s:", o->repo);
				ct_buf_adds(&where, o->path);
				if (o->line)
					ct_buf_addf(&where, ":%u", o->line);
			}
			ct_report_safe(&msg, where.ptr);
			ct_buf_release(&where);
		}
		escape(out, msg.ptr, 0);
		ct_buf_addch(out, '\n');
		ct_buf_release(&msg);
		ct_buf_release(&title);
		ct_buf_release(&safe);
	}
}

const struct ct_reporter ct_report_github = {
    "github", "github.txt",
    "GitHub Actions annotations, one per finding; files only in the "
    "--workspace-repo checkout",
    write_github};
