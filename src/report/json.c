/* json: the stable machine-readable report, findings with their side
 * tables (docs/report-json.md, docs/report.schema.json). Every position is
 * 1-based: lines, columns and places in a list. */
#include "contracts/report.h"

#include "contracts/json.h"

#include <json-c/json.h>

static json_object *str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *int_or_null(unsigned v)
{
	return v ? json_object_new_int64(v) : NULL;
}

static json_object *summary(const size_t n[3], size_t errors)
{
	json_object *o = json_object_new_object();

	json_object_object_add(
	    o, "breaking", json_object_new_int64((int64_t)n[CT_SEV_BREAKING]));
	json_object_object_add(
	    o, "warning", json_object_new_int64((int64_t)n[CT_SEV_WARNING]));
	json_object_object_add(o, "info",
			       json_object_new_int64((int64_t)n[CT_SEV_INFO]));
	json_object_object_add(o, "errors",
			       json_object_new_int64((int64_t)errors));
	json_object_object_add(
	    o, "findings",
	    json_object_new_int64((int64_t)(n[0] + n[1] + n[2] + errors)));
	return o;
}

/* A value of a change; places in a list become 1-based. */
static json_object *value(const struct ct_change *c, json_object *v)
{
	if (!v)
		return NULL;
	if (c->kind == CT_LIST_ITEM_MOVED)
		return json_object_new_int64(json_object_get_int64(v) + 1);
	return json_object_get(v);
}

static json_object *seen_json(const struct ct_fseen *s)
{
	json_object *o = json_object_new_object();
	const struct ct_change *c = s->change;
	struct ct_buf msg = CT_BUF_INIT;

	json_object_object_add(
	    o, "left", json_object_new_string(ct_side_key(s->cmp->left)));
	json_object_object_add(
	    o, "right",
	    json_object_new_string(ct_side_key(
		s->cmp->right == s->cmp->left ? CT_SIDE_NEW : s->cmp->right)));
	if (!c)
		return o;
	ct_change_describe(&msg, c);
	json_object_object_add(o, "kind",
			       json_object_new_string(ct_kind_name(c->kind)));
	json_object_object_add(
	    o, "severity",
	    json_object_new_string(ct_severity_name(c->severity)));
	json_object_object_add(o, "fingerprint",
			       json_object_new_string(c->fingerprint));
	json_object_object_add(o, "pointer",
			       json_object_new_string(c->pointer));
	json_object_object_add(o, "old", value(c, c->old_value));
	json_object_object_add(o, "new", value(c, c->new_value));
	json_object_object_add(o, "message", json_object_new_string(msg.ptr));
	json_object_object_add(o, "note", str_or_null(c->note));
	ct_buf_release(&msg);
	return o;
}

static json_object *finding_json(const struct ct_report *r,
				 const struct ct_fcontract *fc,
				 const struct ct_finding *f)
{
	json_object *o = json_object_new_object(),
		    *sides = json_object_new_object();
	json_object *moved = json_object_new_array(),
		    *origins = json_object_new_array();
	json_object *seen = json_object_new_array();

	json_object_object_add(o, "id", json_object_new_string(f->id));
	json_object_object_add(
	    o, "severity",
	    json_object_new_string(f->error ? "error"
					    : ct_severity_name(f->severity)));
	json_object_object_add(o, "fails",
			       json_object_new_boolean(ct_report_fails(r, f)));
	json_object_object_add(o, "family", json_object_new_string(f->family));
	json_object_object_add(o, "where", str_or_null(f->where));
	json_object_object_add(o, "member", str_or_null(f->member));
	json_object_object_add(o, "message",
			       json_object_new_string(f->message));
	json_object_object_add(o, "next", json_object_new_string(f->next));
	for (int s = 0; s < CT_SIDE_COUNT; s++) {
		if (!fc->label[s])
			continue;
		json_object_object_add(sides, ct_side_key((enum ct_side)s),
				       str_or_null(f->state[s]));
		if (f->moved & (1u << s))
			json_object_array_add(
			    moved, json_object_new_string(
				       ct_side_key((enum ct_side)s)));
	}
	json_object_object_add(o, "sides", sides);
	json_object_object_add(o, "moved", moved);
	for (size_t i = 0; i < f->norigins; i++) {
		const struct ct_forigin *x = &f->origins[i];
		json_object *one = json_object_new_object();
		struct ct_buf link = CT_BUF_INIT;
		json_object_object_add(
		    one, "side", json_object_new_string(ct_side_key(x->side)));
		json_object_object_add(one, "repo", str_or_null(x->repo));
		json_object_object_add(one, "commit", str_or_null(x->commit));
		json_object_object_add(one, "path",
				       json_object_new_string(x->path));
		json_object_object_add(one, "line", int_or_null(x->line));
		json_object_object_add(one, "url",
				       ct_report_permalink(&link, r, x)
					   ? json_object_new_string(link.ptr)
					   : NULL);
		ct_buf_release(&link);
		json_object_array_add(origins, one);
	}
	json_object_object_add(o, "origins", origins);
	for (size_t i = 0; i < f->nseen; i++)
		json_object_array_add(seen, seen_json(&f->seen[i]));
	json_object_object_add(o, "comparisons", seen);
	if (f->error) {
		json_object *e = json_object_new_object();
		json_object_object_add(
		    e, "path",
		    str_or_null(f->err.path[0] ? f->err.path : NULL));
		json_object_object_add(e, "line", int_or_null(f->err.line));
		json_object_object_add(e, "column", int_or_null(f->err.col));
		json_object_object_add(e, "message",
				       json_object_new_string(f->err.msg));
		json_object_object_add(o, "error", e);
	}
	return o;
}

static void write_json(struct ct_buf *out, const struct ct_report *r)
{
	const struct ct_findings *fs = r->findings;
	json_object *root = json_object_new_object(),
		    *tool = json_object_new_object();
	json_object *list = json_object_new_array();

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
	json_object_object_add(root, "summary",
			       summary(fs->counts, fs->errors));
	for (size_t k = 0; k < fs->ncontracts; k++) {
		const struct ct_fcontract *fc = &fs->contracts[k];
		json_object *o = json_object_new_object(),
			    *docs = json_object_new_object();
		json_object *findings = json_object_new_array();
		json_object_object_add(o, "name",
				       json_object_new_string(fc->name));
		json_object_object_add(
		    o, "direction",
		    json_object_new_string(ct_direction_name(fc->direction)));
		for (int s = 0; s < CT_SIDE_COUNT; s++)
			if (fc->label[s])
				json_object_object_add(
				    docs, ct_side_key((enum ct_side)s),
				    json_object_new_string(fc->label[s]));
		json_object_object_add(o, "documents", docs);
		json_object_object_add(
		    o, "comparisons",
		    json_object_new_int64((int64_t)fc->ncmps));
		json_object_object_add(o, "summary",
				       summary(fc->counts, fc->errors));
		for (size_t i = fc->first; i < fc->first + fc->n; i++)
			json_object_array_add(findings,
					      finding_json(r, fc, &fs->v[i]));
		json_object_object_add(o, "findings", findings);
		json_object_array_add(list, o);
	}
	json_object_object_add(root, "contracts", list);
	ct_json_write(out, root, 0);
	ct_buf_addch(out, '\n');
	json_object_put(root);
}

const struct ct_reporter ct_report_json = {
    "json", "json", "stable, versioned JSON: findings with their side tables",
    write_json};
