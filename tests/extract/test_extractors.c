#include <criterion/criterion.h>
#include <stdarg.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contracts/extract.h"
#include "contracts/file.h"
#include "contracts/json.h"

#define SRC CT_FIXTURES "/py/src/"

/* Runs extractor `name` with `options` (JSON text or NULL) over fixture
 * files (NULL-terminated, relative to SRC); returns the document. */
static struct ct_contract *run(const char *name, const char *options, ...)
{
	const struct ct_extractor *x = ct_extractor_find(name);
	struct ct_source_file files[16];
	struct ct_buf texts[16];
	struct ct_extract_ctx ctx;
	struct ct_err err = CT_ERR_INIT;
	const char *rel;
	size_t n = 0;
	va_list ap;

	cr_assert_not_null(x, "no extractor %s", name);
	memset(&ctx, 0, sizeof(ctx));
	va_start(ap, options);
	while ((rel = va_arg(ap, const char *))) {
		char path[512];
		struct ct_buf init = CT_BUF_INIT;
		snprintf(path, sizeof(path), SRC "%s", rel);
		texts[n] = init;
		cr_assert_eq(ct_file_read(&texts[n], path, 0, &err), 0);
		files[n].path = strstr(path, "py/src/") + 7;
		files[n].path = strdup(files[n].path);
		files[n].data = texts[n].ptr;
		files[n].len = texts[n].len;
		n++;
	}
	va_end(ap);
	ctx.repo = "backend";
	ctx.commit = "c0ffee";
	ctx.options = options ? json_tokener_parse(options) : NULL;
	ctx.out = ct_contract_new(name, CT_DIR_EXACT);
	cr_assert_eq(x->run(&ctx, files, n, &err), 0, "%s: %s", err.path,
		     err.msg);
	for (size_t i = 0; i < n; i++) {
		ct_buf_release(&texts[i]);
		free((char *)files[i].path);
	}
	json_object_put(ctx.options);
	return ctx.out;
}

/* The canonical JSON of shape `name` (or of member `name` when it starts
 * with "x-"), for comparing. */
static char *part(struct ct_contract *c, const char *name)
{
	struct ct_buf b = CT_BUF_INIT;
	struct ct_err err = CT_ERR_INIT;
	json_object *o;

	if (!strncmp(name, "x-", 2)) {
		o = ct_contract_member(c, name);
		cr_assert_not_null(o, "no %s", name);
	} else {
		long i = ct_contract_shape_find(c, name);
		cr_assert_geq(i, 0, "no shape %s", name);
		cr_assert_eq(ct_contract_shape_get(&o, c, (size_t)i, &err), 0,
			     "%s", err.msg);
	}
	ct_json_write(&b, o, 0);
	/* compact for readable assertions */
	{
		struct ct_buf s = CT_BUF_INIT;
		int in_str = 0;
		for (size_t i = 0; i < b.len; i++) {
			char ch = b.ptr[i];
			if (ch == '"' && (i == 0 || b.ptr[i - 1] != '\\'))
				in_str = !in_str;
			if (!in_str && (ch == ' ' || ch == '\n'))
				continue;
			ct_buf_addch(&s, ch);
		}
		ct_buf_release(&b);
		return ct_buf_detach(&s, NULL);
	}
}

static void origin_is(struct ct_contract *c, const char *pointer,
		      const char *path, unsigned line)
{
	struct ct_origin o;

	ct_contract_origin(&o, c, pointer);
	cr_assert_str_eq(o.path, path, "%s", pointer);
	cr_assert_eq(o.line, line, "%s: line %u, wanted %u", pointer, o.line,
		     line);
	cr_assert_str_eq(o.repo, "backend");
	cr_assert_str_eq(o.commit, "c0ffee");
}

#define PART_IS(c, name, want)                                                 \
	do {                                                                   \
		char *got_ = part(c, name);                                    \
		cr_assert_str_eq(got_, want);                                  \
		free(got_);                                                    \
	} while (0)

Test(python_enum, members_in_order_skipping_methods_nested_and_aliases)
{
	struct ct_contract *c = run("python-enum", NULL, "enums.py", NULL);

	PART_IS(
	    c, "StreamKind",
	    "{\"enum\":[\"done\",\"failed\",\"step\"],\"type\":\"string\"}");
	PART_IS(c, "Colour",
		"{\"enum\":[\"red\",\"green\"],\"type\":\"string\"}");
	PART_IS(c, "Level", "{\"enum\":[1,2],\"type\":\"integer\"}");
	cr_assert_eq(ct_contract_shape_find(c, "NotAnEnum"), -1);
	origin_is(c, "/$defs/StreamKind", "enums.py", 5);
	origin_is(c, "/$defs/StreamKind/enum/2", "enums.py", 11);
	ct_contract_free(c);
}

Test(python_enum, auto_values_are_unknown)
{
	struct ct_contract *c = run("python-enum", NULL, "enums.py", NULL);

	PART_IS(
	    c, "Auto",
	    "{\"x-annotation\":\"enum Auto: the values of FIRST, SECOND are not literals\"}");
	ct_contract_free(c);
}

Test(python_model, fields_types_defaults_and_required)
{
	struct ct_contract *c =
	    run("python-model", NULL, "models.py", "enums.py", NULL);
	char *d = part(c, "DiscoveryMessage");

	/* inherited fields first, in order */
	cr_assert(
	    strstr(
		d,
		"\"properties\":{\"event\":{\"$ref\":\"#/$defs/StreamKind\"},\"phase\":{\"type\":\"string\"},\"status\":"),
	    "%s", d);
	cr_assert(
	    strstr(
		d,
		"\"status\":{\"default\":\"started\",\"enum\":[\"started\",\"running\",\"done\"],\"type\":\"string\"}"),
	    "%s", d);
	cr_assert(strstr(d, "\"count\":{\"default\":0,\"type\":\"integer\"}"),
		  "%s", d);
	cr_assert(
	    strstr(
		d,
		"\"items\":{\"default\":[],\"items\":{\"$ref\":\"#/$defs/ItemInfo\"},\"type\":\"array\"}"),
	    "%s", d);
	cr_assert(strstr(d, "\"progress\":{\"type\":[\"number\",\"null\"]}"),
		  "%s", d);
	cr_assert(
	    strstr(
		d,
		"\"metadata\":{\"default\":null,\"type\":[\"object\",\"null\"]}"),
	    "%s", d);
	cr_assert(
	    strstr(
		d,
		"\"labels\":{\"additionalProperties\":{\"type\":\"integer\"},\"default\":{},\"type\":\"object\"}"),
	    "%s", d);
	cr_assert(strstr(d, "\"raw_bytes\":{\"x-annotation\":\"bytes\"}"), "%s",
		  d);
	cr_assert(
	    strstr(
		d,
		"\"note\":{\"anyOf\":[{\"$ref\":\"#/$defs/ItemInfo\"},{\"type\":\"null\"}],\"default\":null}"),
	    "%s", d);
	cr_assert_null(strstr(d, "kind"), "ClassVar kept: %s", d);
	cr_assert_null(strstr(d, "_secret"), "private attribute kept: %s", d);
	/* Field(...) and a multi-line Field(description=...) are required */
	cr_assert(strstr(d, "\"required\":[\"event\",\"phase\",\"progress\"]"),
		  "%s", d);
	free(d);
	/* the enum and model it refers to come along */
	PART_IS(
	    c, "StreamKind",
	    "{\"enum\":[\"done\",\"failed\",\"step\"],\"type\":\"string\"}");
	PART_IS(
	    c, "ItemInfo",
	    "{\"properties\":{\"name\":{\"type\":\"string\"},\"vmid\":{\"default\":null,\"type\":[\"integer\",\"null\"]}},\"required\":[\"name\"],\"type\":\"object\"}");
	origin_is(c, "/$defs/DiscoveryMessage/properties/count", "models.py",
		  25);
	origin_is(c, "/$defs/DiscoveryMessage/properties/event", "models.py",
		  15);
	ct_contract_free(c);
}

Test(python_model, configurable_base_names)
{
	struct ct_contract *c = run(
	    "python-model", "{\"bases\": [\"NoSuchBase\"]}", "models.py", NULL);

	cr_assert_eq(ct_contract_shape_count(c), 0);
	ct_contract_free(c);
}

Test(python_literal, flattens_grouped_flags_in_order)
{
	struct ct_contract *c = run(
	    "python-literal",
	    "{\"name\": \"FLAG_GROUPS\", \"select\": \"/*/1/*\", \"list\": \"overwrite_flags\"}",
	    "constants.py", NULL);

	PART_IS(
	    c, "x-lists",
	    "{\"overwrite_flags\":[\"overwrite_device_role\",\"overwrite_device_type\","
	    "\"overwrite_vm_role\",\"overwrite_vm_tags\",\"overwrite_ip_status\"]}");
	origin_is(c, "/x-lists/overwrite_flags/3", "constants.py", 9);
	ct_contract_free(c);
}

Test(python_literal, a_whole_literal_list)
{
	struct ct_contract *c = run("python-literal", "{\"name\": \"LEVELS\"}",
				    "constants.py", NULL);

	PART_IS(c, "x-lists", "{\"LEVELS\":[\"low\",\"high\"]}");
	ct_contract_free(c);
}

Test(python_calls, event_names_from_calls_and_dicts)
{
	struct ct_contract *c =
	    run("python-calls", "{\"functions\": [\"sse_event\", \"emit\"]}",
		"app/routes/stream.py", "app/routes/vm.py", NULL);

	PART_IS(
	    c, "x-events",
	    "[\"step\",\"discovery\",\"complete\",\"migrate_progress\",\"vm_loaded\"]");
	origin_is(c, "/x-events/3", "app/routes/stream.py", 19);
	ct_contract_free(c);
}

Test(fastapi_routes, follows_routers_prefixes_and_imports)
{
	struct ct_contract *c =
	    run("fastapi-routes", NULL, "app/main.py", "app/routes/sync.py",
		"app/routes/vm.py", "app/routes/stream.py", "app/__init__.py",
		"app/routes/__init__.py", NULL);

	PART_IS(
	    c, "x-routes",
	    "[{\"method\":\"GET\",\"path\":\"/health\"},"
	    "{\"method\":\"POST\",\"path\":\"/sync/devices/create\"},"
	    "{\"method\":\"GET\",\"path\":\"/sync/full\"},"
	    "{\"method\":\"POST\",\"path\":\"/sync/full\"},"
	    "{\"method\":\"GET\",\"path\":\"/sync/individual/vm/{vmid}\"},"
	    "{\"method\":\"DELETE\",\"path\":\"/sync/individual/vm/{vmid}/cache\"},"
	    "{\"method\":\"WEBSOCKET\",\"path\":\"/stream/ws\"},"
	    "{\"method\":\"GET\",\"path\":\"/stream/run\"}]");
	origin_is(c, "/x-routes/4", "app/routes/vm.py", 6);
	ct_contract_free(c);
}

Test(http_calls, paths_from_literals_fstrings_and_concatenations)
{
	struct ct_contract *c = run(
	    "http-calls",
	    "{\"functions\": [\"get_json\", \"post_json\", \"request\"], \"methods\": {\"request\": \"DELETE\"}}",
	    "client.py", NULL);

	PART_IS(
	    c, "x-routes",
	    "[{\"method\":\"GET\",\"path\":\"/proxmox/cluster/status\"},"
	    "{\"method\":\"POST\",\"path\":\"/sync/individual/vm/{vmid}\"},"
	    "{\"method\":\"POST\",\"path\":\"/dcim/devices/create/stream\"},"
	    "{\"method\":\"DELETE\",\"path\":\"/vm/{param}/cache\"},"
	    "{\"method\":\"DELETE\",\"path\":\"/stream/run\"}]");
	origin_is(c, "/x-routes/1", "client.py", 12);
	ct_contract_free(c);
}

Test(extract, registry_lists_every_extractor)
{
	static const char *const names[] = {
	    "python-enum",    "python-model", "python-literal", "python-calls",
	    "fastapi-routes", "http-calls",   "json-file"};
	for (size_t i = 0; i < 7; i++)
		cr_assert_str_eq(ct_extractor_at(i)->name, names[i]);
	cr_assert_null(ct_extractor_at(8));
	cr_assert_null(ct_extractor_find("cobol-copybook"));
}

/* Runs json-file as proxbox-api-sse-schema over `text`, named
 * "schema.json"; returns the error code, filling `err`. */
static int sse_schema_error(const char *text, struct ct_err *err)
{
	struct ct_source_file f = {"schema.json", text, strlen(text)};
	struct ct_extract_ctx ctx;
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	ctx.options =
	    json_tokener_parse("{\"format\": \"proxbox-api-sse-schema\"}");
	ctx.out = ct_contract_new("json-file", CT_DIR_EXACT);
	rc = ct_extractor_find("json-file")->run(&ctx, &f, 1, err);
	json_object_put(ctx.options);
	ct_contract_free(ctx.out);
	return rc;
}

/* Security probe: an entry that is not an array aborted in json-c. */
Test(json_file, sse_schema_entry_not_an_array_is_an_error, .timeout = 10)
{
	struct ct_err e = CT_ERR_INIT;

	cr_assert_eq(
	    sse_schema_error(
		"{\"enum_values\": {\"E\": \"x\"}, \"payload_fields\": {}}",
		&e),
	    CT_EINVAL);
	cr_assert_str_eq(e.path, "schema.json");
	cr_assert_str_eq(e.msg,
			 "not a proxbox-api-sse-schema file: \"enum_values/E\" "
			 "must be an array");
	cr_assert_eq(e.line, 1);
	cr_assert_eq(e.col, 23);
	cr_assert_eq(
	    sse_schema_error(
		"{\"enum_values\": {},\n\"payload_fields\": {\"M\": {}}}", &e),
	    CT_EINVAL);
	cr_assert_str_eq(
	    e.msg, "not a proxbox-api-sse-schema file: \"payload_fields/M\" "
		   "must be an array of strings");
	cr_assert_eq(e.line, 2);
	cr_assert_eq(e.col, 25);
}

/* Security probe: null in a payload_fields array was a NULL key. */
Test(json_file, sse_schema_field_not_a_string_is_an_error, .timeout = 10)
{
	struct ct_err e = CT_ERR_INIT;

	cr_assert_eq(
	    sse_schema_error("{\"enum_values\": {}, \"payload_fields\": "
			     "{\"M\": [\"a\", null]}}",
			     &e),
	    CT_EINVAL);
	cr_assert_str_eq(
	    e.msg, "not a proxbox-api-sse-schema file: \"payload_fields/M/1\" "
		   "must be a string");
	cr_assert_eq(e.col, 51);
	cr_assert_eq(
	    sse_schema_error("{\"enum_values\": {}, \"payload_fields\": "
			     "{\"M\": [1]}}",
			     &e),
	    CT_EINVAL);
	cr_assert_str_eq(
	    e.msg, "not a proxbox-api-sse-schema file: \"payload_fields/M/0\" "
		   "must be a string");
}

Test(openapi, a_byte_order_mark_is_skipped)
{
	struct ct_buf text = CT_BUF_INIT;
	struct ct_err err = CT_ERR_INIT;
	struct ct_extract_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.out = ct_contract_new("o", CT_DIR_EXACT);
	ct_buf_adds(&text, "\xef\xbb\xbf");
	cr_assert_eq(
	    ct_file_read(&text, CT_FIXTURES "/openapi/openapi.json", 0, &err),
	    0);
	{
		struct ct_source_file f = {"openapi.json", text.ptr, text.len};
		cr_assert_eq(
		    ct_extractor_find("openapi")->run(&ctx, &f, 1, &err), 0,
		    "%s", err.msg);
	}
	cr_assert_not_null(ct_contract_member(ctx.out, "x-routes"));
	ct_contract_free(ctx.out);
	ct_buf_release(&text);
}
