#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "contracts/json.h"

static int check(const char *s, struct ct_err *e)
{
	return ct_json_check(s, strlen(s), CT_JSON_MAX_DEPTH, "t.json", e);
}

Test(json, accepts_valid_documents)
{
	struct ct_err e = CT_ERR_INIT;

	cr_assert_eq(
	    check(
		"{\"a\": [1, -2.5e3, true, false, null, \"\\u00e9\\ud83d\\ude00\"]}",
		&e),
	    0);
	cr_assert_eq(check("  \"x\"  \n", &e), 0);
	cr_assert_eq(check("0", &e), 0);
}

Test(json, names_line_and_column_of_a_syntax_error)
{
	struct ct_err e = CT_ERR_INIT;

	cr_assert_eq(check("{\n  \"a\": 1,\n  \"b\" 2\n}", &e), CT_EPARSE);
	cr_assert_str_eq(e.path, "t.json");
	cr_assert_eq(e.line, 3);
	cr_assert_eq(e.col, 7);
	cr_assert_str_eq(e.msg, "expected ':' after key");
}

Test(json, rejects_what_rfc_8259_rejects)
{
	static const char *const bad[] = {
	    "{\"a\": 1,}", "[1 2]",	  "01",		 "1.",
	    "-",	   "tru",	  "'x'",	 "\"tab\there\"",
	    "\"\\x\"",	   "\"\\ud800\"", "\"\\udc00\"", "{\"a\"}",
	    "[",	   "\"open",	  "1 2",	 "{1: 2}",
	    "NaN",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct ct_err e = CT_ERR_INIT;
		cr_assert_eq(check(bad[i], &e), CT_EPARSE, "accepted %s",
			     bad[i]);
		cr_assert_gt(e.line, 0, "no line for %s", bad[i]);
	}
}

Test(json, rejects_invalid_utf8)
{
	struct ct_err e = CT_ERR_INIT;

	cr_assert_eq(check("\"\xc3\x28\"", &e), CT_EPARSE);
	cr_assert_str_eq(e.msg, "invalid UTF-8 in string");
	cr_assert_eq(check("\"\xed\xa0\x80\"", &e), CT_EPARSE); /* surrogate */
	cr_assert_eq(check("\"\xc0\xaf\"", &e), CT_EPARSE);	/* overlong */
	cr_assert_eq(check("\"caf\xc3\xa9\"", &e), 0);
}

Test(json, empty_input_is_an_error)
{
	struct ct_err e = CT_ERR_INIT;

	cr_assert_eq(check("", &e), CT_EPARSE);
	cr_assert_str_eq(e.msg, "empty document");
	cr_assert_eq(check(" \n\t", &e), CT_EPARSE);
}

Test(json, bounds_nesting_without_recursing_deeply, .timeout = 10)
{
	struct ct_err e = CT_ERR_INIT;
	size_t n = 10000;
	char *s = malloc(2 * n + 1);

	memset(s, '[', n);
	memset(s + n, ']', n);
	s[2 * n] = '\0';
	cr_assert_eq(check(s, &e), CT_EPARSE);
	cr_assert_str_eq(e.msg, "nesting deeper than 64 levels");
	cr_assert_eq(e.line, 1);
	cr_assert_eq(e.col, 65);
	free(s);
}

static int collect(const char *key, size_t len, struct ct_json_span v,
		   void *data)
{
	struct ct_buf *b = data;
	(void)len;
	ct_buf_addf(b, "%s@%zu+%zu;", key, v.off, v.len);
	return 0;
}

Test(json, walks_members_in_text_order)
{
	const char *s =
	    "{\"b\": [1, {\"x\": \"}\"}], \"a\\u0041\": \"v\", \"c\": 3}";
	struct ct_json_span all = {0, strlen(s)};
	struct ct_buf b = CT_BUF_INIT;

	cr_assert_eq(ct_json_members(s, all, collect, &b), 0);
	cr_assert_str_eq(b.ptr, "b@6+15;aA@34+3;c@44+1;");
	ct_buf_release(&b);
}

Test(json, locates_pointers_and_lines)
{
	const char *s = "{\n \"a\": {\"x/y\": [10, 20,\n 30]},\n \"b\": 1\n}";
	struct ct_json_span all = {0, strlen(s)}, out;
	unsigned line = 1, col = 1;

	cr_assert_eq(ct_json_locate(&out, s, all, "/a/x~1y/2"), 0);
	cr_assert_eq(strncmp(s + out.off, "30", 2), 0);
	ct_json_advance(s, 0, out.off, &line, &col);
	cr_assert_eq(line, 3);
	cr_assert_eq(col, 2);
	cr_assert_eq(ct_json_locate(&out, s, all, "/b"), 0);
	cr_assert_eq(s[out.off], '1');
	cr_assert_eq(ct_json_locate(&out, s, all, "/a/missing"), CT_ENOTFOUND);
	cr_assert_eq(ct_json_locate(&out, s, all, "/a/x~1y/3"), CT_ENOTFOUND);
	cr_assert_eq(ct_json_locate(&out, s, all, ""), 0);
	cr_assert_eq(out.off, 0);
}

static char *canon(const char *text)
{
	json_object *o = json_tokener_parse(text);
	struct ct_buf b = CT_BUF_INIT;

	cr_assert_not_null(o);
	ct_json_write(&b, o, 0);
	json_object_put(o);
	return ct_buf_detach(&b, NULL);
}

Test(json, writes_sorted_keys_but_keeps_properties_order)
{
	char *s = canon(
	    "{\"z\": 1, \"a\": {\"properties\": {\"b\": {\"type\": \"x\", \"default\": 1}, \"a\": {}}}}");

	cr_assert_str_eq(s, "{\n"
			    "  \"a\": {\n"
			    "    \"properties\": {\n"
			    "      \"b\": {\n"
			    "        \"default\": 1,\n"
			    "        \"type\": \"x\"\n"
			    "      },\n"
			    "      \"a\": {}\n"
			    "    }\n"
			    "  },\n"
			    "  \"z\": 1\n"
			    "}");
	free(s);
}

Test(json, writes_minimal_escapes_and_keeps_utf8)
{
	char *s = canon("[\"a\\\"b\\\\c\\/d\\n\\u0001\\u00e9\"]");

	cr_assert_str_eq(s, "[\n  \"a\\\"b\\\\c/d\\n\\u0001\xc3\xa9\"\n]");
	free(s);
}

Test(json, writes_shortest_round_trip_numbers)
{
	char *s = canon("[0.1, 1.0, 1e300, -0.5, 12345678901234, 2.50]");

	cr_assert_str_eq(
	    s,
	    "[\n  0.1,\n  1.0,\n  1e+300,\n  -0.5,\n  12345678901234,\n  2.5\n]");
	free(s);
}

Test(json, compares_numbers_by_value)
{
	json_object *a = json_tokener_parse("[1, {\"k\": 2}]");
	json_object *b = json_tokener_parse("[1.0, {\"k\": 2}]");
	json_object *c = json_tokener_parse("[1, {\"k\": 3}]");

	cr_assert(ct_json_equal(json_object_array_get_idx(a, 0),
				json_object_array_get_idx(b, 0)));
	cr_assert_not(ct_json_equal(a, c));
	json_object_put(a);
	json_object_put(b);
	json_object_put(c);
}

Test(json, escapes_pointer_tokens)
{
	struct ct_buf b = CT_BUF_INIT;

	ct_json_pointer_add(&b, "a/b~c");
	cr_assert_str_eq(b.ptr, "/a~1b~0c");
	ct_buf_release(&b);
}

/* Security probe: a JSON file with a UTF-8 byte-order mark was refused. */
Test(json, drop_bom_skips_a_leading_byte_order_mark)
{
	struct ct_buf b = CT_BUF_INIT;
	struct ct_err e = CT_ERR_INIT;

	ct_buf_adds(&b, "\xef\xbb\xbf{\"a\": x}");
	ct_json_drop_bom(&b);
	cr_assert_str_eq(b.ptr, "{\"a\": x}");
	cr_assert_eq(b.len, 8);
	/* positions do not count the mark */
	cr_assert_eq(check(b.ptr, &e), CT_EPARSE);
	cr_assert_eq(e.line, 1);
	cr_assert_eq(e.col, 7);
	/* only one, only at the start */
	ct_buf_reset(&b);
	ct_buf_adds(&b, "\xef\xbb\xbf\xef\xbb\xbf{}");
	ct_json_drop_bom(&b);
	cr_assert_eq(b.len, 5);
	cr_assert_neq(check(b.ptr, &e), 0);
	ct_buf_reset(&b);
	ct_buf_adds(&b, " \xef\xbb\xbf{}");
	ct_json_drop_bom(&b);
	cr_assert_eq(b.len, 6);
	ct_buf_reset(&b);
	ct_buf_adds(&b, "\xef\xbb");
	ct_json_drop_bom(&b);
	cr_assert_eq(b.len, 2);
	ct_buf_release(&b);
}
