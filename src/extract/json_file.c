/* json-file: contract files a repository commits, read as they are:
 *   {"pointer": "/fields", "list": NAME}  an array of strings as a list;
 *   {"format": "proxbox-api-sse-schema"}  enum_values as enum shapes and
 *     payload_fields as object shapes whose properties have unknown types;
 *     "part": "enums" or "payloads" takes one half. */
#include "contracts/extract.h"
#include "contracts/json.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

static const char *opt(json_object *o, const char *key)
{
	json_object *v;

	return o && json_object_object_get_ex(o, key, &v) &&
		       json_object_is_type(v, json_type_string)
		   ? json_object_get_string(v)
		   : NULL;
}

/* Notes, as the origin of `to` in the output, the line of `from` in the
 * file. */
static void origin(struct ct_extract_ctx *ctx, const struct ct_source_file *f,
		   const char *text, const char *from, const char *to)
{
	struct ct_json_span all = {0, f->len}, at;
	struct ct_origin o = {ctx->repo, ctx->commit, f->path, 0};
	unsigned line = 1, col = 1;

	if (!ct_json_locate(&at, text, all, from)) {
		ct_json_advance(text, 0, at.off, &line, &col);
		o.line = line;
	}
	ct_contract_set_origin(ctx->out, to, &o);
}

/* An error at the value `pointer` names in the file, with its line and
 * column. */
static int bad_entry(struct ct_err *err, const struct ct_source_file *f,
		     const char *text, const char *pointer, const char *what)
{
	struct ct_json_span all = {0, f->len}, at;
	unsigned line = 0, col = 0;

	if (!ct_json_locate(&at, text, all, pointer)) {
		line = col = 1;
		ct_json_advance(text, 0, at.off, &line, &col);
	}
	return ct_err_at(err, CT_EINVAL, f->path, line, col,
			 "not a proxbox-api-sse-schema file: \"%s\" %s",
			 pointer + 1, what);
}

/* Every entry of enum_values is an array, every entry of payload_fields
 * an array of strings; checked before anything is added. */
static int check_sse_schema(const struct ct_source_file *f, const char *text,
			    json_object *enums, json_object *payloads,
			    struct ct_err *err)
{
	struct ct_buf ptr = CT_BUF_INIT;
	int rc = 0;

	json_object_object_foreach(enums, name, values)
	{
		if (json_object_is_type(values, json_type_array))
			continue;
		ct_buf_adds(&ptr, "/enum_values");
		ct_json_pointer_add(&ptr, name);
		rc = bad_entry(err, f, text, ptr.ptr, "must be an array");
		goto done;
	}
	json_object_object_foreach(payloads, model, fields)
	{
		size_t n = 0;
		ct_buf_reset(&ptr);
		ct_buf_adds(&ptr, "/payload_fields");
		ct_json_pointer_add(&ptr, model);
		if (json_object_is_type(fields, json_type_array))
			n = json_object_array_length(fields);
		else {
			rc = bad_entry(err, f, text, ptr.ptr,
				       "must be an array of strings");
			goto done;
		}
		for (size_t i = 0; i < n; i++) {
			if (json_object_is_type(
				json_object_array_get_idx(fields, i),
				json_type_string))
				continue;
			ct_buf_addf(&ptr, "/%zu", i);
			rc = bad_entry(err, f, text, ptr.ptr,
				       "must be a string");
			goto done;
		}
	}
done:
	ct_buf_release(&ptr);
	return rc;
}

/* The "classes" option, as the Python extractors take it. */
static int wanted(json_object *options, const char *name)
{
	json_object *list;

	if (!options || !json_object_object_get_ex(options, "classes", &list))
		return 1;
	for (size_t i = 0; i < json_object_array_length(list); i++)
		if (!strcmp(json_object_get_string(
				json_object_array_get_idx(list, i)),
			    name))
			return 1;
	return 0;
}

static int sse_schema(struct ct_extract_ctx *ctx,
		      const struct ct_source_file *f, const char *text,
		      json_object *doc, struct ct_err *err)
{
	const char *part =
	    opt(ctx->options, "part"); /* enums, payloads or both */
	json_object *enums, *payloads;
	char from[512], to[512];
	int rc;

	if (!json_object_object_get_ex(doc, "enum_values", &enums) ||
	    !json_object_object_get_ex(doc, "payload_fields", &payloads) ||
	    !json_object_is_type(enums, json_type_object) ||
	    !json_object_is_type(payloads, json_type_object))
		return ct_err_at(
		    err, CT_EINVAL, f->path, 0, 0,
		    "not a proxbox-api-sse-schema file: it needs enum_values and payload_fields objects");
	if ((rc = check_sse_schema(f, text, enums, payloads, err)))
		return rc;
	json_object_object_foreach(enums, name, values)
	{
		if (part && strcmp(part, "enums"))
			break;
		if (!wanted(ctx->options, name))
			continue;
		json_object *shape = json_object_new_object();
		struct ct_origin o = {ctx->repo, ctx->commit, f->path, 0};
		json_object_object_add(shape, "type",
				       json_object_new_string("string"));
		json_object_object_add(shape, "enum", json_object_get(values));
		ct_contract_add_shape(ctx->out, name, shape, &o);
		snprintf(from, sizeof(from), "/enum_values/%s", name);
		snprintf(to, sizeof(to), "/$defs/%s", name);
		origin(ctx, f, text, from, to);
		for (size_t i = 0; i < json_object_array_length(values); i++) {
			snprintf(from, sizeof(from), "/enum_values/%s/%zu",
				 name, i);
			snprintf(to, sizeof(to), "/$defs/%s/enum/%zu", name, i);
			origin(ctx, f, text, from, to);
		}
	}
	json_object_object_foreach(payloads, model, fields)
	{
		if (part && strcmp(part, "payloads"))
			break;
		if (!wanted(ctx->options, model))
			continue;
		json_object *shape = json_object_new_object(),
			    *props = json_object_new_object();
		struct ct_origin o = {ctx->repo, ctx->commit, f->path, 0};
		json_object_object_add(shape, "type",
				       json_object_new_string("object"));
		/* names only: types and requiredness are unknown, not changed
		 */
		for (size_t i = 0; i < json_object_array_length(fields); i++)
			json_object_object_add(
			    props,
			    json_object_get_string(
				json_object_array_get_idx(fields, i)),
			    json_object_new_object());
		json_object_object_add(shape, "properties", props);
		ct_contract_add_shape(ctx->out, model, shape, &o);
		snprintf(from, sizeof(from), "/payload_fields/%s", model);
		snprintf(to, sizeof(to), "/$defs/%s", model);
		origin(ctx, f, text, from, to);
	}
	return 0;
}

static int run(struct ct_extract_ctx *ctx, const struct ct_source_file *files,
	       size_t n, struct ct_err *err)
{
	const char *pointer = opt(ctx->options, "pointer");
	const char *list = opt(ctx->options, "list");
	const char *format = opt(ctx->options, "format");

	for (size_t i = 0; i < n; i++) {
		struct ct_buf text = CT_BUF_INIT;
		struct ct_source_file body; /* the text, without a BOM */
		const struct ct_source_file *f = &body;
		json_object *doc;
		int rc;
		ct_buf_add(&text, files[i].data, files[i].len);
		ct_json_drop_bom(&text);
		body.path = files[i].path;
		body.data = text.ptr;
		body.len = text.len;
		if ((rc = ct_json_check(text.ptr, text.len, CT_JSON_MAX_DEPTH,
					f->path, err))) {
			ct_buf_release(&text);
			return rc;
		}
		doc = json_tokener_parse(text.ptr);
		if (format && !strcmp(format, "proxbox-api-sse-schema")) {
			rc = sse_schema(ctx, f, text.ptr, doc, err);
		} else if (pointer && list) {
			struct ct_json_span all = {0, text.len}, at;
			json_object *arr = NULL, *lists;
			if (ct_json_locate(&at, text.ptr, all, pointer) ||
			    !(arr = json_tokener_parse(text.ptr + at.off)) ||
			    !json_object_is_type(arr, json_type_array)) {
				json_object_put(arr);
				rc = ct_err_at(err, CT_EINVAL, f->path, 0, 0,
					       "no array at %s", pointer);
			} else {
				for (size_t k = 0;
				     k < json_object_array_length(arr); k++) {
					char from[512], to[512];
					snprintf(from, sizeof(from), "%s/%zu",
						 pointer, k);
					snprintf(to, sizeof(to),
						 "/x-lists/%s/%zu", list, k);
					origin(ctx, f, text.ptr, from, to);
				}
				lists = ct_contract_member(ctx->out, "x-lists");
				if (!lists) {
					lists = json_object_new_object();
					ct_contract_set_member(
					    ctx->out, "x-lists", lists);
				}
				json_object_object_add(lists, list, arr);
			}
		} else {
			rc = ct_err_set(
			    err, CT_EINVAL,
			    "json-file needs {\"pointer\", \"list\"} or {\"format\": \"proxbox-api-sse-schema\"}");
		}
		json_object_put(doc);
		ct_buf_release(&text);
		if (rc)
			return rc;
	}
	return 0;
}

static const char *const formats[] = {"proxbox-api-sse-schema", NULL};
static const char *const parts[] = {"enums", "payloads", NULL};
static const struct ct_optspec options[] = {
    {"pointer", CT_OPT_STRING, NULL},	{"list", CT_OPT_STRING, NULL},
    {"format", CT_OPT_STRING, formats}, {"part", CT_OPT_STRING, parts},
    {"classes", CT_OPT_STRINGS, NULL},	{NULL, 0, NULL}};

const struct ct_extractor ct_extract_json_file = {
    "json-file", "committed JSON contract files: a list, or the SSE schema", 0,
    run, options};
