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
	ct_report_render(&out, r, &report);
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
	cr_assert_not_null(strstr(plain, "  breaking: "));
	cr_assert_eq(strncmp(plain,
			     "summary: 2 breaking, 1 warning, 0 info in 3 "
			     "findings over 1 contract (FAILED at --fail-on "
			     "breaking)\n",
			     100),
		     0, "the summary comes first");
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
	cr_assert(json_object_object_get_ex(c, "findings", &v));
	cr_assert_eq(json_object_array_length(v), 3);
	v = json_object_array_get_idx(v, 1);
	cr_assert(json_object_object_get_ex(v, "member", &c));
	cr_assert_str_eq(json_object_get_string(c), "new%\nline");
	cr_assert(json_object_object_get_ex(v, "sides", &c));
	cr_assert(json_object_object_get_ex(c, "old", &list));
	cr_assert_str_eq(json_object_get_string(list), "absent");
	cr_assert(json_object_object_get_ex(v, "origins", &c));
	c = json_object_array_get_idx(c, 0);
	cr_assert(json_object_object_get_ex(c, "line", &c));
	cr_assert_eq(json_object_get_int(c), 2, "lines are 1-based");
	json_object_put(root);
	free(s);
}

Test(report, markdown_escapes_table_cells)
{
	char *s = render("markdown");

	cr_assert_not_null(strstr(
	    s, "| [c\\<&>\"\\|](#contract-c) | provider-to-consumer | 2 | 1 | "
	       "0 | 0 |"));
	cr_assert_not_null(strstr(s, "has \"b\\|\\<x>\" in E"));
	cr_assert_not_null(strstr(s, "\"new%\\x0aline\" in E"));
	free(s);
}

Test(report, junit_escapes_xml_and_counts_failures)
{
	char *s = render("junit");

	cr_assert_not_null(strstr(
	    s, "<testsuites name=\"contracts\" tests=\"1\" failures=\"1\" "
	       "errors=\"0\" time=\"0\">"));
	cr_assert_not_null(
	    strstr(s, "<testsuite id=\"0\" name=\"c&lt;&amp;&gt;&quot;|\" "
		      "tests=\"1\" failures=\"1\" errors=\"0\" skipped=\"0\" "
		      "time=\"0\">"));
	cr_assert_not_null(strstr(
	    s, "<failure type=\"drift\" message=\"2 change(s) at or above "
	       "breaking\">"));
	cr_assert_not_null(strstr(s, "new%&#10;line"));
	cr_assert_not_null(strstr(s, "warning [e0eb9ec73b6344aa]: M.p: "));
	cr_assert_null(strstr(s, "b|<x>"));
	free(s);
}

Test(report, github_escapes_workflow_commands)
{
	char *s = render("github");

	/* no --workspace-repo: no file, the places in the text */
	cr_assert_not_null(strstr(
	    s, "::error title=contracts c<&>\"|%3A breaking enum-value ["));
	cr_assert_not_null(strstr(s, "%0Aold: old,dir/o.json:2\n"));
	cr_assert_not_null(strstr(s, "new%25\\x0aline"));
	cr_assert_not_null(strstr(s, "::warning title="));
	cr_assert_null(strstr(s, "file="));
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
	cr_assert_str_eq(json_object_get_string(v), "default");
	cr_assert_not_null(strstr(s, "\"startLine\": 3"));
	cr_assert_not_null(strstr(s, "\"contractsFinding/v1\""));
	cr_assert_not_null(strstr(s, "\"fullDescription\""));
	cr_assert_not_null(strstr(s, "\"informationUri\""));
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

/* hostile_enum_value_escaped: an enum value read from a source with ESC
 * and BEL in it reaches no report raw where a terminal or a page shows it */
Test(report, hostile_enum_value_escaped)
{
	static const char old_text[] =
	    "{\"x-contract\": {\"name\": \"h\", \"version\": 1},\n"
	    "\"$defs\": {\"E\": {\"enum\": [\"a\"]}}}";
	static const char new_text[] =
	    "{\"x-contract\": {\"name\": \"h\", \"version\": 1},\n"
	    "\"$defs\": {\"E\": {\"enum\": [\"a\", "
	    "\"\\u001b[31mred\\u0007\"]}}}";
	static const char *const formats[] = {"text", "markdown", "github"};
	struct ct_contract *o = NULL, *n = NULL;
	struct ct_buf a = CT_BUF_INIT, b = CT_BUF_INIT;
	struct ct_err e = CT_ERR_INIT;
	struct ct_changes ch;
	struct ct_report rep;

	ct_buf_adds(&a, old_text);
	ct_buf_adds(&b, new_text);
	cr_assert_eq(ct_contract_parse(&o, &a, "o.json", &e), 0, "%s", e.msg);
	cr_assert_eq(ct_contract_parse(&n, &b, "n.json", &e), 0, "%s", e.msg);
	memset(&ch, 0, sizeof(ch));
	cr_assert_eq(ct_diff(&ch, o, n, CT_DIR_PROVIDER_TO_CONSUMER, &e), 0);
	cr_assert_eq(ch.n, 1);
	memset(&rep, 0, sizeof(rep));
	rep.diffs = &ch;
	rep.n = 1;
	rep.fail_on = CT_SEV_BREAKING;
	rep.tool_version = "9.9.9";
	for (size_t i = 0; i < 3; i++) {
		struct ct_buf out = CT_BUF_INIT;
		ct_report_render(&out, ct_reporter_find(formats[i]), &rep);
		cr_assert_null(strchr(out.ptr, '\033'), "ESC in %s",
			       formats[i]);
		cr_assert_null(strchr(out.ptr, '\007'), "BEL in %s",
			       formats[i]);
		cr_assert_not_null(strstr(out.ptr, "\\x1b[31mred\\x07"),
				   "%s shows the value escaped: %s", formats[i],
				   out.ptr);
		ct_buf_release(&out);
	}
	ct_changes_release(&ch);
	ct_contract_free(o);
	ct_contract_free(n);
}
