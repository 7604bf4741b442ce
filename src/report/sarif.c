/* sarif: SARIF 2.1.0, so code-scanning views show drift at its line. One
 * run; a result per finding, at its first origin, the others related;
 * both repositories in versionControlProvenance, each a uriBaseId. */
#include "contracts/report.h"

#include "contracts/json.h"

#include <json-c/json.h>
#include <string.h>

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

/* The rules: one per family of change, as findings are grouped. */
static const struct rule {
	const char *id, *name, *full, *help, *doc;
	enum ct_severity level;
} rules[] = {
    {"enum-value", "EnumValueDrift",
     "An enum value one document has and another lacks: the writer may send a value the reader refuses, or a side moved from the pin.",
     "Add the value to the reader's enum (or stop sending it), then pin; or approve it with contracts allow.",
     "diff-rules.md", CT_SEV_BREAKING},
    {"field", "FieldDrift",
     "A field present, required or optional in one document and not in another: the reader may require what the writer omits.",
     "Make the field optional in the reader or always send it; a committed mirror is fixed by regenerating it.",
     "diff-rules.md", CT_SEV_BREAKING},
    {"type", "TypeDrift",
     "A field's type, nullability or $ref target differs: the reader may refuse a value of the writer's type.",
     "Widen the reader's type or narrow the writer's, then pin.",
     "diff-rules.md", CT_SEV_BREAKING},
    {"default", "DefaultDrift", "A field's default differs between documents.",
     "Record the new default with contracts pin if intended.", "diff-rules.md",
     CT_SEV_INFO},
    {"shape", "ShapeDrift",
     "A shape (model or payload) one document has and another lacks.",
     "Add the missing shape to the side that lacks it, or pin the removal.",
     "diff-rules.md", CT_SEV_WARNING},
    {"unknown-keys", "UnknownKeysRefused",
     "The writer may pass unknown keys the reader forbids.",
     "Allow unknown keys in the reader, or stop the writer passing them.",
     "compat.md", CT_SEV_BREAKING},
    {"list", "ListDrift", "A list one document has and another lacks.",
     "Add the list to the side that lacks it, or pin.", "diff-rules.md",
     CT_SEV_WARNING},
    {"list-item", "ListItemDrift",
     "An item of a list (such as a flag name) one document has and another lacks.",
     "Add the item to the side that lacks it, or pin.", "diff-rules.md",
     CT_SEV_BREAKING},
    {"order", "OrderDrift",
     "The order of a list whose order matters differs between documents.",
     "Put the items in the pinned order, or pin the new order on both sides.",
     "diff-rules.md", CT_SEV_BREAKING},
    {"event", "EventDrift",
     "A server-sent event the writer sends and the reader does not know, or the reverse.",
     "Teach the reader the event, or stop sending it; then pin.",
     "diff-rules.md", CT_SEV_BREAKING},
    {"route", "RouteDrift",
     "A REST route the consumer calls and the provider does not serve, or one the provider serves and nobody calls.",
     "Serve the route or fix the consumer's path; an unused route is news only.",
     "diff-rules.md", CT_SEV_BREAKING},
    {"gate-failed", "ReleaseRuleFailed",
     "A release rule failed: version files out of step, a version already on a package index or not above the earlier tags, a moved tag, a pinned provider release whose contract differs, or drift at the pair released.",
     "Do what the finding says (the next allowed versions, the file and line to fix), then run contracts gate again.",
     "gate.md", CT_SEV_BREAKING},
    {"gate-passed", "ReleaseRulePassed", "A release rule passed.",
     "Nothing to do.", "gate.md", CT_SEV_INFO},
    {"gate-skipped", "ReleaseRuleSkipped",
     "A release rule that did not apply: --offline, or a version read from package metadata at run time.",
     "Run the gate online before the tag ships, or check the rule by hand.",
     "gate.md", CT_SEV_INFO},
};

#ifndef CT_DOCS_URL
#define CT_DOCS_URL "https://contracts.invalid/docs/"
#endif

static size_t rule_index(const char *family)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(*rules); i++)
		if (!strcmp(rules[i].id, family))
			return i;
	return 0;
}

/* A repository's uriBaseId: its name; pins live beside the manifest. */
static const char *base_of(const struct ct_forigin *o)
{
	return o->repo ? o->repo : "%SRCROOT%";
}

/* An artifactLocation: a path relative to its repository's uriBaseId, or
 * an absolute path as a file URI (a pin beside a manifest given by its
 * absolute path). */
static json_object *artifact(const char *path, const char *base)
{
	json_object *art = json_object_new_object();
	struct ct_buf uri = CT_BUF_INIT;

	if (path[0] == '/') {
		ct_buf_addf(&uri, "file://%s", path);
		json_object_object_add(art, "uri",
				       json_object_new_string(uri.ptr));
	} else {
		json_object_object_add(art, "uri",
				       json_object_new_string(path));
		json_object_object_add(art, "uriBaseId",
				       json_object_new_string(base));
	}
	ct_buf_release(&uri);
	return art;
}

static json_object *location(const struct ct_forigin *o, int id)
{
	json_object *loc = json_object_new_object(),
		    *phys = json_object_new_object();

	if (id >= 0)
		json_object_object_add(loc, "id", json_object_new_int(id));
	json_object_object_add(phys, "artifactLocation",
			       artifact(o->path, base_of(o)));
	if (o->line) {
		json_object *region = json_object_new_object();
		json_object_object_add(region, "startLine",
				       json_object_new_int64(o->line));
		json_object_object_add(phys, "region", region);
	}
	json_object_object_add(loc, "physicalLocation", phys);
	json_object_object_add(loc, "message",
			       text_obj(ct_side_title(o->side)));
	return loc;
}

static json_object *result(const struct ct_finding *f)
{
	json_object *res = json_object_new_object(),
		    *props = json_object_new_object();
	json_object *fp = json_object_new_object(),
		    *sides = json_object_new_object();
	struct ct_buf msg = CT_BUF_INIT;

	ct_buf_addf(&msg, "%s. Next: %s.", f->message, f->next);
	json_object_object_add(res, "ruleId",
			       json_object_new_string(f->family));
	json_object_object_add(res, "ruleIndex",
			       json_object_new_int((int)rule_index(f->family)));
	json_object_object_add(res, "level",
			       json_object_new_string(level(f->severity)));
	json_object_object_add(res, "message", text_obj(msg.ptr));
	if (f->norigins) {
		json_object *locs = json_object_new_array();
		json_object_array_add(locs, location(&f->origins[0], -1));
		json_object_object_add(res, "locations", locs);
	}
	if (f->norigins > 1) {
		json_object *rel = json_object_new_array();
		for (size_t i = 1; i < f->norigins; i++)
			json_object_array_add(rel,
					      location(&f->origins[i], (int)i));
		json_object_object_add(res, "relatedLocations", rel);
	}
	json_object_object_add(fp, "contractsFinding/v1",
			       json_object_new_string(f->id));
	json_object_object_add(res, "partialFingerprints", fp);
	json_object_object_add(props, "contract",
			       json_object_new_string(f->contract));
	json_object_object_add(
	    props, "severity",
	    json_object_new_string(ct_severity_name(f->severity)));
	json_object_object_add(props, "next", json_object_new_string(f->next));
	for (int s = 0; s < CT_SIDE_COUNT; s++)
		if (f->state[s])
			json_object_object_add(
			    sides, ct_side_key((enum ct_side)s),
			    json_object_new_string(f->state[s]));
	json_object_object_add(props, "sides", sides);
	json_object_object_add(res, "properties", props);
	ct_buf_release(&msg);
	return res;
}

/* Both repositories, each with the commit read when there is one. */
static void provenance(json_object *run, const struct ct_report *r)
{
	json_object *vcp = json_object_new_array(),
		    *bases = json_object_new_object();

	for (size_t i = 0; i < r->nrepos; i++) {
		const struct ct_report_repo *rp = &r->repos[i];
		json_object *one = json_object_new_object(),
			    *mapped = json_object_new_object();
		json_object *base = json_object_new_object();
		struct ct_buf uri = CT_BUF_INIT;
		if (strstr(rp->location, "://"))
			ct_buf_adds(&uri, rp->location);
		else /* a path: a relative reference, as the manifest has it */
			ct_buf_addf(&uri, "%s/", rp->location);
		json_object_object_add(one, "repositoryUri",
				       json_object_new_string(uri.ptr));
		if (rp->commit)
			json_object_object_add(
			    one, "revisionId",
			    json_object_new_string(rp->commit));
		json_object_object_add(mapped, "uriBaseId",
				       json_object_new_string(rp->name));
		json_object_object_add(one, "mappedTo", mapped);
		json_object_array_add(vcp, one);
		json_object_object_add(
		    base, "description",
		    text_obj("the root of this repository at the commit read"));
		json_object_object_add(bases, rp->name, base);
		ct_buf_release(&uri);
	}
	if (r->nrepos) {
		json_object_object_add(run, "versionControlProvenance", vcp);
		json_object_object_add(run, "originalUriBaseIds", bases);
	} else {
		json_object_put(vcp);
		json_object_put(bases);
	}
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
				json_object *locs = json_object_new_array();
				json_object_object_add(
				    phys, "artifactLocation",
				    artifact(e->path, "%SRCROOT%"));
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
		    *rules_json = json_object_new_array();
	json_object *results = json_object_new_array();

	for (size_t k = 0; k < sizeof(rules) / sizeof(*rules); k++) {
		json_object *rule = json_object_new_object(),
			    *conf = json_object_new_object();
		struct ct_buf uri = CT_BUF_INIT;
		json_object_object_add(rule, "id",
				       json_object_new_string(rules[k].id));
		json_object_object_add(rule, "name",
				       json_object_new_string(rules[k].name));
		json_object_object_add(rule, "shortDescription",
				       text_obj(rules[k].id));
		json_object_object_add(rule, "fullDescription",
				       text_obj(rules[k].full));
		json_object_object_add(rule, "help", text_obj(rules[k].help));
		ct_buf_addf(&uri, "%s%s", CT_DOCS_URL, rules[k].doc);
		json_object_object_add(rule, "helpUri",
				       json_object_new_string(uri.ptr));
		json_object_object_add(
		    conf, "level",
		    json_object_new_string(level(rules[k].level)));
		json_object_object_add(rule, "defaultConfiguration", conf);
		json_object_array_add(rules_json, rule);
		ct_buf_release(&uri);
	}
	json_object_object_add(driver, "name",
			       json_object_new_string("contracts"));
	json_object_object_add(driver, "version",
			       json_object_new_string(r->tool_version));
	json_object_object_add(driver, "informationUri",
			       json_object_new_string(CT_DOCS_URL));
	json_object_object_add(driver, "rules", rules_json);
	json_object_object_add(tool, "driver", driver);
	json_object_object_add(run, "tool", tool);
	provenance(run, r);
	for (size_t i = 0; i < r->findings->n; i++)
		if (!r->findings->v[i].error)
			json_object_array_add(results,
					      result(&r->findings->v[i]));
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
