#include <criterion/criterion.h>
#include <json-c/json.h>
#include <string.h>

#include "contracts/report.h"

/* A change list from two small documents with hostile strings in them. */
static struct ct_changes changes;
static struct ct_report report;

static void setup(void)
{
	static const char old_text[] =
	    "{\"x-contract\": {\"name\": \"c<&>\\\"|\", \"version\": 1},\n"
	    "\"$defs\": {\"E\": {\"enum\": [\"a\", \"b|<x>\"]},\n"
	    "\"M\": {\"properties\": {\"p\": {\"type\": \"string\", \"default\": \"x,y\"}}}}}";
	static const char new_text[] =
	    "{\"x-contract\": {\"name\": \"c<&>\\\"|\", \"version\": 1},\n"
	    "\"$defs\": {\"E\": {\"enum\": [\"a\", \"new%\\nline\"]},\n"
	    "\"M\": {\"properties\": {\"p\": {\"type\": \"string\", \"default\": \"x:z\"}}}}}";
	struct ct_contract *o = NULL, *n = NULL;
	struct ct_buf a = CT_BUF_INIT, b = CT_BUF_INIT;
	struct ct_err e = CT_ERR_INIT;

	ct_buf_adds(&a, old_text);
	ct_buf_adds(&b, new_text);
	cr_assert_eq(ct_contract_parse(&o, &a, "old,dir/o.json", &e), 0, "%s",
		     e.msg);
	cr_assert_eq(ct_contract_parse(&n, &b, "new.json", &e), 0, "%s", e.msg);
	memset(&changes, 0, sizeof(changes));
	cr_assert_eq(ct_diff(&changes, o, n, CT_DIR_PROVIDER_TO_CONSUMER, &e),
		     0);
	cr_assert_eq(changes.n, 3);
	memset(&report, 0, sizeof(report));
	report.diffs = &changes;
	report.n = 1;
	report.fail_on = CT_SEV_BREAKING;
	report.tool_version = "9.9.9";
	ct_contract_free(o);
	ct_contract_free(n);
}

static void teardown(void)
{
	ct_changes_release(&changes);
}

TestSuite(report, .init = setup, .fini = teardown);

static char *render(const char *format)
{
	struct ct_buf out = CT_BUF_INIT;
	const struct ct_reporter *r = ct_reporter_find(format);

	cr_assert_not_null(r, "no reporter %s", format);
	r->write(&out, &report);
	return ct_buf_detach(&out, NULL);
}

Test(report, registry_knows_six_formats)
{
	static const char *const names[] = {"text",  "json",   "markdown",
					    "junit", "github", "sarif"};
	size_t i;

	for (i = 0; i < 6; i++)
		cr_assert_str_eq(ct_reporter_at(i)->name, names[i]);
	cr_assert_null(ct_reporter_at(i));
	cr_assert_null(ct_reporter_find("yaml"));
}

Test(report, describes_changes_in_one_line)
{
	struct ct_buf b = CT_BUF_INIT;

	ct_change_describe(&b, &changes.v[0]);
	cr_assert_str_eq(b.ptr, "E: enum value \"b|<x>\" removed");
	ct_buf_reset(&b);
	ct_change_describe(&b, &changes.v[2]);
	cr_assert_str_eq(b.ptr, "M.p: default changed from \"x,y\" to \"x:z\"");
	ct_buf_release(&b);
}

Test(report, text_has_colour_only_when_asked)
{
	char *plain = render("text"), *colored;

	cr_assert_null(strstr(plain, "\033["));
	cr_assert_not_null(strstr(plain, "  breaking\n"));
	cr_assert_not_null(strstr(
	    plain,
	    "summary: 2 breaking, 1 warning, 0 info (FAILED at --fail-on breaking)"));
	report.color = 1;
	colored = render("text");
	cr_assert_not_null(strstr(colored, "\033[31mbreaking\033[0m"));
	free(plain);
	free(colored);
}

Test(report, json_is_parseable_and_complete)
{
	char *s = render("json");
	json_object *root = json_tokener_parse(s), *v, *list, *c;

	cr_assert_not_null(root);
	cr_assert(json_object_object_get_ex(root, "schema", &v));
	cr_assert_str_eq(json_object_get_string(v), "contracts-report");
	cr_assert(json_object_object_get_ex(root, "failed", &v));
	cr_assert(json_object_get_boolean(v));
	cr_assert(json_object_object_get_ex(root, "contracts", &list));
	c = json_object_array_get_idx(list, 0);
	cr_assert(json_object_object_get_ex(c, "changes", &v));
	cr_assert_eq(json_object_array_length(v), 3);
	v = json_object_array_get_idx(v, 1);
	cr_assert(json_object_object_get_ex(v, "new", &c));
	cr_assert_str_eq(json_object_get_string(c), "new%\nline");
	cr_assert(json_object_object_get_ex(v, "origin", &c));
	cr_assert(json_object_object_get_ex(c, "line", &c));
	cr_assert_eq(json_object_get_int(c), 2);
	json_object_put(root);
	free(s);
}

Test(report, markdown_escapes_table_cells)
{
	char *s = render("markdown");

	cr_assert_not_null(
	    strstr(s, "| c<&>\"\\| | provider-to-consumer | 2 | 1 | 0 |"));
	cr_assert_not_null(strstr(s, "E: enum value \"b\\|<x>\" removed"));
	cr_assert_not_null(strstr(s, "\"new% line\" added"));
	free(s);
}

Test(report, junit_escapes_xml_and_counts_failures)
{
	char *s = render("junit");

	cr_assert_not_null(strstr(
	    s, "<testsuites name=\"contracts\" tests=\"4\" failures=\"3\">"));
	cr_assert_not_null(strstr(
	    s,
	    "<testsuite name=\"c&lt;&amp;&gt;&quot;|\" tests=\"4\" failures=\"3\">"));
	cr_assert_not_null(strstr(s, "new%&#10;line"));
	cr_assert_not_null(strstr(s, "<system-out>warning: "));
	cr_assert_null(strstr(s, "b|<x>"));
	free(s);
}

Test(report, github_escapes_workflow_commands)
{
	char *s = render("github");

	cr_assert_not_null(strstr(
	    s,
	    "::error file=old%2Cdir/o.json,line=2,title=contracts c<&>\"|%3A enum-value-removed (breaking)::E: enum value \"b|<x>\" removed ["));
	cr_assert_not_null(strstr(s, "new%25%0Aline"));
	cr_assert_not_null(strstr(s, "::warning file=new.json,line=3,"));
	free(s);
}

Test(report, sarif_has_rules_levels_and_locations)
{
	char *s = render("sarif");
	json_object *root = json_tokener_parse(s), *v, *run, *res;

	cr_assert_not_null(root);
	cr_assert(json_object_object_get_ex(root, "version", &v));
	cr_assert_str_eq(json_object_get_string(v), "2.1.0");
	cr_assert(json_object_object_get_ex(root, "runs", &v));
	run = json_object_array_get_idx(v, 0);
	cr_assert(json_object_object_get_ex(run, "results", &v));
	cr_assert_eq(json_object_array_length(v), 3);
	res = json_object_array_get_idx(v, 2);
	cr_assert(json_object_object_get_ex(res, "level", &v));
	cr_assert_str_eq(json_object_get_string(v), "warning");
	cr_assert(json_object_object_get_ex(res, "ruleId", &v));
	cr_assert_str_eq(json_object_get_string(v), "default-changed");
	cr_assert_not_null(strstr(s, "\"startLine\": 3"));
	cr_assert_not_null(strstr(s, "\"contractsFingerprint/v1\""));
	json_object_put(root);
	free(s);
}

Test(report, fail_on_threshold)
{
	cr_assert(ct_report_failed(&report));
	report.fail_on = CT_SEV_NEVER;
	cr_assert_not(ct_report_failed(&report));
	report.fail_on = CT_SEV_WARNING;
	cr_assert(ct_report_failed(&report));
}

Test(report, format_lists_need_a_folder)
{
	struct ct_err e = CT_ERR_INIT;

	cr_assert_eq(ct_report_check_formats("json", 0, &e), 0);
	cr_assert_eq(ct_report_check_formats("json,sarif", 0, &e), CT_EINVAL);
	cr_assert_str_eq(e.msg,
			 "several formats 'json,sarif' need --output-dir");
	cr_assert_eq(ct_report_check_formats("json,yaml", 1, &e), CT_EINVAL);
	cr_assert_str_eq(
	    e.msg,
	    "unknown format 'yaml' (known: text, json, markdown, junit, github, sarif)");
}
