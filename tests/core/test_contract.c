#include "helpers.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <json-c/json.h>

#include "contracts/file.h"

Test(contract, loads_a_fixture_and_reads_its_metadata)
{
	struct ct_contract *c = NULL;
	struct ct_err e = CT_ERR_INIT;
	enum ct_direction d;

	cr_assert_eq(ct_contract_load(&c, CT_FIXTURES "/sse.json", 0, &e), 0,
		     "%s", e.msg);
	cr_assert_str_eq(ct_contract_name(c), "sse-enums");
	cr_assert_eq(ct_contract_direction(c, &d), 0);
	cr_assert_eq(d, CT_DIR_PROVIDER_TO_CONSUMER);
	cr_assert_eq(ct_contract_shape_count(c), 3);
	cr_assert_str_eq(ct_contract_shape_name(c, 0), "DiscoveryMessage");
	cr_assert_str_eq(ct_contract_shape_name(c, 2), "StreamMessageType");
	cr_assert_eq(ct_contract_shape_find(c, "DiskFormat"), 1);
	cr_assert_eq(ct_contract_shape_find(c, "Nope"), -1);
	cr_assert_eq(ct_contract_validate(c, &e), 0, "%s", e.msg);
	ct_contract_free(c);
}

Test(contract, keeps_the_line_of_every_element)
{
	struct ct_contract *c = NULL;
	struct ct_err e = CT_ERR_INIT;
	struct ct_origin o;

	cr_assert_eq(ct_contract_load(&c, CT_FIXTURES "/sse.json", 0, &e), 0);
	ct_contract_origin(&o, c, "/$defs/DiscoveryMessage/properties/count");
	cr_assert_str_eq(o.path, CT_FIXTURES "/sse.json");
	cr_assert_eq(o.line, 21);
	ct_contract_origin(&o, c, "/$defs/StreamMessageType/enum/2");
	cr_assert_eq(o.line, 13);
	ct_contract_origin(&o, c, "/x-events/1");
	cr_assert_eq(o.line, 29);
	/* a pointer that is not there falls back to what encloses it */
	ct_contract_origin(&o, c, "/$defs/DiscoveryMessage/properties/gone");
	cr_assert_eq(o.line, 18);
	ct_contract_free(c);
}

Test(contract, writes_canonically_and_twice_the_same)
{
	struct ct_contract *c = NULL, *again = NULL;
	struct ct_err e = CT_ERR_INIT;
	struct ct_buf first = CT_BUF_INIT, second = CT_BUF_INIT,
		      text = CT_BUF_INIT;

	cr_assert_eq(ct_contract_load(&c, CT_FIXTURES "/sse.json", 0, &e), 0);
	cr_assert_eq(ct_contract_write(&first, c, &e), 0, "%s", e.msg);
	ct_buf_add(&text, first.ptr, first.len);
	cr_assert_eq(ct_contract_parse(&again, &text, "again.json", &e), 0,
		     "%s", e.msg);
	cr_assert_eq(ct_contract_write(&second, again, &e), 0);
	cr_assert_str_eq(first.ptr, second.ptr);
	cr_assert_eq(first.ptr[first.len - 1], '\n');
	cr_assert_neq(first.ptr[first.len - 2], '\n');
	ct_contract_free(c);
	ct_contract_free(again);
	ct_buf_release(&first);
	ct_buf_release(&second);
}

Test(contract, canonical_form_matches_the_golden_file)
{
	struct ct_contract *c = NULL;
	struct ct_err e = CT_ERR_INIT;
	struct ct_buf out = CT_BUF_INIT, want = CT_BUF_INIT;

	cr_assert_eq(ct_contract_load(&c, CT_FIXTURES "/sse.json", 0, &e), 0);
	cr_assert_eq(ct_contract_write(&out, c, &e), 0);
	cr_assert_eq(
	    ct_file_read(&want, CT_FIXTURES "/sse.canonical.json", 0, &e), 0);
	cr_assert_str_eq(out.ptr, want.ptr);
	ct_contract_free(c);
	ct_buf_release(&out);
	ct_buf_release(&want);
}

Test(contract, builds_a_document_in_memory)
{
	struct ct_contract *c =
	    ct_contract_new("built", CT_DIR_CONSUMER_TO_PROVIDER);
	struct ct_origin where = {"netbox-proxbox", "abc123",
				  "netbox_proxbox/constants.py", 12},
			 o;
	struct ct_buf out = CT_BUF_INIT;
	struct ct_err e = CT_ERR_INIT;
	json_object *shape = json_tokener_parse(
	    "{\"type\": \"string\", \"enum\": [\"b\", \"a\"]}");

	ct_contract_add_shape(c, "Flags", shape, &where);
	ct_contract_set_member(c, "x-events",
			       json_tokener_parse("[\"z\", \"a\"]"));
	cr_assert_eq(ct_contract_write(&out, c, &e), 0, "%s", e.msg);
	cr_assert_str_eq(
	    out.ptr,
	    "{\n"
	    "  \"$defs\": {\n"
	    "    \"Flags\": {\n"
	    "      \"enum\": [\n        \"b\",\n        \"a\"\n      ],\n"
	    "      \"type\": \"string\"\n"
	    "    }\n"
	    "  },\n"
	    "  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n"
	    "  \"x-contract\": {\n"
	    "    \"direction\": \"consumer-to-provider\",\n"
	    "    \"name\": \"built\",\n"
	    "    \"version\": 1\n"
	    "  },\n"
	    "  \"x-events\": [\n    \"a\",\n    \"z\"\n  ]\n"
	    "}\n");
	ct_contract_origin(&o, c, "/$defs/Flags/enum/1");
	cr_assert_str_eq(o.repo, "netbox-proxbox");
	cr_assert_str_eq(o.path, "netbox_proxbox/constants.py");
	cr_assert_eq(o.line, 12);
	ct_contract_free(c);
	ct_buf_release(&out);
}

/* ---- bad input: each names what is wrong and where ---------------------- */

Test(contract, malformed_json_names_line_and_column)
{
	struct ct_err e = CT_ERR_INIT;

	cr_assert_eq(
	    parse_error(
		"{\n  \"x-contract\": {\"name\": \"n\" \"version\": 1}\n}", &e),
	    CT_EPARSE);
	cr_assert_eq(e.line, 2);
	cr_assert_eq(e.col, 30);
	cr_assert_str_eq(e.msg, "expected ',' or '}'");
}

Test(contract, a_document_that_is_not_a_contract)
{
	struct ct_err e = CT_ERR_INIT;

	cr_assert_eq(
	    parse_error("{\"name\": \"pkg\", \"version\": \"1.0\"}", &e),
	    CT_EINVAL);
	cr_assert_str_eq(e.msg,
			 "not a valid contract: /: unknown key \"name\"");
	cr_assert_eq(parse_error("{}", &e), CT_EINVAL);
	cr_assert_str_eq(
	    e.msg,
	    "not a valid contract: /: missing key \"x-contract\": this is not a contract document");
	cr_assert_eq(parse_error("[1, 2]", &e), CT_EINVAL);
	cr_assert_str_eq(
	    e.msg,
	    "not a valid contract: a contract document is a JSON object");
}

Test(contract, names_the_wrong_key_and_its_line)
{
	struct ct_err e = CT_ERR_INIT;

	cr_assert_eq(
	    parse_error("{\"x-contract\": {\"name\": \"n\", \"version\": 1},\n"
			"\"$defs\": {\"M\": {\"type\": \"object\",\n"
			"  \"properties\": {\"a\": {\"tpye\": \"string\"}}}}}",
			&e),
	    CT_EINVAL);
	cr_assert_str_eq(
	    e.msg,
	    "not a valid contract: /$defs/M/properties/a/tpye: unknown key \"tpye\"");
	cr_assert_eq(e.line, 3);
	cr_assert_eq(e.col, 32); /* the value of the misspelt key */
}

Test(contract, rejects_bad_metadata)
{
	struct ct_err e = CT_ERR_INIT;

	cr_assert_eq(
	    parse_error("{\"x-contract\": {\"name\": \"n\", \"version\": 2}}",
			&e),
	    CT_EINVAL);
	cr_assert_str_eq(
	    e.msg,
	    "not a valid contract: /x-contract/version: format version must be 1");
	cr_assert_eq(parse_error("{\"x-contract\": {\"version\": 1}}", &e),
		     CT_EINVAL);
	cr_assert_str_eq(
	    e.msg, "not a valid contract: /x-contract: missing key \"name\"");
	cr_assert_eq(
	    parse_error(
		"{\"x-contract\": {\"name\": \"n\", \"version\": 1, \"direction\": \"up\"}}",
		&e),
	    CT_EINVAL);
	cr_assert_eq(
	    parse_error(
		"{\"x-contract\": {\"name\": \"n\", \"version\": 1}, \"x-routes\": [{\"method\": \"GRAB\", \"path\": \"/x\"}]}",
		&e),
	    CT_EINVAL);
	cr_assert_str_eq(
	    e.msg,
	    "not a valid contract: /x-routes/0: unknown method \"GRAB\"");
}

Test(contract, rejects_a_ref_to_a_missing_shape)
{
	struct ct_err e = CT_ERR_INIT;

	cr_assert_eq(
	    parse_error(
		"{\"x-contract\": {\"name\": \"n\", \"version\": 1},\n"
		"\"$defs\": {\"M\": {\"type\": \"object\", \"properties\": {\n"
		"\"e\": {\"$ref\": \"#/$defs/Gone\"}}}}}",
		&e),
	    CT_EINVAL);
	cr_assert_str_eq(
	    e.msg,
	    "not a valid contract: /$defs/M/properties/e/$ref: $ref to missing shape \"Gone\"");
	cr_assert_eq(e.line, 3);
}

Test(contract, rejects_duplicate_enum_values)
{
	struct ct_err e = CT_ERR_INIT;

	cr_assert_eq(
	    parse_error(
		"{\"x-contract\": {\"name\": \"n\", \"version\": 1},\n"
		"\"$defs\": {\"E\": {\"type\": \"string\", \"enum\": [\"a\", \"b\", \"a\"]}}}",
		&e),
	    CT_EINVAL);
	cr_assert_str_eq(
	    e.msg,
	    "not a valid contract: /$defs/E/enum: duplicate enum value \"a\"");
	cr_assert_eq(e.line, 2);
}

Test(contract, rejects_duplicates_in_events_lists_and_shapes)
{
	struct ct_err e = CT_ERR_INIT;

	cr_assert_eq(
	    parse_error(
		"{\"x-contract\": {\"name\": \"n\", \"version\": 1}, \"x-events\": [\"a\", \"a\"]}",
		&e),
	    CT_EINVAL);
	cr_assert_str_eq(
	    e.msg, "not a valid contract: /x-events: duplicate event \"a\"");
	cr_assert_eq(
	    parse_error(
		"{\"x-contract\": {\"name\": \"n\", \"version\": 1}, \"x-lists\": {\"f\": [\"a\", 1]}}",
		&e),
	    CT_EINVAL);
	cr_assert_str_eq(
	    e.msg, "not a valid contract: /x-lists/f: item 1 is not a string");
	cr_assert_eq(
	    parse_error(
		"{\"x-contract\": {\"name\": \"n\", \"version\": 1},\n\"$defs\": {\"A\": {},\n\"A\": {}}}",
		&e),
	    CT_EINVAL);
	cr_assert_str_eq(
	    e.msg, "not a valid contract: /$defs: shape \"A\" defined twice");
	cr_assert_eq(e.line, 3);
}

/* Security probe: "x-lists": 1 went on into the members of a number. */
Test(contract, top_level_members_of_the_wrong_type_are_errors)
{
	static const struct {
		const char *doc, *msg;
		unsigned col;
	} cases[] = {
	    {"{\"x-lists\": 1}", "/x-lists: must be an object", 13},
	    {"{\"x-lists\": [1]}", "/x-lists: must be an object", 13},
	    {"{\"x-lists\": null}", "/x-lists: must be an object", 13},
	    {"{\"x-events\": {}}", "/x-events: must be an array of strings",
	     14},
	    {"{\"x-routes\": \"a\"}", "/x-routes: must be an array", 14},
	    {"{\"x-contract\": []}", "/x-contract: must be an object", 16},
	    {"{\"$defs\": [1]}", "/$defs: must be an object", 11},
	    {"{\"$schema\": 1}", "/: \"$schema\" must be a string", 13},
	    {"{\"title\": {}}", "/: \"title\" must be a string", 11},
	    {"{\"x-list\": {}}", "/: unknown key \"x-list\"", 12},
	};
	char want[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct ct_err e = CT_ERR_INIT;
		cr_assert_eq(parse_error(cases[i].doc, &e), CT_EINVAL, "%s",
			     cases[i].doc);
		snprintf(want, sizeof(want), "not a valid contract: %s",
			 cases[i].msg);
		cr_assert_str_eq(e.msg, want);
		cr_assert_eq(e.line, 1, "%s", cases[i].doc);
		cr_assert_eq(e.col, cases[i].col, "%s", cases[i].doc);
	}
}

Test(contract, rejects_required_names_that_are_not_properties)
{
	struct ct_err e = CT_ERR_INIT;

	cr_assert_eq(
	    parse_error(
		"{\"x-contract\": {\"name\": \"n\", \"version\": 1},\n"
		"\"$defs\": {\"M\": {\"properties\": {\"a\": {}}, \"required\": [\"b\"]}}}",
		&e),
	    CT_EINVAL);
	cr_assert_str_eq(
	    e.msg,
	    "not a valid contract: /$defs/M/required: required property \"b\" is not in properties");
}

Test(contract, empty_file_directory_and_missing_file)
{
	struct ct_contract *c = NULL;
	struct ct_err e = CT_ERR_INIT;

	cr_assert_eq(parse_error("", &e), CT_EPARSE);
	cr_assert_str_eq(e.msg, "empty document");
	cr_assert_eq(ct_contract_load(&c, CT_FIXTURES, 0, &e), CT_EIO);
	cr_assert_str_eq(e.msg, "is a directory, not a file");
	cr_assert_eq(ct_contract_load(&c, CT_FIXTURES "/nope.json", 0, &e),
		     CT_ENOTFOUND);
	cr_assert_null(c);
}

Test(contract, nesting_ten_thousand_deep_is_an_error_not_a_crash, .timeout = 10)
{
	struct ct_err e = CT_ERR_INIT;
	struct ct_buf b = CT_BUF_INIT;

	ct_buf_adds(
	    &b,
	    "{\"x-contract\": {\"name\": \"n\", \"version\": 1}, \"$defs\": {\"A\": ");
	for (int i = 0; i < 10000; i++)
		ct_buf_adds(&b, "{\"items\": ");
	ct_buf_adds(&b, "{}");
	for (int i = 0; i < 10000; i++)
		ct_buf_addch(&b, '}');
	ct_buf_adds(&b, "}}");
	cr_assert_eq(parse_error(b.ptr, &e), CT_EPARSE);
	cr_assert_str_eq(e.msg, "nesting deeper than 64 levels");
	ct_buf_release(&b);
}

Test(contract, a_file_over_the_limit_is_refused, .timeout = 10)
{
	struct ct_contract *c = NULL;
	struct ct_err e = CT_ERR_INIT;
	char path[] = "/tmp/ct-big-XXXXXX";
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, (off_t)100 << 20), 0);
	close(fd);
	cr_assert_eq(ct_contract_load(&c, path, 0, &e), CT_ETOOBIG);
	cr_assert_str_eq(e.path, path);
	unlink(path);
}

/* Security probe: a contract with a UTF-8 byte-order mark was refused. */
Test(contract, a_byte_order_mark_is_skipped)
{
	struct ct_err e = CT_ERR_INIT;

	cr_assert_eq(
	    parse_error("\xef\xbb\xbf{\"x-contract\": {\"name\": \"n\", "
			"\"version\": 1}}",
			&e),
	    0, "%s", e.msg);
	cr_assert_eq(parse_error("\xef\xbb\xbf{\"x-lists\": 1}", &e),
		     CT_EINVAL);
	cr_assert_eq(e.line, 1);
	cr_assert_eq(e.col, 13);
}

/* AddressSanitizer (scripts/test --sanitize, unoptimized) slows every
 * allocation and strcmp several times over. */
#if defined(__SANITIZE_ADDRESS__)
#define TIME_SCALE 4
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TIME_SCALE 4
#endif
#endif
#ifndef TIME_SCALE
#define TIME_SCALE 1
#endif

/* Security probe: every lookup sorted all shapes, so `py models` on 8,000
 * classes took 21 s. */
Test(contract, shape_find_fifty_thousand_shapes_in_under_a_second,
     .timeout = 1 * TIME_SCALE)
{
	struct ct_contract *c = ct_contract_new("many", CT_DIR_EXACT);
	struct ct_origin o = {"backend", "c0ffee", "models.py", 0}, at;
	char name[32];
	const size_t n = 50000;
	size_t wrong = 0; /* counted, not asserted: an assertion costs more */

	for (size_t i = 0; i < n; i++) {
		/* descending names, so no order falls out of the adding */
		snprintf(name, sizeof(name), "Shape%06zu", n - i);
		wrong += ct_contract_shape_find(c, name) != -1;
		o.line = (unsigned)(n - i);
		ct_contract_add_shape(c, name, json_object_new_object(), &o);
		/* positions are those of the sorted order, at every step */
		wrong += ct_contract_shape_find(c, name) != 0;
		wrong += ct_contract_shape_find(c, "Shape050000") != (long)i;
	}
	cr_assert_eq(wrong, 0);
	/* adding a name again replaces its shape */
	ct_contract_add_shape(c, "Shape000007", json_object_new_object(), NULL);
	cr_assert_eq(ct_contract_shape_count(c), n);
	cr_assert_str_eq(ct_contract_shape_name(c, 0), "Shape000001");
	for (size_t i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "Shape%06zu", i + 1);
		wrong += ct_contract_shape_find(c, name) != (long)i;
	}
	cr_assert_eq(wrong, 0);
	ct_contract_add_shape(c, "Extra", json_object_new_object(), NULL);
	cr_assert_eq(ct_contract_shape_find(c, "Extra"), 0);
	cr_assert_eq(ct_contract_shape_find(c, "Shape000002"), 2);
	cr_assert_eq(ct_contract_shape_find(c, "Nope"), -1);
	ct_contract_origin(&at, c, "/$defs/Shape000123/properties");
	cr_assert_eq(at.line, 123);
	ct_contract_free(c);
}

Test(contract, parses_directions)
{
	enum ct_direction d;

	cr_assert_eq(ct_direction_parse(&d, "superset"), 0);
	cr_assert_eq(d, CT_DIR_SUPERSET);
	cr_assert_str_eq(ct_direction_name(CT_DIR_CONSUMER_TO_PROVIDER),
			 "consumer-to-provider");
	cr_assert_eq(ct_direction_parse(&d, "sideways"), CT_EINVAL);
}

/* The limits of docs/limits.md, at the limit and one past it. */
static int doc_of(struct ct_buf *b, struct ct_err *e)
{
	return parse_error(b->ptr, e);
}

static void shapes_doc(struct ct_buf *b, int n)
{
	ct_buf_reset(b);
	ct_buf_adds(b, "{\"x-contract\": {\"name\": \"t\", \"version\": 1}, "
		       "\"$defs\": {");
	for (int i = 0; i < n; i++)
		ct_buf_addf(b, "%s\"S%d\": {\"type\": \"string\"}",
			    i ? "," : "", i);
	ct_buf_adds(b, "}}");
}

static void props_doc(struct ct_buf *b, int n)
{
	ct_buf_reset(b);
	ct_buf_adds(b, "{\"x-contract\": {\"name\": \"t\", \"version\": 1}, "
		       "\"$defs\": {\"M\": {\"properties\": {");
	for (int i = 0; i < n; i++)
		ct_buf_addf(b, "%s\"p%d\": {}", i ? "," : "", i);
	ct_buf_adds(b, "}}}}");
}

static void routes_doc(struct ct_buf *b, int n)
{
	ct_buf_reset(b);
	ct_buf_adds(b, "{\"x-contract\": {\"name\": \"t\", \"version\": 1}, "
		       "\"x-routes\": [");
	for (int i = 0; i < n; i++)
		ct_buf_addf(b, "%s{\"method\": \"GET\", \"path\": \"/r/%d\"}",
			    i ? "," : "", i);
	ct_buf_adds(b, "]}");
}

static void events_doc(struct ct_buf *b, int n)
{
	ct_buf_reset(b);
	ct_buf_adds(b, "{\"x-contract\": {\"name\": \"t\", \"version\": 1}, "
		       "\"x-events\": [");
	for (int i = 0; i < n; i++)
		ct_buf_addf(b, "%s\"e%d\"", i ? "," : "", i);
	ct_buf_adds(b, "]}");
}

Test(contract, limits_hold_at_the_limit_and_refuse_one_past, .timeout = 60)
{
	static const struct {
		void (*make)(struct ct_buf *, int);
		int limit;
		const char *says;
	} rows[] = {
	    {shapes_doc, CT_MAX_SHAPES, "more than 100000 shapes"},
	    {props_doc, CT_MAX_PROPERTIES, "more than 10000 properties"},
	    {routes_doc, CT_MAX_ROUTES, "more than 100000 routes"},
	    {events_doc, CT_MAX_ITEMS, "more than 100000 events"},
	};
	struct ct_buf b = CT_BUF_INIT;

	for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
		struct ct_err e = CT_ERR_INIT;
		rows[i].make(&b, rows[i].limit);
		cr_assert_eq(doc_of(&b, &e), 0, "%s at the limit: %s",
			     rows[i].says, e.msg);
		rows[i].make(&b, rows[i].limit + 1);
		cr_assert_eq(doc_of(&b, &e), CT_EINVAL, "%s", rows[i].says);
		cr_assert(strstr(e.msg, rows[i].says), "%s: got %s",
			  rows[i].says, e.msg);
	}
	ct_buf_release(&b);
}
