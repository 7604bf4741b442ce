#include "helpers.h"

#include <json-c/json.h>
#include <stdio.h>

/* Diffs two $defs texts (plus optional further members) and returns the
 * changes; the caller releases them. */
static struct ct_changes run(enum ct_direction dir, const char *e_defs,
			     const char *e_rest, const char *a_defs,
			     const char *a_rest)
{
	struct ct_contract *e = doc_with("old.json", e_defs, e_rest);
	struct ct_contract *a = doc_with("new.json", a_defs, a_rest);
	struct ct_changes ch = CT_CHANGES_INIT;
	struct ct_err err = CT_ERR_INIT;

	cr_assert_eq(ct_diff(&ch, e, a, dir, &err), 0, "%s", err.msg);
	ct_contract_free(e);
	ct_contract_free(a);
	return ch;
}

static const struct ct_change *only(const struct ct_changes *ch)
{
	cr_assert_eq(ch->n, 1, "expected one change, got %zu", ch->n);
	return &ch->v[0];
}

#define P2C CT_DIR_PROVIDER_TO_CONSUMER
#define C2P CT_DIR_CONSUMER_TO_PROVIDER

Test(diff, identical_documents_have_no_changes)
{
	const char *defs =
	    "{\"E\": {\"type\": \"string\", \"enum\": [\"a\"]}, \"M\": {\"properties\": {\"x\": {\"type\": \"integer\"}}, \"required\": [\"x\"]}}";
	struct ct_changes ch = run(P2C, defs, "\"x-events\": [\"a\"]", defs,
				   "\"x-events\": [\"a\"]");

	cr_assert_eq(ch.n, 0);
	cr_assert_eq(ct_changes_max_severity(&ch), -1);
	ct_changes_release(&ch);
}

Test(diff, enum_value_added_and_removed)
{
	struct ct_changes ch = run(
	    P2C, "{\"E\": {\"type\": \"string\", \"enum\": [\"a\", \"b\"]}}",
	    NULL, "{\"E\": {\"type\": \"string\", \"enum\": [\"a\", \"c\"]}}",
	    NULL);

	cr_assert_eq(ch.n, 2);
	cr_assert_eq(ch.v[0].kind, CT_ENUM_VALUE_REMOVED);
	cr_assert_str_eq(ch.v[0].member, "b");
	cr_assert_str_eq(ch.v[0].pointer, "/$defs/E/enum");
	cr_assert_str_eq(ch.v[0].origin.path, "old.json");
	cr_assert_eq(ch.v[1].kind, CT_ENUM_VALUE_ADDED);
	cr_assert_str_eq(ch.v[1].member, "c");
	cr_assert_str_eq(ch.v[1].origin.path, "new.json");
	cr_assert_eq(ch.v[1].origin.line, 3);
	cr_assert_eq(ch.v[0].severity, CT_SEV_BREAKING);
	cr_assert_eq(ch.v[1].severity, CT_SEV_BREAKING);
	ct_changes_release(&ch);
}

Test(diff, enum_order_alone_is_not_a_change)
{
	struct ct_changes ch =
	    run(P2C, "{\"E\": {\"enum\": [\"a\", \"b\"]}}", NULL,
		"{\"E\": {\"enum\": [\"b\", \"a\"]}}", NULL);

	cr_assert_eq(ch.n, 0);
	ct_changes_release(&ch);
}

Test(diff, superset_lets_the_consumer_list_more_values)
{
	struct ct_changes ch =
	    run(CT_DIR_SUPERSET,
		"{\"DiskFormat\": {\"enum\": [\"raw\", \"qcow2\"]}}", NULL,
		"{\"DiskFormat\": {\"enum\": [\"raw\", \"qcow2\", \"vmdk\"]}}",
		NULL);

	cr_assert_eq(only(&ch)->kind, CT_ENUM_VALUE_ADDED);
	cr_assert_eq(ch.v[0].severity, CT_SEV_INFO);
	ct_changes_release(&ch);
	ch = run(CT_DIR_SUPERSET,
		 "{\"DiskFormat\": {\"enum\": [\"raw\", \"qcow2\"]}}", NULL,
		 "{\"DiskFormat\": {\"enum\": [\"raw\"]}}", NULL);
	cr_assert_eq(only(&ch)->severity, CT_SEV_BREAKING);
	ct_changes_release(&ch);
}

Test(diff, properties_added_and_removed_by_direction)
{
	const char *e =
	    "{\"M\": {\"properties\": {\"a\": {\"type\": \"string\"}, \"b\": {\"type\": \"string\"}}, \"required\": [\"a\"]}}";
	const char *a =
	    "{\"M\": {\"properties\": {\"a\": {\"type\": \"string\"}, \"c\": {\"type\": \"string\"}, \"d\": {\"type\": \"string\"}}, \"required\": [\"a\", \"d\"]}}";
	struct ct_changes ch = run(P2C, e, NULL, a, NULL);

	cr_assert_eq(ch.n, 3);
	cr_assert_eq(ch.v[0].kind, CT_PROPERTY_REMOVED);
	cr_assert_str_eq(ch.v[0].pointer, "/$defs/M/properties/b");
	cr_assert_eq(ch.v[0].severity, CT_SEV_BREAKING);
	cr_assert_eq(ch.v[1].kind, CT_PROPERTY_ADDED);
	cr_assert_str_eq(ch.v[1].member, "c");
	cr_assert_eq(ch.v[1].severity, CT_SEV_INFO);
	cr_assert_eq(ch.v[2].kind, CT_REQUIRED_PROPERTY_ADDED);
	ct_changes_release(&ch);

	ch = run(C2P, e, NULL, a, NULL);
	cr_assert_eq(ch.v[0].severity, CT_SEV_WARNING);	 /* removed */
	cr_assert_eq(ch.v[1].severity, CT_SEV_INFO);	 /* optional added */
	cr_assert_eq(ch.v[2].severity, CT_SEV_BREAKING); /* required added */
	ct_changes_release(&ch);
}

Test(diff, requiredness_changes)
{
	struct ct_changes ch = run(
	    P2C,
	    "{\"M\": {\"properties\": {\"a\": {\"type\": \"string\"}, \"b\": {\"type\": \"string\"}}, \"required\": [\"a\"]}}",
	    NULL,
	    "{\"M\": {\"properties\": {\"a\": {\"type\": \"string\"}, \"b\": {\"type\": \"string\"}}, \"required\": [\"b\"]}}",
	    NULL);

	cr_assert_eq(ch.n, 2);
	cr_assert_eq(ch.v[0].kind, CT_PROPERTY_OPTIONAL);
	cr_assert_eq(ch.v[1].kind, CT_PROPERTY_REQUIRED);
	cr_assert_eq(ch.v[1].severity, CT_SEV_BREAKING);
	ct_changes_release(&ch);
}

Test(diff, types_change_widen_and_narrow)
{
	struct ct_changes ch = run(
	    P2C,
	    "{\"M\": {\"properties\": {\"a\": {\"type\": \"integer\"}, \"b\": {\"type\": [\"string\", \"integer\"]}, \"c\": {\"type\": \"string\"}}}}",
	    NULL,
	    "{\"M\": {\"properties\": {\"a\": {\"type\": \"number\"}, \"b\": {\"type\": \"string\"}, \"c\": {\"type\": \"boolean\"}}}}",
	    NULL);

	cr_assert_eq(ch.n, 3);
	cr_assert_eq(ch.v[0].kind, CT_TYPE_WIDENED);
	cr_assert_str_eq(json_object_get_string(ch.v[0].old_value), "integer");
	cr_assert_str_eq(json_object_get_string(ch.v[0].new_value), "number");
	cr_assert_eq(ch.v[0].severity, CT_SEV_BREAKING);
	cr_assert_eq(ch.v[1].kind, CT_TYPE_NARROWED);
	cr_assert_eq(ch.v[1].severity, CT_SEV_WARNING);
	cr_assert_eq(ch.v[2].kind, CT_TYPE_CHANGED);
	ct_changes_release(&ch);

	ch = run(
	    C2P, "{\"M\": {\"properties\": {\"a\": {\"type\": \"integer\"}}}}",
	    NULL, "{\"M\": {\"properties\": {\"a\": {\"type\": \"number\"}}}}",
	    NULL);
	cr_assert_eq(only(&ch)->severity, CT_SEV_INFO);
	ct_changes_release(&ch);
}

Test(diff, nullable_added_and_removed)
{
	struct ct_changes ch = run(
	    P2C,
	    "{\"M\": {\"properties\": {\"a\": {\"type\": \"integer\"}, \"b\": {\"type\": [\"string\", \"null\"]}}}}",
	    NULL,
	    "{\"M\": {\"properties\": {\"a\": {\"type\": [\"integer\", \"null\"]}, \"b\": {\"type\": \"string\"}}}}",
	    NULL);

	cr_assert_eq(ch.n, 2);
	cr_assert_eq(ch.v[0].kind, CT_NULLABLE_ADDED);
	cr_assert_eq(ch.v[0].severity, CT_SEV_BREAKING);
	cr_assert_eq(ch.v[1].kind, CT_NULLABLE_REMOVED);
	ct_changes_release(&ch);
}

Test(diff, ref_targets_and_nullable_refs)
{
	const char *shapes =
	    "\"A\": {\"enum\": [\"x\"]}, \"B\": {\"enum\": [\"x\"]}";
	char e[256], a[256];
	struct ct_changes ch;

	snprintf(
	    e, sizeof(e),
	    "{%s, \"M\": {\"properties\": {\"r\": {\"$ref\": \"#/$defs/A\"}, \"n\": {\"$ref\": \"#/$defs/A\"}}}}",
	    shapes);
	snprintf(
	    a, sizeof(a),
	    "{%s, \"M\": {\"properties\": {\"r\": {\"$ref\": \"#/$defs/B\"}, \"n\": {\"anyOf\": [{\"$ref\": \"#/$defs/A\"}, {\"type\": \"null\"}]}}}}",
	    shapes);
	ch = run(P2C, e, NULL, a, NULL);
	cr_assert_eq(ch.n, 2);
	cr_assert_eq(ch.v[0].kind, CT_REF_CHANGED);
	cr_assert_str_eq(json_object_get_string(ch.v[0].new_value),
			 "#/$defs/B");
	cr_assert_eq(ch.v[1].kind, CT_NULLABLE_ADDED);
	cr_assert_str_eq(ch.v[1].pointer, "/$defs/M/properties/n");
	ct_changes_release(&ch);
}

Test(diff, ref_replaced_by_a_plain_type)
{
	struct ct_changes ch = run(
	    P2C,
	    "{\"A\": {\"enum\": [\"x\"]}, \"M\": {\"properties\": {\"r\": {\"$ref\": \"#/$defs/A\"}}}}",
	    NULL,
	    "{\"A\": {\"enum\": [\"x\"]}, \"M\": {\"properties\": {\"r\": {\"type\": \"string\"}}}}",
	    NULL);

	cr_assert_eq(only(&ch)->kind, CT_TYPE_CHANGED);
	cr_assert_str_eq(json_object_get_string(ch.v[0].old_value),
			 "#/$defs/A");
	ct_changes_release(&ch);
}

Test(diff, default_changed_is_a_warning)
{
	struct ct_changes ch = run(
	    C2P,
	    "{\"M\": {\"properties\": {\"a\": {\"type\": \"boolean\", \"default\": true}}}}",
	    NULL,
	    "{\"M\": {\"properties\": {\"a\": {\"type\": \"boolean\", \"default\": false}}}}",
	    NULL);

	cr_assert_eq(only(&ch)->kind, CT_DEFAULT_CHANGED);
	cr_assert_eq(ch.v[0].severity, CT_SEV_WARNING);
	cr_assert_str_eq(ch.v[0].pointer, "/$defs/M/properties/a/default");
	cr_assert_eq(json_object_get_boolean(ch.v[0].old_value), 1);
	ct_changes_release(&ch);
}

Test(diff, missing_type_information_is_unknown_not_a_change)
{
	/* one side lists only field names, as a manifest of names does */
	struct ct_changes ch = run(
	    P2C,
	    "{\"M\": {\"properties\": {\"a\": {\"type\": \"integer\", \"default\": 1}, \"b\": {\"type\": \"string\"}}, \"required\": [\"b\"]}}",
	    NULL, "{\"M\": {\"properties\": {\"a\": {}, \"b\": {}}}}", NULL);

	cr_assert_eq(ch.n, 0, "got %zu changes, first %s", ch.n,
		     ch.n ? ct_kind_name(ch.v[0].kind) : "");
	ct_changes_release(&ch);
}

Test(diff, nested_items_and_maps_are_compared)
{
	struct ct_changes ch = run(
	    P2C,
	    "{\"M\": {\"properties\": {\"l\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}}, \"d\": {\"type\": \"object\", \"additionalProperties\": {\"type\": \"integer\"}}}}}",
	    NULL,
	    "{\"M\": {\"properties\": {\"l\": {\"type\": \"array\", \"items\": {\"type\": \"integer\"}}, \"d\": {\"type\": \"object\", \"additionalProperties\": {\"type\": [\"integer\", \"null\"]}}}}}",
	    NULL);

	cr_assert_eq(ch.n, 2);
	cr_assert_str_eq(ch.v[0].pointer, "/$defs/M/properties/l/items");
	cr_assert_eq(ch.v[0].kind, CT_TYPE_CHANGED);
	cr_assert_str_eq(ch.v[1].pointer,
			 "/$defs/M/properties/d/additionalProperties");
	cr_assert_eq(ch.v[1].kind, CT_NULLABLE_ADDED);
	ct_changes_release(&ch);
}

Test(diff, shapes_added_and_removed)
{
	struct ct_changes ch =
	    run(C2P, "{\"A\": {\"enum\": [\"x\"]}, \"B\": {}}", NULL,
		"{\"B\": {}, \"C\": {\"enum\": [\"y\"]}}", NULL);

	cr_assert_eq(ch.n, 2);
	cr_assert_eq(ch.v[0].kind, CT_SHAPE_REMOVED);
	cr_assert_str_eq(ch.v[0].subject, "A");
	cr_assert_eq(ch.v[0].severity, CT_SEV_WARNING);
	cr_assert_eq(ch.v[1].kind, CT_SHAPE_ADDED);
	cr_assert_str_eq(ch.v[1].subject, "C");
	cr_assert_eq(ch.v[1].severity, CT_SEV_INFO);
	ct_changes_release(&ch);
}

Test(diff, events_and_routes_are_sets)
{
	struct ct_changes ch = run(
	    P2C, "{}",
	    "\"x-events\": [\"a\", \"b\"], \"x-routes\": [{\"method\": \"GET\", \"path\": \"/x\"}, {\"method\": \"POST\", \"path\": \"/y/{id}\"}]",
	    "{}",
	    "\"x-events\": [\"b\", \"c\"], \"x-routes\": [{\"method\": \"GET\", \"path\": \"/x\"}, {\"method\": \"PUT\", \"path\": \"/y/{id}\"}]");

	cr_assert_eq(ch.n, 4);
	cr_assert_eq(ch.v[0].kind, CT_EVENT_REMOVED);
	cr_assert_str_eq(ch.v[0].member, "a");
	cr_assert_eq(ch.v[1].kind, CT_EVENT_ADDED);
	cr_assert_eq(ch.v[2].kind, CT_ROUTE_REMOVED);
	cr_assert_str_eq(ch.v[2].member, "POST /y/{id}");
	cr_assert_eq(ch.v[3].kind, CT_ROUTE_ADDED);
	cr_assert_eq(ch.v[3].severity, CT_SEV_INFO);
	ct_changes_release(&ch);
}

Test(diff, ordered_lists_report_added_removed_and_moved)
{
	struct ct_changes ch = run(
	    C2P, "{}",
	    "\"x-lists\": {\"flags\": [\"a\", \"b\", \"c\", \"d\"], \"gone\": []}",
	    "{}",
	    "\"x-lists\": {\"flags\": [\"a\", \"c\", \"b\", \"e\"], \"new\": [\"z\"]}");

	cr_assert_eq(ch.n, 5);
	cr_assert_eq(ch.v[0].kind, CT_LIST_ITEM_REMOVED);
	cr_assert_str_eq(ch.v[0].member, "d");
	cr_assert_eq(ch.v[1].kind, CT_LIST_ITEM_ADDED);
	cr_assert_str_eq(ch.v[1].member, "e");
	cr_assert_eq(ch.v[2].kind, CT_LIST_ITEM_MOVED);
	cr_assert_str_eq(ch.v[2].member, "b");
	cr_assert_eq(json_object_get_int(ch.v[2].old_value), 1);
	cr_assert_eq(json_object_get_int(ch.v[2].new_value), 2);
	cr_assert_eq(ch.v[3].kind, CT_LIST_REMOVED);
	cr_assert_str_eq(ch.v[3].subject, "gone");
	cr_assert_eq(ch.v[4].kind, CT_LIST_ADDED);
	for (size_t i = 0; i < 3; i++)
		cr_assert_eq(ch.v[i].severity, CT_SEV_BREAKING);
	ct_changes_release(&ch);
}

Test(diff, exact_makes_every_change_breaking)
{
	struct ct_changes ch = run(
	    CT_DIR_EXACT,
	    "{\"M\": {\"properties\": {\"a\": {\"type\": \"string\", \"default\": \"x\"}}}}",
	    NULL,
	    "{\"M\": {\"properties\": {\"a\": {\"type\": \"string\", \"default\": \"y\"}, \"b\": {}}}}",
	    NULL);

	cr_assert_eq(ch.n, 2);
	cr_assert_eq(ch.v[0].severity, CT_SEV_BREAKING);
	cr_assert_eq(ch.v[1].severity, CT_SEV_BREAKING);
	ct_changes_release(&ch);
}

Test(diff, fingerprints_are_stable_and_distinct)
{
	const char *e = "{\"E\": {\"enum\": [\"a\"]}}",
		   *a = "{\"E\": {\"enum\": [\"a\", \"b\", \"c\"]}}";
	struct ct_changes one = run(P2C, e, NULL, a, NULL), two;
	/* the same change at another line keeps its fingerprint */
	two = run(P2C, e, NULL,
		  "{\n\n\"E\": {\"enum\": [\"c\",\n\"a\", \"b\"]}}", NULL);

	cr_assert_eq(one.n, 2);
	cr_assert_eq(two.n, 2);
	cr_assert_str_neq(one.v[0].fingerprint, one.v[1].fingerprint);
	cr_assert_str_eq(one.v[0].fingerprint, two.v[1].fingerprint);
	cr_assert_str_eq(one.v[1].fingerprint, two.v[0].fingerprint);
	cr_assert_neq(one.v[0].origin.line, two.v[1].origin.line);
	cr_assert_eq(strlen(one.v[0].fingerprint), 16);
	ct_changes_release(&one);
	ct_changes_release(&two);
}

Test(diff, an_invalid_shape_met_on_the_way_stops_the_diff)
{
	struct ct_contract *e =
	    doc_with("old.json", "{\"A\": {\"type\": \"strnig\"}}", NULL);
	struct ct_contract *a =
	    doc_with("new.json", "{\"A\": {\"type\": \"string\"}}", NULL);
	struct ct_changes ch = CT_CHANGES_INIT;
	struct ct_err err = CT_ERR_INIT;

	cr_assert_eq(ct_diff(&ch, e, a, P2C, &err), CT_EINVAL);
	cr_assert_str_eq(err.path, "old.json");
	cr_assert_str_eq(
	    err.msg,
	    "not a valid contract: /$defs/A/type: unknown type \"strnig\"");
	ct_changes_release(&ch);
	ct_contract_free(e);
	ct_contract_free(a);
}

Test(diff, an_unchanged_shape_is_still_validated)
{
	/* byte-identical text takes the fast path: it must not skip checks */
	struct ct_contract *e =
	    doc_with("old.json", "{\"A\": {\"type\": \"strnig\"}}", NULL);
	struct ct_contract *a =
	    doc_with("new.json", "{\"A\": {\"type\": \"strnig\"}}", NULL);
	struct ct_changes ch = CT_CHANGES_INIT;
	struct ct_err err = CT_ERR_INIT;

	cr_assert_eq(ct_diff(&ch, e, a, P2C, &err), CT_EINVAL);
	cr_assert_str_eq(
	    err.msg,
	    "not a valid contract: /$defs/A/type: unknown type \"strnig\"");
	ct_changes_release(&ch);
	ct_contract_free(e);
	ct_contract_free(a);
}

Test(diff, an_unchanged_shape_is_checked_against_its_own_document)
{
	/* same text, but the shape it refers to exists only in the old one */
	struct ct_contract *e = doc_with(
	    "old.json",
	    "{\"A\": {\"enum\": [\"x\"]}, \"M\": {\"properties\": {\"r\": {\"$ref\": \"#/$defs/A\"}}}}",
	    NULL);
	struct ct_contract *a = doc_with(
	    "new.json",
	    "{\"M\": {\"properties\": {\"r\": {\"$ref\": \"#/$defs/A\"}}}}",
	    NULL);
	struct ct_changes ch = CT_CHANGES_INIT;
	struct ct_err err = CT_ERR_INIT;

	cr_assert_eq(ct_diff(&ch, e, a, P2C, &err), CT_EINVAL);
	cr_assert_str_eq(err.path, "new.json");
	cr_assert_str_eq(
	    err.msg,
	    "not a valid contract: /$defs/M/properties/r/$ref: $ref to missing shape \"A\"");
	ct_changes_release(&ch);
	ct_contract_free(e);
	ct_contract_free(a);
}

Test(diff, route_parameters_match_any_name)
{
	struct ct_changes ch = run(
	    P2C, "{}",
	    "\"x-routes\": [{\"method\": \"GET\", \"path\": \"/vm/{vmid}\"}]",
	    "{}",
	    "\"x-routes\": [{\"method\": \"GET\", \"path\": \"/vm/{vm_id}\"}, {\"method\": \"GET\", \"path\": \"/node/{n}\"}]");

	cr_assert_eq(only(&ch)->kind, CT_ROUTE_ADDED);
	cr_assert_str_eq(ch.v[0].member, "GET /node/{n}");
	ct_changes_for_consumer_routes(&ch);
	cr_assert_eq(ch.v[0].severity, CT_SEV_BREAKING);
	ct_changes_release(&ch);
}

Test(diff, a_shape_can_have_its_own_direction)
{
	struct ct_contract *e = doc_with(
	    "old.json",
	    "{\"DiskFormat\": {\"enum\": [\"raw\"]}, \"Kind\": {\"enum\": [\"a\"]}}",
	    NULL);
	struct ct_contract *a = doc_with(
	    "new.json",
	    "{\"DiskFormat\": {\"enum\": [\"raw\", \"subvol\"]}, \"Kind\": {\"enum\": [\"a\", \"b\"]}}",
	    NULL);
	json_object *dirs =
	    json_tokener_parse("{\"DiskFormat\": \"superset\"}");
	struct ct_changes ch = CT_CHANGES_INIT;
	struct ct_err err = CT_ERR_INIT;

	cr_assert_eq(ct_diff_ex(&ch, e, a, P2C, dirs, &err), 0, "%s", err.msg);
	cr_assert_eq(ch.n, 2);
	cr_assert_str_eq(ch.v[0].subject, "DiskFormat");
	cr_assert_eq(ch.v[0].severity, CT_SEV_INFO);
	cr_assert_str_eq(ch.v[1].subject, "Kind");
	cr_assert_eq(ch.v[1].severity, CT_SEV_BREAKING);
	ct_changes_release(&ch);
	json_object_put(dirs);
	ct_contract_free(e);
	ct_contract_free(a);
}
