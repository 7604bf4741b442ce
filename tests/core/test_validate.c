#include "helpers.h"

#include <json-c/json.h>
#include <stdio.h>

#include "contracts/validate.h"

/* One keyword behaviour: a schema (the root document for $ref), an
 * instance, and the violations wanted: none, or how many and the first. */
struct row {
	const char *name, *schema, *instance;
	size_t n;
	const char *pointer, *schema_pointer, *message;
};

#define VALID(name, schema, instance)                                          \
	{                                                                      \
		name, schema, instance, 0, NULL, NULL, NULL                    \
	}

static const struct row rows[] = {
    /* type */
    VALID("integer accepts 3", "{\"type\": \"integer\"}", "3"),
    VALID("integer accepts 3.0", "{\"type\": \"integer\"}", "3.0"),
    VALID("integer accepts 1e2", "{\"type\": \"integer\"}", "1e2"),
    VALID("integer accepts -0", "{\"type\": \"integer\"}", "-0"),
    {"integer refuses 3.5", "{\"type\": \"integer\"}", "3.5", 1, "", "/type",
     "3.5 is not an integer"},
    {"integer refuses a string", "{\"type\": \"integer\"}", "\"3\"", 1, "",
     "/type", "\"3\" is not an integer"},
    VALID("number accepts an integer", "{\"type\": \"number\"}", "3"),
    VALID("number accepts 3.5", "{\"type\": \"number\"}", "3.5"),
    {"number refuses true", "{\"type\": \"number\"}", "true", 1, "", "/type",
     "true is not a number"},
    VALID("string accepts a string", "{\"type\": \"string\"}", "\"x\""),
    {"string refuses null", "{\"type\": \"string\"}", "null", 1, "", "/type",
     "null is not a string"},
    {"boolean refuses 0", "{\"type\": \"boolean\"}", "0", 1, "", "/type",
     "0 is not a boolean"},
    VALID("null accepts null", "{\"type\": \"null\"}", "null"),
    {"null refuses false", "{\"type\": \"null\"}", "false", 1, "", "/type",
     "false is not null"},
    {"object refuses an array", "{\"type\": \"object\"}", "[]", 1, "", "/type",
     "an array is not an object"},
    {"array refuses an object", "{\"type\": \"array\"}", "{}", 1, "", "/type",
     "an object is not an array"},
    VALID("a type list accepts any of its types",
	  "{\"type\": [\"string\", \"null\"]}", "null"),
    {"a type list names every type it wanted",
     "{\"type\": [\"string\", \"integer\", \"null\"]}", "1.5", 1, "", "/type",
     "1.5 is not a string, an integer or null"},
    {"a long string is cut in messages", "{\"type\": \"integer\"}",
     "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"", 1, "", "/type",
     "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\" is not an integer"},

    /* enum */
    VALID("enum accepts a member", "{\"enum\": [\"a\", \"b\"]}", "\"b\""),
    {"enum refuses a stranger", "{\"enum\": [\"a\", \"b\"]}", "\"c\"", 1, "",
     "/enum", "\"c\" is not one of \"a\", \"b\""},
    VALID("enum: 1.0 equals 1", "{\"enum\": [1]}", "1.0"),
    VALID("enum: 1 equals 1.0", "{\"enum\": [1.0]}", "1"),
    VALID("enum compares arrays and objects deeply",
	  "{\"enum\": [{\"a\": [1, null]}]}", "{\"a\": [1.0, null]}"),
    VALID("enum accepts null", "{\"enum\": [null, \"x\"]}", "null"),
    {"enum: the string \"1\" is not 1", "{\"enum\": [\"1\"]}", "1", 1, "",
     "/enum", "1 is not one of \"1\""},
    {"enum: true is not 1", "{\"enum\": [1]}", "true", 1, "", "/enum",
     "true is not one of 1"},
    {"enum: 1.5 is not 1", "{\"enum\": [1]}", "1.5", 1, "", "/enum",
     "1.5 is not one of 1"},
    {"enum: an object with a key more is another value",
     "{\"enum\": [{\"a\": 1}]}", "{\"a\": 1, \"b\": 2}", 1, "", "/enum",
     "an object is not one of an object"},
    {"enum with type: both keywords report",
     "{\"type\": \"string\", \"enum\": [\"a\"]}", "5", 2, "", "/type",
     "5 is not a string"},

    /* required */
    VALID("required: present names pass",
	  "{\"required\": [\"id\"], \"properties\": {\"id\": {}}}",
	  "{\"id\": null}"),
    {"required: a missing name is a violation at the object",
     "{\"required\": [\"id\", \"name\"]}", "{\"id\": 1}", 1, "", "/required",
     "missing required property \"name\""},
    {"required: every missing name is listed", "{\"required\": [\"a\", \"b\"]}",
     "{}", 2, "", "/required", "missing required property \"a\""},
    VALID("required applies to objects only", "{\"required\": [\"a\"]}", "5"),

    /* properties */
    {"properties: a member of the wrong type",
     "{\"properties\": {\"a\": {\"type\": \"string\"}}}", "{\"a\": 1}", 1, "/a",
     "/properties/a/type", "1 is not a string"},
    VALID("properties: an absent member is not checked",
	  "{\"properties\": {\"a\": {\"type\": \"string\"}}}", "{}"),
    VALID("properties apply to objects only",
	  "{\"properties\": {\"a\": {\"type\": \"string\"}}}", "[1]"),
    {"properties: pointers escape ~ and /",
     "{\"properties\": {\"a/b~c\": {\"type\": \"string\"}}}", "{\"a/b~c\": 1}",
     1, "/a~1b~0c", "/properties/a~1b~0c/type", "1 is not a string"},

    /* additionalProperties */
    VALID("additionalProperties absent allows unknown keys",
	  "{\"properties\": {\"a\": {}}}", "{\"a\": 1, \"b\": 2}"),
    VALID("additionalProperties true allows unknown keys",
	  "{\"properties\": {\"a\": {}}, \"additionalProperties\": true}",
	  "{\"b\": 2}"),
    {"additionalProperties false refuses unknown keys",
     "{\"properties\": {\"a\": {}}, \"additionalProperties\": false}",
     "{\"a\": 1, \"b\": 2}", 1, "/b", "/additionalProperties",
     "property \"b\" is not allowed"},
    VALID("additionalProperties false allows declared keys",
	  "{\"properties\": {\"a\": {}}, \"additionalProperties\": false}",
	  "{\"a\": 1}"),
    {"additionalProperties as a schema checks map values",
     "{\"additionalProperties\": {\"type\": \"integer\"}}",
     "{\"a\": 1, \"b\": \"x\"}", 1, "/b", "/additionalProperties/type",
     "\"x\" is not an integer"},

    /* items */
    {"items: each item is checked", "{\"items\": {\"type\": \"integer\"}}",
     "[1, \"x\", 2]", 1, "/1", "/items/type", "\"x\" is not an integer"},
    VALID("items: an empty array passes",
	  "{\"items\": {\"type\": \"integer\"}}", "[]"),
    VALID("items apply to arrays only", "{\"items\": {\"type\": \"integer\"}}",
	  "\"x\""),

    /* anyOf */
    VALID("anyOf: the first branch suffices",
	  "{\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}]}",
	  "\"x\""),
    VALID("anyOf: the last branch suffices",
	  "{\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}]}",
	  "null"),
    {"anyOf: no branch sums up each refusal",
     "{\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}]}", "1", 1, "",
     "/anyOf",
     "1 matches no alternative of anyOf: 1 is not a string; 1 is not null"},
    {"anyOf: the branch whose type matched reports its members",
     "{\"anyOf\": [{\"properties\": {\"x\": {\"type\": \"number\"}}, "
     "\"type\": \"object\"}, {\"type\": \"null\"}]}",
     "{\"x\": \"no\"}", 1, "/x", "/anyOf/0/properties/x/type",
     "\"no\" is not a number"},

    /* $ref */
    VALID("$ref follows into $defs",
	  "{\"$defs\": {\"A\": {\"type\": \"string\"}}, \"$ref\": "
	  "\"#/$defs/A\"}",
	  "\"x\""),
    {"$ref: schema pointers lead into $defs",
     "{\"$defs\": {\"A\": {\"type\": \"string\"}}, \"$ref\": \"#/$defs/A\"}",
     "1", 1, "", "/$defs/A/type", "1 is not a string"},
    {"$ref applies beside its sibling keywords",
     "{\"$defs\": {\"A\": {\"type\": \"string\"}}, \"$ref\": \"#/$defs/A\", "
     "\"enum\": [\"a\"]}",
     "\"b\"", 1, "", "/enum", "\"b\" is not one of \"a\""},

    /* schemas that accept anything */
    VALID("{} accepts anything", "{}", "{\"a\": [1, null]}"),
    VALID("annotations accept anything",
	  "{\"description\": \"d\", \"title\": \"t\", \"default\": 1, "
	  "\"x-annotation\": \"Callable[[], int]\", \"x-field-name\": \"f\"}",
	  "[true]"),
    {"false refuses everything", "{\"items\": false}", "[1]", 1, "/0", "/items",
     "1 is not allowed: the schema is false"},
};

static void check_row(const struct row *r)
{
	struct ct_violations vs = CT_VIOLATIONS_INIT;
	struct ct_err e = CT_ERR_INIT;
	json_object *schema = json_tokener_parse(r->schema);
	json_object *inst = json_tokener_parse(r->instance);

	cr_assert(schema, "%s: the schema does not parse", r->name);
	cr_assert_eq(ct_validate_schema(&vs, NULL, schema, inst, &e), 0,
		     "%s: %s", r->name, e.msg);
	cr_expect_eq(vs.n, r->n, "%s: %zu violations, wanted %zu%s%s", r->name,
		     vs.n, r->n, vs.n ? "; first: " : "",
		     vs.n ? vs.v[0].message : "");
	if (r->n && vs.n) {
		cr_expect_str_eq(vs.v[0].pointer, r->pointer, "%s", r->name);
		cr_expect_str_eq(vs.v[0].schema_pointer, r->schema_pointer,
				 "%s", r->name);
		cr_expect_str_eq(vs.v[0].message, r->message, "%s", r->name);
	}
	ct_violations_release(&vs);
	json_object_put(schema);
	json_object_put(inst);
}

/* One table, one row per keyword behaviour; a failure names its row. */
Test(validate, each_keyword_behaves_as_in_json_schema)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++)
		check_row(&rows[i]);
}

/* ---- against contract documents ----------------------------------------- */

static const char *defs =
    "{\"Item\": {\"type\": \"object\", \"properties\": {"
    "\"count\": {\"type\": \"integer\"},"
    "\"kind\": {\"$ref\": \"#/$defs/Kind\"},"
    "\"meta\": {\"anyOf\": [{\"$ref\": \"#/$defs/Meta\"}, "
    "{\"type\": \"null\"}], \"default\": null}},"
    "\"required\": [\"count\"], \"additionalProperties\": false},"
    "\"Kind\": {\"type\": \"string\", \"enum\": [\"a\", \"b\"]},"
    "\"Meta\": {\"type\": \"object\", \"properties\": "
    "{\"x\": {\"type\": \"number\"}}},"
    "\"Tree\": {\"type\": \"object\", \"properties\": {"
    "\"children\": {\"type\": \"array\", \"items\": "
    "{\"$ref\": \"#/$defs/Tree\"}}}}}";

static int run_text(struct ct_violations *vs, struct ct_contract *c,
		    const char *shape, const char *text)
{
	struct ct_err e = CT_ERR_INIT;
	int rc =
	    ct_validate_text(vs, c, shape, text, strlen(text), "t.json", &e);

	cr_assert_eq(rc, 0, "%s", e.msg);
	return (int)vs->n;
}

Test(validate, lists_every_violation_in_schema_order)
{
	struct ct_contract *c = doc_with("d.json", defs, NULL);
	struct ct_violations vs = CT_VIOLATIONS_INIT;

	cr_assert_eq(run_text(&vs, c, "Item",
			      "{\"extra\": 1, \"meta\": {\"x\": \"no\"}, "
			      "\"count\": 3.5, \"kind\": \"c\"}"),
		     4);
	cr_expect_str_eq(vs.v[0].pointer, "/count");
	cr_expect_str_eq(vs.v[0].schema_pointer,
			 "/$defs/Item/properties/count/type");
	cr_expect_str_eq(vs.v[0].message, "3.5 is not an integer");
	cr_expect_str_eq(vs.v[1].pointer, "/kind");
	cr_expect_str_eq(vs.v[1].schema_pointer, "/$defs/Kind/enum");
	cr_expect_str_eq(vs.v[2].pointer, "/meta/x");
	cr_expect_str_eq(vs.v[2].schema_pointer,
			 "/$defs/Meta/properties/x/type");
	cr_expect_str_eq(vs.v[3].pointer, "/extra");
	cr_expect_str_eq(vs.v[3].message, "property \"extra\" is not allowed");
	ct_violations_release(&vs);
	ct_contract_free(c);
}

Test(validate, accepts_a_valid_instance_of_a_shape)
{
	struct ct_contract *c = doc_with("d.json", defs, NULL);
	struct ct_violations vs = CT_VIOLATIONS_INIT;

	cr_expect_eq(
	    run_text(&vs, c, "Item",
		     "{\"count\": 3.0, \"kind\": \"a\", \"meta\": null}"),
	    0);
	cr_expect_eq(run_text(&vs, c, "Kind", "\"b\""), 0);
	ct_violations_release(&vs);
	ct_contract_free(c);
}

Test(validate, follows_a_recursive_shape)
{
	struct ct_contract *c = doc_with("d.json", defs, NULL);
	struct ct_violations vs = CT_VIOLATIONS_INIT;

	cr_expect_eq(run_text(&vs, c, "Tree",
			      "{\"children\": [{\"children\": []}, "
			      "{\"children\": [{}]}]}"),
		     0);
	cr_assert_eq(run_text(&vs, c, "Tree",
			      "{\"children\": [{}, {\"children\": "
			      "[{\"children\": 5}]}]}"),
		     1);
	cr_expect_str_eq(vs.v[0].pointer, "/children/1/children/0/children");
	cr_expect_str_eq(vs.v[0].schema_pointer,
			 "/$defs/Tree/properties/children/type");
	cr_expect_str_eq(vs.v[0].message, "5 is not an array");
	ct_violations_release(&vs);
	ct_contract_free(c);
}

/* {"children": [ ... ]} nested `depth` times. */
static void nested_tree(struct ct_buf *b, int depth)
{
	for (int i = 0; i < depth; i++)
		ct_buf_adds(b, "{\"children\": [");
	ct_buf_adds(b, "{}");
	for (int i = 0; i < depth; i++)
		ct_buf_adds(b, "]}");
}

Test(validate, a_recursive_shape_nested_within_the_limit_passes)
{
	struct ct_contract *c = doc_with("d.json", defs, NULL);
	struct ct_violations vs = CT_VIOLATIONS_INIT;
	struct ct_buf b = CT_BUF_INIT;

	nested_tree(&b, CT_VALIDATE_MAX_DEPTH);
	cr_expect_eq(run_text(&vs, c, "Tree", b.ptr), 0);
	ct_buf_release(&b);
	ct_violations_release(&vs);
	ct_contract_free(c);
}

Test(validate, nesting_past_the_ref_limit_is_a_violation, .timeout = 30)
{
	struct ct_contract *c = doc_with("d.json", defs, NULL);
	struct ct_violations vs = CT_VIOLATIONS_INIT;
	struct ct_buf b = CT_BUF_INIT;

	nested_tree(&b, 100);
	cr_assert_eq(run_text(&vs, c, "Tree", b.ptr), 1);
	cr_expect(strstr(vs.v[0].message, "nested deeper than 64 levels"), "%s",
		  vs.v[0].message);
	cr_expect_str_eq(vs.v[0].schema_pointer,
			 "/$defs/Tree/properties/children/items/$ref");
	/* the 65th level of /children/0 is one $ref too many */
	cr_expect_eq(strlen(vs.v[0].pointer), 65 * strlen("/children/0"));
	ct_buf_release(&b);
	ct_violations_release(&vs);
	ct_contract_free(c);
}

Test(validate, a_ref_that_loops_without_progress_is_a_violation, .timeout = 30)
{
	struct ct_violations vs = CT_VIOLATIONS_INIT;
	struct ct_err e = CT_ERR_INIT;
	json_object *s = json_tokener_parse(
	    "{\"$defs\": {\"A\": {\"$ref\": \"#/$defs/B\"}, \"B\": {\"anyOf\": "
	    "[{\"$ref\": \"#/$defs/A\"}, {\"$ref\": \"#/$defs/A\"}]}}, "
	    "\"$ref\": \"#/$defs/A\"}");

	cr_assert_eq(ct_validate_schema(&vs, NULL, s, NULL, &e), 0, "%s",
		     e.msg);
	cr_assert_eq(vs.n, 1);
	cr_expect(strstr(vs.v[0].message, "loops back to itself"), "%s",
		  vs.v[0].message);
	ct_violations_release(&vs);
	json_object_put(s);
}

Test(validate, duplicate_branches_over_a_recursive_shape_end_in_an_error,
     .timeout = 60)
{
	struct ct_violations vs = CT_VIOLATIONS_INIT;
	struct ct_err e = CT_ERR_INIT;
	struct ct_buf b = CT_BUF_INIT;
	json_object *s = json_tokener_parse(
	    "{\"$defs\": {\"T\": {\"type\": \"object\", \"properties\": {\"c\": "
	    "{\"anyOf\": [{\"$ref\": \"#/$defs/T\"}, {\"$ref\": "
	    "\"#/$defs/T\"}]}}}}, \"$ref\": \"#/$defs/T\"}");
	json_object *inst;
	struct json_tokener *tok = json_tokener_new_ex(200);

	/* 2^60 ways to fail at the bottom */
	for (int i = 0; i < 60; i++)
		ct_buf_adds(&b, "{\"c\": ");
	ct_buf_adds(&b, "5");
	for (int i = 0; i < 60; i++)
		ct_buf_adds(&b, "}");
	inst = json_tokener_parse_ex(tok, b.ptr, (int)b.len + 1);
	cr_assert(inst);
	cr_expect_eq(ct_validate_schema(&vs, NULL, s, inst, &e), CT_ETOOBIG);
	cr_expect(strstr(e.msg, "steps"), "%s", e.msg);
	ct_violations_release(&vs);
	ct_buf_release(&b);
	json_object_put(inst);
	json_object_put(s);
	json_tokener_free(tok);
}

/* ---- errors -------------------------------------------------------------- */

Test(validate, an_unknown_shape_is_not_found)
{
	struct ct_contract *c = doc_with("d.json", defs, NULL);
	struct ct_violations vs = CT_VIOLATIONS_INIT;
	struct ct_err e = CT_ERR_INIT;

	cr_expect_eq(ct_validate(&vs, c, "Nope", NULL, &e), CT_ENOTFOUND);
	cr_expect_str_eq(e.msg, "unknown shape \"Nope\"");
	ct_contract_free(c);
}

Test(validate, text_that_is_not_json_names_line_and_column)
{
	struct ct_contract *c = doc_with("d.json", defs, NULL);
	struct ct_violations vs = CT_VIOLATIONS_INIT;
	struct ct_err e = CT_ERR_INIT;
	const char *text = "{\"count\": 1,\n  \"kind\": }";

	cr_expect_eq(ct_validate_text(&vs, c, "Item", text, strlen(text),
				      "bad.json", &e),
		     CT_EPARSE);
	cr_expect_str_eq(e.path, "bad.json");
	cr_expect_eq(e.line, 2);
	cr_expect_eq(e.col, 11);
	cr_expect_eq(vs.n, 0);
	ct_contract_free(c);
}

Test(validate, text_may_be_any_json_value)
{
	struct ct_contract *c = doc_with(
	    "d.json", "{\"N\": {\"type\": [\"integer\", \"null\"]}}", NULL);
	struct ct_violations vs = CT_VIOLATIONS_INIT;

	cr_expect_eq(run_text(&vs, c, "N", "null"), 0);
	cr_expect_eq(run_text(&vs, c, "N", " 42 \n"), 0);
	cr_expect_eq(run_text(&vs, c, "N", "4.5"), 1);
	ct_violations_release(&vs);
	ct_contract_free(c);
}

Test(validate, a_schema_keyword_of_the_wrong_form_is_an_error)
{
	static const char *bad[] = {
	    "{\"type\": 5}",
	    "{\"type\": \"float\"}",
	    "{\"type\": []}",
	    "{\"enum\": \"a\"}",
	    "{\"required\": [1]}",
	    "{\"properties\": []}",
	    "{\"anyOf\": []}",
	    "{\"items\": 3}",
	    "{\"$ref\": \"other.json#/x\"}",
	};
	json_object *inst = json_tokener_parse("[{\"a\": 1}]");

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct ct_violations vs = CT_VIOLATIONS_INIT;
		struct ct_err e = CT_ERR_INIT;
		json_object *s = json_tokener_parse(bad[i]);
		json_object *v =
		    strstr(bad[i], "required") || strstr(bad[i], "properties")
			? json_object_array_get_idx(inst, 0)
			: inst;
		cr_expect_eq(ct_validate_schema(&vs, NULL, s, v, &e), CT_EINVAL,
			     "%s", bad[i]);
		cr_expect(strstr(e.msg, "invalid schema"), "%s: %s", bad[i],
			  e.msg);
		ct_violations_release(&vs);
		json_object_put(s);
	}
	json_object_put(inst);
}

Test(validate, a_ref_to_a_missing_shape_is_not_found)
{
	struct ct_violations vs = CT_VIOLATIONS_INIT;
	struct ct_err e = CT_ERR_INIT;
	json_object *s = json_tokener_parse("{\"$ref\": \"#/$defs/Gone\"}");

	cr_expect_eq(ct_validate_schema(&vs, NULL, s, NULL, &e), CT_ENOTFOUND);
	cr_expect_str_eq(e.msg, "$ref to missing shape \"Gone\"");
	json_object_put(s);
}

Test(validate, a_direct_schema_resolves_refs_in_a_document)
{
	struct ct_contract *c = doc_with("d.json", defs, NULL);
	struct ct_violations vs = CT_VIOLATIONS_INIT;
	struct ct_err e = CT_ERR_INIT;
	json_object *s = json_tokener_parse(
	    "{\"type\": \"array\", \"items\": {\"$ref\": \"#/$defs/Kind\"}}");
	json_object *inst = json_tokener_parse("[\"a\", \"z\"]");

	cr_assert_eq(ct_validate_schema(&vs, c, s, inst, &e), 0, "%s", e.msg);
	cr_assert_eq(vs.n, 1);
	cr_expect_str_eq(vs.v[0].pointer, "/1");
	cr_expect_str_eq(vs.v[0].schema_pointer, "/$defs/Kind/enum");
	ct_violations_release(&vs);
	json_object_put(s);
	json_object_put(inst);
	ct_contract_free(c);
}

/* ---- many instances, one process ----------------------------------------- */

Test(validate, checks_thousands_of_instances_quickly, .timeout = 30)
{
	struct ct_contract *c = doc_with("d.json", defs, NULL);
	struct ct_violations vs = CT_VIOLATIONS_INIT;
	size_t bad = 0;

	for (int i = 0; i < 20000; i++) {
		char text[128];
		struct ct_err e = CT_ERR_INIT;
		snprintf(text, sizeof(text),
			 "{\"count\": %d, \"kind\": \"%s\", \"meta\": %s}", i,
			 i % 100 ? "a" : "q", i % 2 ? "null" : "{\"x\": 1.5}");
		ct_violations_reset(&vs);
		cr_assert_eq(ct_validate_text(&vs, c, "Item", text,
					      strlen(text), NULL, &e),
			     0, "%s", e.msg);
		bad += vs.n;
	}
	cr_expect_eq(bad, 200);
	ct_violations_release(&vs);
	ct_contract_free(c);
}
