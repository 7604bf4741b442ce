/* github: GitHub Actions workflow commands, one annotation per change at
 * the file and line that caused it. */
#include "contracts/report.h"

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

static void write_github(struct ct_buf *out, const struct ct_report *r)
{
	static const char *const levels[] = {"notice", "warning", "error"};

	for (size_t k = 0; k < r->n; k++) {
		const struct ct_changes *d = &r->diffs[k];
		for (size_t i = 0; i < d->errors.n; i++) {
			const struct ct_err *e = &d->errors.v[i];
			struct ct_buf title = CT_BUF_INIT;
			ct_buf_adds(out, "::error ");
			if (e->path[0]) {
				ct_buf_adds(out, "file=");
				escape(out, e->path, 1);
				if (e->line)
					ct_buf_addf(out, ",line=%u", e->line);
				if (e->col)
					ct_buf_addf(out, ",col=%u", e->col);
				ct_buf_addch(out, ',');
			}
			ct_buf_addf(&title, "contracts %s: not compared",
				    d->contract);
			ct_buf_adds(out, "title=");
			escape(out, title.ptr, 1);
			ct_buf_adds(out, "::");
			escape(out, e->msg, 0);
			ct_buf_addch(out, '\n');
			ct_buf_release(&title);
		}
		for (size_t i = 0; i < d->n; i++) {
			const struct ct_change *c = &d->v[i];
			struct ct_buf msg = CT_BUF_INIT, title = CT_BUF_INIT;
			ct_change_describe(&msg, c);
			ct_buf_addf(&title, "contracts %s: %s (%s)",
				    d->contract, ct_kind_name(c->kind),
				    ct_severity_name(c->severity));
			ct_buf_addf(out, "::%s ", levels[c->severity]);
			if (c->origin.path) {
				ct_buf_adds(out, "file=");
				escape(out, c->origin.path, 1);
				if (c->origin.line)
					ct_buf_addf(out, ",line=%u",
						    c->origin.line);
				ct_buf_addch(out, ',');
			}
			ct_buf_adds(out, "title=");
			escape(out, title.ptr, 1);
			ct_buf_adds(out, "::");
			escape(out, msg.ptr, 0);
			ct_buf_addf(out, " [%s]\n", c->fingerprint);
			ct_buf_release(&msg);
			ct_buf_release(&title);
		}
	}
}

const struct ct_reporter ct_report_github = {
    "github", "github.txt", "GitHub Actions annotations at file and line",
    write_github};
