#include "contracts/report.h"

#include "contracts/file.h"

#include <stdio.h>
#include <string.h>

/* Calls fn for each comma-separated name; stops at the first error. */
static int each_format(const char *formats, int (*fn)(const char *, void *),
		       void *data)
{
	char name[64];
	const char *p = formats;

	for (;;) {
		size_t n = strcspn(p, ",");
		int rc;
		if (n >= sizeof(name))
			n = sizeof(name) - 1;
		memcpy(name, p, n);
		name[n] = '\0';
		if ((rc = fn(name, data)))
			return rc;
		p += strcspn(p, ",");
		if (!*p)
			return 0;
		p++;
	}
}

static int check_one(const char *name, void *data)
{
	struct ct_err *err = data;
	struct ct_buf known = CT_BUF_INIT;
	const struct ct_reporter *rep;
	int rc;

	if (ct_reporter_find(name))
		return 0;
	for (size_t i = 0; (rep = ct_reporter_at(i)); i++)
		ct_buf_addf(&known, "%s%s", i ? ", " : "", rep->name);
	rc = ct_err_set(err, CT_EINVAL, "unknown format '%s' (known: %s)", name,
			known.ptr);
	ct_buf_release(&known);
	return rc;
}

int ct_report_check_formats(const char *formats, int several_ok,
			    struct ct_err *err)
{
	if (!several_ok && strchr(formats, ','))
		return ct_err_set(err, CT_EINVAL,
				  "several formats '%s' need --output-dir",
				  formats);
	return each_format(formats, check_one, err);
}

struct emit {
	const struct ct_report *r;
	const char *output, *output_dir;
	FILE *out;
	struct ct_err *err;
};

static int emit_one(const char *name, void *data)
{
	struct emit *e = data;
	const struct ct_reporter *rep = ct_reporter_find(name);
	struct ct_buf body = CT_BUF_INIT, path = CT_BUF_INIT;
	int rc = 0;

	ct_report_render(&body, rep, e->r);
	if (e->output_dir) {
		ct_buf_addf(&path, "%s/report.%s", e->output_dir, rep->ext);
		rc = ct_file_write_atomic(path.ptr, body.ptr, body.len, e->err);
	} else if (e->output) {
		rc =
		    ct_file_write_atomic(e->output, body.ptr, body.len, e->err);
	} else if (fwrite(body.ptr, 1, body.len, e->out) != body.len) {
		rc = ct_err_set(e->err, CT_EIO,
				"cannot write the report to standard output");
	}
	ct_buf_release(&body);
	ct_buf_release(&path);
	return rc;
}

int ct_report_emit(const struct ct_report *r, const char *formats,
		   const char *output, const char *output_dir, FILE *out,
		   struct ct_err *err)
{
	struct emit e = {r, output, output_dir, out, err};
	int rc;

	if ((rc = ct_report_check_formats(formats, output_dir != NULL, err)))
		return rc;
	if (output_dir && (rc = ct_file_mkdirs(output_dir, err)))
		return rc;
	return each_format(formats, emit_one, &e);
}
