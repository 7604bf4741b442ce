/* json: the stable machine-readable report (docs/report-format.md). */
#include "contracts/report.h"

#include "contracts/json.h"

#include <json-c/json.h>

static json_object *str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *summary(const size_t n[3])
{
	json_object *o = json_object_new_object();

	json_object_object_add(
	    o, "breaking", json_object_new_int64((int64_t)n[CT_SEV_BREAKING]));
	json_object_object_add(
	    o, "warning", json_object_new_int64((int64_t)n[CT_SEV_WARNING]));
	json_object_object_add(o, "info",
			       json_object_new_int64((int64_t)n[CT_SEV_INFO]));
	json_object_object_add(
	    o, "total", json_object_new_int64((int64_t)(n[0] + n[1] + n[2])));
	return o;
}

static json_object *change_json(const struct ct_change *c)
{
	json_object *o = json_object_new_object(),
		    *origin = json_object_new_object();
	struct ct_buf msg = CT_BUF_INIT;

	ct_change_describe(&msg, c);
	json_object_object_add(o, "fingerprint",
			       json_object_new_string(c->fingerprint));
	json_object_object_add(o, "kind",
			       json_object_new_string(ct_kind_name(c->kind)));
	json_object_object_add(
	    o, "severity",
	    json_object_new_string(ct_severity_name(c->severity)));
	json_object_object_add(o, "pointer",
			       json_object_new_string(c->pointer));
	json_object_object_add(o, "subject",
			       json_object_new_string(c->subject));
	json_object_object_add(o, "member", str_or_null(c->member));
	json_object_object_add(
	    o, "old", c->old_value ? json_object_get(c->old_value) : NULL);
	json_object_object_add(
	    o, "new", c->new_value ? json_object_get(c->new_value) : NULL);
	json_object_object_add(o, "message", json_object_new_string(msg.ptr));
	json_object_object_add(o, "note", str_or_null(c->note));
	json_object_object_add(origin, "repo", str_or_null(c->origin.repo));
	json_object_object_add(origin, "commit", str_or_null(c->origin.commit));
	json_object_object_add(origin, "path", str_or_null(c->origin.path));
	json_object_object_add(
	    origin, "line",
	    c->origin.line ? json_object_new_int64(c->origin.line) : NULL);
	json_object_object_add(o, "origin", origin);
	if (c->other.path) {
		json_object *other = json_object_new_object();
		json_object_object_add(other, "repo",
				       str_or_null(c->other.repo));
		json_object_object_add(other, "commit",
				       str_or_null(c->other.commit));
		json_object_object_add(other, "path",
				       str_or_null(c->other.path));
		json_object_object_add(
		    other, "line",
		    c->other.line ? json_object_new_int64(c->other.line)
				  : NULL);
		json_object_object_add(o, "reader_origin", other);
	}
	ct_buf_release(&msg);
	return o;
}

/* Why a comparison could not be made: [{path, line, column, message}]. */
static json_object *errors_json(const struct ct_errs *errors)
{
	json_object *list = json_object_new_array();

	for (size_t i = 0; i < errors->n; i++) {
		const struct ct_err *e = &errors->v[i];
		json_object *o = json_object_new_object();
		json_object_object_add(
		    o, "path", str_or_null(e->path[0] ? e->path : NULL));
		json_object_object_add(
		    o, "line", e->line ? json_object_new_int64(e->line) : NULL);
		json_object_object_add(
		    o, "column", e->col ? json_object_new_int64(e->col) : NULL);
		json_object_object_add(o, "message",
				       json_object_new_string(e->msg));
		json_object_array_add(list, o);
	}
	return list;
}

static void write_json(struct ct_buf *out, const struct ct_report *r)
{
	json_object *root = json_object_new_object(),
		    *tool = json_object_new_object();
	json_object *list = json_object_new_array();
	size_t n[3];

	json_object_object_add(root, "schema",
			       json_object_new_string("contracts-report"));
	json_object_object_add(root, "version",
			       json_object_new_int(CT_REPORT_SCHEMA_VERSION));
	json_object_object_add(tool, "name",
			       json_object_new_string("contracts"));
	json_object_object_add(tool, "version",
			       json_object_new_string(r->tool_version));
	json_object_object_add(root, "tool", tool);
	json_object_object_add(
	    root, "fail_on",
	    json_object_new_string(ct_severity_name(r->fail_on)));
	json_object_object_add(root, "failed",
			       json_object_new_boolean(ct_report_failed(r)));
	ct_report_count(r, NULL, n);
	json_object_object_add(root, "summary", summary(n));
	json_object_object_add(
	    root, "errors",
	    json_object_new_int64((int64_t)ct_report_errors(r, NULL)));
	for (size_t k = 0; k < r->n; k++) {
		const struct ct_changes *d = &r->diffs[k];
		json_object *o = json_object_new_object(),
			    *changes = json_object_new_array();
		json_object_object_add(o, "name",
				       json_object_new_string(d->contract));
		json_object_object_add(
		    o, "direction",
		    json_object_new_string(ct_direction_name(d->direction)));
		json_object_object_add(o, "expected", str_or_null(d->expected));
		json_object_object_add(o, "actual", str_or_null(d->actual));
		ct_report_count(r, d, n);
		json_object_object_add(o, "summary", summary(n));
		for (size_t i = 0; i < d->n; i++)
			json_object_array_add(changes, change_json(&d->v[i]));
		json_object_object_add(o, "changes", changes);
		json_object_object_add(o, "errors", errors_json(&d->errors));
		json_object_array_add(list, o);
	}
	json_object_object_add(root, "contracts", list);
	ct_json_write(out, root, 0);
	ct_buf_addch(out, '\n');
	json_object_put(root);
}

const struct ct_reporter ct_report_json = {
    "json", "json", "stable, versioned JSON for programs", write_json};
