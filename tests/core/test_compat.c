/* The compatibility relation, one row per rule: a writer's shape W and a
 * reader's shape R (plus any shapes they refer to), and the verdict. */
#include "helpers.h"

#include "contracts/compat.h"

#include <json-c/json.h>

struct row {
	const char *name;
	const char *writer, *reader; /* $defs */
	const char *kinds; /* expected kinds, comma separated ("" none) */
	int ok;		   /* nothing at warning or above */
};

static const struct row
    rows[] =
	{
	    /* properties */
	    {"same shape",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}}, \"required\": [\"a\"]}}",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}}, \"required\": [\"a\"]}}",
	     "", 1},
	    {"reader requires what the writer may omit",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}}, \"required\": []}}",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}}, \"required\": [\"a\"]}}",
	     "field-may-be-missing", 0},
	    {"reader requires what the writer lacks",
	     "{\"M\": {\"type\": \"object\", \"properties\": {}, \"required\": []}}",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}}, \"required\": [\"a\"]}}",
	     "field-may-be-missing", 0},
	    {"reader with a default takes an omitted field",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}}, \"required\": []}}",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\", \"default\": \"\"}}, \"required\": []}}",
	     "", 1},
	    {"reader default never matters when the writer always sends",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\", \"default\": \"x\"}}, \"required\": [\"a\"]}}",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\", \"default\": \"y\"}}, \"required\": []}}",
	     "", 1},
	    {"extra field, reader ignores it",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}, \"b\": {\"type\": \"integer\"}}, \"required\": [\"a\", \"b\"]}}",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}}, \"required\": [\"a\"]}}",
	     "field-not-read", 1},
	    {"extra field, reader allows extras",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"b\": {\"type\": \"integer\"}}, \"required\": [\"b\"]}}",
	     "{\"M\": {\"type\": \"object\", \"properties\": {}, \"required\": [], \"additionalProperties\": true}}",
	     "field-not-read", 1},
	    {"extra field, reader forbids extras",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"b\": {\"type\": \"integer\"}}, \"required\": [\"b\"]}}",
	     "{\"M\": {\"type\": \"object\", \"properties\": {}, \"required\": [], \"additionalProperties\": false}}",
	     "field-forbidden", 0},
	    {"writer passes unknown keys, reader forbids them",
	     "{\"M\": {\"type\": \"object\", \"properties\": {}, \"required\": [], \"additionalProperties\": true}}",
	     "{\"M\": {\"type\": \"object\", \"properties\": {}, \"required\": [], \"additionalProperties\": false}}",
	     "keys-forbidden", 0},
	    /* types */
	    {"str takes an enum",
	     "{\"E\": {\"type\": \"string\", \"enum\": [\"a\", \"b\"]}, \"M\": {\"type\": \"object\", \"properties\": {\"e\": {\"$ref\": \"#/$defs/E\"}}, \"required\": [\"e\"]}}",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"e\": {\"type\": \"string\"}}, \"required\": [\"e\"]}}",
	     "", 1},
	    {"number takes integer",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"integer\"}}, \"required\": [\"n\"]}}",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"number\"}}, \"required\": [\"n\"]}}",
	     "", 1},
	    {"integer refuses number",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"number\"}}, \"required\": [\"n\"]}}",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"integer\"}}, \"required\": [\"n\"]}}",
	     "value-refused", 0},
	    {"X | None takes X",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"s\": {\"type\": \"string\"}}, \"required\": [\"s\"]}}",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"s\": {\"type\": [\"string\", \"null\"]}}, \"required\": [\"s\"]}}",
	     "", 1},
	    {"X refuses the writer's X | None",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"s\": {\"type\": [\"string\", \"null\"]}}, \"required\": [\"s\"]}}",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"s\": {\"type\": \"string\"}}, \"required\": [\"s\"]}}",
	     "value-refused", 0},
	    {"a $ref | None against a plain $ref",
	     "{\"I\": {\"type\": \"object\", \"properties\": {}, \"required\": []}, \"M\": {\"type\": \"object\", \"properties\": {\"i\": {\"anyOf\": [{\"$ref\": \"#/$defs/I\"}, {\"type\": \"null\"}]}}, \"required\": [\"i\"]}}",
	     "{\"I\": {\"type\": \"object\", \"properties\": {}, \"required\": []}, \"M\": {\"type\": \"object\", \"properties\": {\"i\": {\"$ref\": \"#/$defs/I\"}}, \"required\": [\"i\"]}}",
	     "value-refused", 0},
	    {"string refuses boolean",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"b\": {\"type\": \"boolean\"}}, \"required\": [\"b\"]}}",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"b\": {\"type\": \"string\"}}, \"required\": [\"b\"]}}",
	     "value-refused", 0},
	    {"unknown reader type takes anything",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"b\": {\"type\": \"boolean\"}}, \"required\": [\"b\"]}}",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"b\": {\"x-annotation\": \"Any\"}}, \"required\": [\"b\"]}}",
	     "", 1},
	    /* enums and literals */
	    {"writer's values within the reader's",
	     "{\"E\": {\"type\": \"string\", \"enum\": [\"a\"]}}",
	     "{\"E\": {\"type\": \"string\", \"enum\": [\"a\", \"b\"]}}",
	     "value-not-sent", 1},
	    {"the reader lacks a value the writer sends",
	     "{\"E\": {\"type\": \"string\", \"enum\": [\"a\", \"c\"]}}",
	     "{\"E\": {\"type\": \"string\", \"enum\": [\"a\"]}}",
	     "value-refused", 0},
	    {"an enum reader refuses a free string",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"s\": {\"type\": \"string\"}}, \"required\": [\"s\"]}}",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"s\": {\"type\": \"string\", \"enum\": [\"a\"]}}, \"required\": [\"s\"]}}",
	     "value-refused", 0},
	    {"integer literal values against a number reader",
	     "{\"E\": {\"type\": \"integer\", \"enum\": [1, 2]}}",
	     "{\"E\": {\"type\": \"number\"}}", "", 1},
	    /* nesting */
	    {"nested shapes by structure, whatever their names", "{\"Item\": {\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"string\"}}, \"required\": []}, \"M\": {\"type\": \"object\", \"properties\": {\"items\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/$defs/Item\"}}}, \"required\": [\"items\"]}}", "{\"SseItem\": {\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"string\"}}, \"required\": [\"n\"]}, \"M\": {\"type\": \"object\", \"properties\": {\"items\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/$defs/SseItem\"}}}, \"required\": [\"items\"]}}",
	     "field-may-be-missing", 0},
	    {"recursive shapes terminate",
	     "{\"T\": {\"type\": \"object\", \"properties\": {\"kids\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/$defs/T\"}}}, \"required\": []}}",
	     "{\"T\": {\"type\": \"object\", \"properties\": {\"kids\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/$defs/T\"}}}, \"required\": []}}",
	     "", 1},
	    {"a map's values",
	     "{\"M\": {\"type\": \"object\", \"additionalProperties\": {\"type\": \"number\"}}}",
	     "{\"M\": {\"type\": \"object\", \"additionalProperties\": {\"type\": \"integer\"}}}",
	     "value-refused", 0},
	    /* pairing */
	    {"pairs by the event discriminator",
	     "{\"DiscoveryMessage\": {\"type\": \"object\", \"properties\": {\"event\": {\"type\": \"string\", \"default\": \"discovery\"}, \"n\": {\"type\": \"integer\"}}, \"required\": []}}",
	     "{\"SseDiscovery\": {\"type\": \"object\", \"properties\": {\"event\": {\"type\": \"string\", \"default\": \"discovery\"}, \"n\": {\"type\": \"integer\"}}, \"required\": [\"n\"]}}",
	     "field-may-be-missing", 0},
	    {"a payload no reader reads is news",
	     "{\"New\": {\"type\": \"object\", \"properties\": {\"event\": {\"type\": \"string\", \"default\": \"new\"}}, \"required\": []}}",
	     "{}", "shape-not-read", 1},
	    {"a nested shape is checked through what refers to it",
	     "{\"I\": {\"type\": \"object\", \"properties\": {}, \"required\": []}, \"M\": {\"type\": \"object\", \"properties\": {\"i\": {\"$ref\": \"#/$defs/I\"}}, \"required\": [\"i\"]}}",
	     "{\"M\": {\"type\": \"object\", \"properties\": {\"i\": {\"type\": \"object\"}}, \"required\": [\"i\"]}}",
	     "", 1},
};

/* The kinds found, comma separated, each once, in order found. */
static void kinds_of(struct ct_buf *out, const struct ct_changes *ch)
{
	for (size_t i = 0; i < ch->n; i++) {
		const char *k = ct_kind_name(ch->v[i].kind);
		if (strstr(out->ptr, k))
			continue;
		if (out->len)
			ct_buf_addch(out, ',');
		ct_buf_adds(out, k);
	}
}

Test(compat, every_rule_of_the_table)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
		const struct row *r = &rows[i];
		struct ct_contract *w =
		    doc_with("writer.json", r->writer, NULL);
		struct ct_contract *rd =
		    doc_with("reader.json", r->reader, NULL);
		struct ct_changes ch = CT_CHANGES_INIT;
		struct ct_err err = CT_ERR_INIT;
		struct ct_buf got = CT_BUF_INIT;

		cr_assert_eq(ct_compat(&ch, w, rd, CT_DIR_PROVIDER_TO_CONSUMER,
				       NULL, &err),
			     0, "%s: %s", r->name, err.msg);
		kinds_of(&got, &ch);
		cr_expect_str_eq(got.ptr, r->kinds, "%s: kinds %s, wanted %s",
				 r->name, got.ptr, r->kinds);
		cr_expect_eq(ct_compat_ok(&ch), r->ok, "%s: verdict", r->name);
		ct_buf_release(&got);
		ct_changes_release(&ch);
		ct_contract_free(w);
		ct_contract_free(rd);
	}
}

Test(compat, findings_name_the_witness_and_both_origins)
{
	struct ct_contract *w = doc_with(
	    "writer.json",
	    "{\"E\": {\"type\": \"string\", \"enum\": [\"a\", \"c\"]}}", NULL);
	struct ct_contract *r = doc_with(
	    "reader.json", "{\"E\": {\"type\": \"string\", \"enum\": [\"a\"]}}",
	    NULL);
	struct ct_changes ch = CT_CHANGES_INIT;
	struct ct_err err = CT_ERR_INIT;

	cr_assert_eq(
	    ct_compat(&ch, w, r, CT_DIR_PROVIDER_TO_CONSUMER, NULL, &err), 0);
	cr_assert_eq(ch.n, 1);
	cr_assert_eq(ch.v[0].kind, CT_VALUE_REFUSED);
	cr_assert_eq(ch.v[0].severity, CT_SEV_BREAKING);
	cr_assert_str_eq(ch.v[0].member, "c");
	cr_assert_str_eq(json_object_get_string(ch.v[0].new_value), "c");
	cr_assert_str_eq(ch.v[0].origin.path, "writer.json");
	cr_assert_str_eq(ch.v[0].other.path, "reader.json");
	ct_changes_release(&ch);
	ct_contract_free(w);
	ct_contract_free(r);
}

Test(compat, a_superset_mirror_knows_more_by_design)
{
	struct ct_contract *w = doc_with(
	    "w.json", "{\"E\": {\"type\": \"string\", \"enum\": [\"a\"]}}",
	    NULL);
	struct ct_contract *r = doc_with(
	    "r.json",
	    "{\"E\": {\"type\": \"string\", \"enum\": [\"a\", \"b\"]}}", NULL);
	json_object *dirs = json_tokener_parse("{\"E\": \"superset\"}");
	struct ct_changes ch = CT_CHANGES_INIT;
	struct ct_err err = CT_ERR_INIT;

	cr_assert_eq(
	    ct_compat(&ch, w, r, CT_DIR_PROVIDER_TO_CONSUMER, dirs, &err), 0);
	cr_assert_eq(ch.n, 0);
	ct_changes_release(&ch);
	json_object_put(dirs);
	ct_contract_free(w);
	ct_contract_free(r);
}

Test(compat, events_the_reader_does_not_know_break)
{
	struct ct_contract *w =
	    doc_with("w.json", "{}", "\"x-events\": [\"a\", \"b\"]");
	struct ct_contract *r =
	    doc_with("r.json", "{}", "\"x-events\": [\"a\", \"z\"]");
	struct ct_changes ch = CT_CHANGES_INIT;
	struct ct_err err = CT_ERR_INIT;

	cr_assert_eq(
	    ct_compat(&ch, w, r, CT_DIR_PROVIDER_TO_CONSUMER, NULL, &err), 0);
	cr_assert_eq(ch.n, 2);
	cr_assert_eq(ch.v[0].kind, CT_EVENT_NOT_READ);
	cr_assert_str_eq(ch.v[0].member, "b");
	cr_assert_eq(ch.v[0].severity, CT_SEV_BREAKING);
	cr_assert_eq(ch.v[1].kind, CT_EVENT_NOT_SENT);
	cr_assert_str_eq(ch.v[1].member, "z");
	cr_assert_eq(ch.v[1].severity, CT_SEV_INFO);
	ct_changes_release(&ch);
	ct_contract_free(w);
	ct_contract_free(r);
}

Test(compat, lists_stay_exact)
{
	struct ct_contract *w = doc_with(
	    "w.json", "{}", "\"x-lists\": {\"flags\": [\"a\", \"b\"]}");
	struct ct_contract *r = doc_with(
	    "r.json", "{}", "\"x-lists\": {\"flags\": [\"b\", \"a\"]}");
	struct ct_changes ch = CT_CHANGES_INIT;
	struct ct_err err = CT_ERR_INIT;

	cr_assert_eq(
	    ct_compat(&ch, w, r, CT_DIR_CONSUMER_TO_PROVIDER, NULL, &err), 0);
	cr_assert_gt(ch.n, 0);
	cr_assert_eq(ch.v[0].kind, CT_LIST_ITEM_MOVED);
	cr_assert_eq(ch.v[0].severity, CT_SEV_BREAKING);
	ct_changes_release(&ch);
	ct_contract_free(w);
	ct_contract_free(r);
}

Test(compat, a_finding_keeps_its_fingerprint_when_unrelated_values_come)
{
	struct ct_contract *w = doc_with(
	    "w.json",
	    "{\"E\": {\"type\": \"string\", \"enum\": [\"a\", \"c\"]}}",
	    "\"x-events\": [\"q\", \"c\"]");
	struct ct_contract *r1 = doc_with(
	    "r.json", "{\"E\": {\"type\": \"string\", \"enum\": [\"a\"]}}",
	    "\"x-events\": [\"q\"]");
	struct ct_contract *r2 = doc_with(
	    "r.json",
	    "{\"E\": {\"type\": \"string\", \"enum\": [\"b\", \"a\", \"d\"]}}",
	    "\"x-events\": [\"p\", \"q\"]");
	struct ct_changes c1 = CT_CHANGES_INIT, c2 = CT_CHANGES_INIT;
	struct ct_err err = CT_ERR_INIT;

	cr_assert_eq(
	    ct_compat(&c1, w, r1, CT_DIR_PROVIDER_TO_CONSUMER, NULL, &err), 0);
	cr_assert_eq(
	    ct_compat(&c2, w, r2, CT_DIR_PROVIDER_TO_CONSUMER, NULL, &err), 0);
	/* "c" refused, and event "c" unknown, in both */
	cr_assert_eq(c1.v[0].kind, CT_VALUE_REFUSED);
	cr_assert_eq(c2.v[0].kind, CT_VALUE_REFUSED);
	cr_assert_str_eq(c1.v[0].fingerprint, c2.v[0].fingerprint);
	for (size_t i = 0; i < c2.n; i++)
		if (c2.v[i].kind == CT_EVENT_NOT_READ)
			cr_assert_str_eq(c1.v[c1.n - 1].fingerprint,
					 c2.v[i].fingerprint);
	ct_changes_release(&c1);
	ct_changes_release(&c2);
	ct_contract_free(w);
	ct_contract_free(r1);
	ct_contract_free(r2);
}

/* Many shapes stay fast: pairs, references and events are found in O(1) or
 * O(log n), never by scanning every shape for each one. */
Test(compat, twenty_thousand_shapes_in_well_under_a_second, .timeout = 10)
{
	struct ct_buf w = CT_BUF_INIT, r = CT_BUF_INIT;
	struct ct_contract *wd, *rd;
	struct ct_changes ch = CT_CHANGES_INIT;
	struct ct_err err = CT_ERR_INIT;

	ct_buf_adds(&w, "{");
	ct_buf_adds(&r, "{");
	for (int i = 0; i < 20000; i++) {
		/* a payload and the enum it refers to; the reader names its
		 * payloads otherwise, so they pair by their event */
		ct_buf_addf(&w,
			    "%s\"E%d\": {\"type\": \"string\", \"enum\": "
			    "[\"a\"]}, \"P%d\": {\"type\": \"object\", "
			    "\"properties\": {\"event\": {\"type\": "
			    "\"string\", \"default\": \"e%d\"}, \"k\": "
			    "{\"$ref\": \"#/$defs/E%d\"}}, \"required\": []}",
			    i ? ", " : "", i, i, i, i);
		ct_buf_addf(&r,
			    "%s\"Mirror%d\": {\"type\": \"object\", "
			    "\"properties\": {\"event\": {\"type\": "
			    "\"string\", \"default\": \"e%d\"}, \"k\": "
			    "{\"type\": \"string\"}}, \"required\": []}",
			    i ? ", " : "", i, i);
	}
	ct_buf_adds(&w, "}");
	ct_buf_adds(&r, "}");
	wd = doc_with("w.json", w.ptr, NULL);
	rd = doc_with("r.json", r.ptr, NULL);
	cr_assert_eq(
	    ct_compat(&ch, wd, rd, CT_DIR_PROVIDER_TO_CONSUMER, NULL, &err), 0,
	    "%s", err.msg);
	cr_assert_eq(ch.n, 0, "%zu findings", ch.n);
	ct_changes_release(&ch);
	ct_contract_free(wd);
	ct_contract_free(rd);
	ct_buf_release(&w);
	ct_buf_release(&r);
}

Test(compat, a_document_reads_itself_even_when_an_enum_contradicts_its_type)
{
	/* the type refuses "x": no document holds it, so none is refused */
	struct ct_contract *d = doc_with(
	    "d.json", "{\"E\": {\"type\": \"object\", \"enum\": [\"x\"]}}",
	    NULL);
	struct ct_changes ch = CT_CHANGES_INIT;
	struct ct_err err = CT_ERR_INIT;

	cr_assert_eq(
	    ct_compat(&ch, d, d, CT_DIR_PROVIDER_TO_CONSUMER, NULL, &err), 0);
	cr_assert(ct_compat_ok(&ch));
	ct_changes_release(&ch);
	ct_contract_free(d);
}
