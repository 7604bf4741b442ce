/* sarif: SARIF 2.1.0, so code-scanning views show drift at its line. */
#include "contracts/report.h"

#include "contracts/json.h"

#include <json-c/json.h>

static const char *level(enum ct_severity s)
{
	return s == CT_SEV_BREAKING  ? "error"
	       : s == CT_SEV_WARNING ? "warning"
				     : "note";
}

static json_object *text_obj(const char *s)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "text", json_object_new_string(s));
	return o;
}

static json_object *result(const struct ct_changes *d,
			   const struct ct_change *c)
{
	json_object *res = json_object_new_object(),
		    *props = json_object_new_object();
	json_object *fp = json_object_new_object();
	struct ct_buf msg = CT_BUF_INIT;

	ct_change_describe(&msg, c);
	json_object_object_add(res, "ruleId",
			       json_object_new_string(ct_kind_name(c->kind)));
	json_object_object_add(res, "ruleIndex",
			       json_object_new_int((int)c->kind));
	json_object_object_add(res, "level",
			       json_object_new_string(level(c->severity)));
	json_object_object_add(res, "message", text_obj(msg.ptr));
	if (c->origin.path) {
		json_object *loc = json_object_new_object(),
			    *phys = json_object_new_object();
		json_object *art = json_object_new_object(),
			    *locs = json_object_new_array();
		json_object_object_add(art, "uri",
				       json_object_new_string(c->origin.path));
		json_object_object_add(phys, "artifactLocation", art);
		if (c->origin.line) {
			json_object *region = json_object_new_object();
			json_object_object_add(
			    region, "startLine",
			    json_object_new_int64(c->origin.line));
			json_object_object_add(phys, "region", region);
		}
		json_object_object_add(loc, "physicalLocation", phys);
		json_object_array_add(locs, loc);
		json_object_object_add(res, "locations", locs);
	}
	json_object_object_add(fp, "contractsFingerprint/v1",
			       json_object_new_string(c->fingerprint));
	json_object_object_add(res, "partialFingerprints", fp);
	json_object_object_add(props, "contract",
			       json_object_new_string(d->contract));
	json_object_object_add(props, "pointer",
			       json_object_new_string(c->pointer));
	json_object_object_add(
	    props, "severity",
	    json_object_new_string(ct_severity_name(c->severity)));
	if (c->origin.repo)
		json_object_object_add(props, "repo",
				       json_object_new_string(c->origin.repo));
	if (c->origin.commit)
		json_object_object_add(
		    props, "commit", json_object_new_string(c->origin.commit));
	json_object_object_add(res, "properties", props);
	ct_buf_release(&msg);
	return res;
}

/* Comparisons that could not be made: tool execution notifications. */
static json_object *invocations(const struct ct_report *r)
{
	json_object *list = json_object_new_array(),
		    *inv = json_object_new_object();
	json_object *notes = json_object_new_array();

	for (size_t k = 0; k < r->n; k++) {
		for (size_t i = 0; i < r->diffs[k].errors.n; i++) {
			const struct ct_err *e = &r->diffs[k].errors.v[i];
			json_object *n = json_object_new_object();
			json_object_object_add(n, "level",
					       json_object_new_string("error"));
			json_object_object_add(n, "message", text_obj(e->msg));
			if (e->path[0]) {
				json_object *loc = json_object_new_object(),
					    *phys = json_object_new_object();
				json_object *art = json_object_new_object(),
					    *locs = json_object_new_array();
				json_object_object_add(
				    art, "uri",
				    json_object_new_string(e->path));
				json_object_object_add(phys, "artifactLocation",
						       art);
				if (e->line) {
					json_object *region =
					    json_object_new_object();
					json_object_object_add(
					    region, "startLine",
					    json_object_new_int64(e->line));
					if (e->col)
						json_object_object_add(
						    region, "startColumn",
						    json_object_new_int64(
							e->col));
					json_object_object_add(phys, "region",
							       region);
				}
				json_object_object_add(loc, "physicalLocation",
						       phys);
				json_object_array_add(locs, loc);
				json_object_object_add(n, "locations", locs);
			}
			json_object_array_add(notes, n);
		}
	}
	json_object_object_add(inv, "executionSuccessful",
			       json_object_new_boolean(0));
	json_object_object_add(inv, "toolExecutionNotifications", notes);
	json_object_array_add(list, inv);
	return list;
}

static void write_sarif(struct ct_buf *out, const struct ct_report *r)
{
	json_object *root = json_object_new_object(),
		    *runs = json_object_new_array();
	json_object *run = json_object_new_object(),
		    *tool = json_object_new_object();
	json_object *driver = json_object_new_object(),
		    *rules = json_object_new_array();
	json_object *results = json_object_new_array();

	for (int k = 0; k < CT_KIND_COUNT; k++) {
		json_object *rule = json_object_new_object(),
			    *conf = json_object_new_object();
		json_object_object_add(rule, "id",
				       json_object_new_string(ct_kind_name(
					   (enum ct_change_kind)k)));
		json_object_object_add(
		    rule, "shortDescription",
		    text_obj(ct_kind_title((enum ct_change_kind)k)));
		json_object_object_add(
		    conf, "level",
		    json_object_new_string(level(ct_rules_severity(
			CT_DIR_PROVIDER_TO_CONSUMER, (enum ct_change_kind)k))));
		json_object_object_add(rule, "defaultConfiguration", conf);
		json_object_array_add(rules, rule);
	}
	json_object_object_add(driver, "name",
			       json_object_new_string("contracts"));
	json_object_object_add(driver, "version",
			       json_object_new_string(r->tool_version));
	json_object_object_add(driver, "rules", rules);
	json_object_object_add(tool, "driver", driver);
	json_object_object_add(run, "tool", tool);
	for (size_t k = 0; k < r->n; k++)
		for (size_t i = 0; i < r->diffs[k].n; i++)
			json_object_array_add(
			    results, result(&r->diffs[k], &r->diffs[k].v[i]));
	json_object_object_add(run, "results", results);
	if (ct_report_errors(r, NULL))
		json_object_object_add(run, "invocations", invocations(r));
	json_object_array_add(runs, run);
	json_object_object_add(
	    root, "$schema",
	    json_object_new_string(
		"https://json.schemastore.org/sarif-2.1.0.json"));
	json_object_object_add(root, "version",
			       json_object_new_string("2.1.0"));
	json_object_object_add(root, "runs", runs);
	ct_json_write(out, root, 0);
	ct_buf_addch(out, '\n');
	json_object_put(root);
}

const struct ct_reporter ct_report_sarif = {
    "sarif", "sarif", "SARIF 2.1.0 for code-scanning views", write_sarif};
