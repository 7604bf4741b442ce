/* openapi: an OpenAPI 3.x document (JSON) as routes and shapes: every
 * path and method, with {param} names, and the component schemas, mapped
 * onto the contract format (OpenAPI 3.0's "nullable" becomes a null type;
 * keys the format has no use for, such as "format" or "example", are left
 * out). */
#include "contracts/extract.h"
#include "contracts/json.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

static const char *const methods[] = {"get",	"post", "put",	   "patch",
				      "delete", "head", "options", NULL};

static json_object *schema(json_object *s, unsigned depth);

static json_object *schemas_of(json_object *arr, unsigned depth)
{
	json_object *out = json_object_new_array();

	for (size_t i = 0; i < json_object_array_length(arr); i++)
		json_object_array_add(
		    out, schema(json_object_array_get_idx(arr, i), depth + 1));
	return out;
}

/* One OpenAPI schema object in the contract format's subset. */
static json_object *schema(json_object *s, unsigned depth)
{
	json_object *out = json_object_new_object(), *v;
	int nullable = 0;

	if (depth > 32 || !json_object_is_type(s, json_type_object))
		return out;
	json_object_object_foreach(s, key, val)
	{
		if (!strcmp(key, "$ref") &&
		    json_object_is_type(val, json_type_string)) {
			const char *r = json_object_get_string(val);
			const char *prefix = "#/components/schemas/";
			char ref[512];
			if (!strncmp(r, prefix, strlen(prefix))) {
				snprintf(ref, sizeof(ref), "#/$defs/%s",
					 r + strlen(prefix));
				json_object_object_add(
				    out, "$ref", json_object_new_string(ref));
			}
		} else if (!strcmp(key, "type") || !strcmp(key, "enum") ||
			   !strcmp(key, "required") ||
			   !strcmp(key, "default") ||
			   !strcmp(key, "description") ||
			   !strcmp(key, "title")) {
			json_object_object_add(out, key, json_object_get(val));
		} else if (!strcmp(key, "nullable")) {
			nullable = json_object_get_boolean(val);
		} else if (!strcmp(key, "items")) {
			json_object_object_add(out, "items",
					       schema(val, depth + 1));
		} else if (!strcmp(key, "additionalProperties")) {
			json_object_object_add(
			    out, key,
			    json_object_is_type(val, json_type_boolean)
				? json_object_get(val)
				: schema(val, depth + 1));
		} else if (!strcmp(key, "properties") &&
			   json_object_is_type(val, json_type_object)) {
			json_object *props = json_object_new_object();
			json_object_object_foreach(val, name, p)
			    json_object_object_add(props, name,
						   schema(p, depth + 1));
			json_object_object_add(out, "properties", props);
		} else if ((!strcmp(key, "anyOf") || !strcmp(key, "oneOf")) &&
			   json_object_is_type(val, json_type_array) &&
			   json_object_array_length(val)) {
			json_object_object_add(out, "anyOf",
					       schemas_of(val, depth));
		}
	}
	if (nullable) {
		if (json_object_object_get_ex(out, "type", &v) &&
		    json_object_is_type(v, json_type_string)) {
			json_object *list = json_object_new_array();
			json_object_array_add(list, json_object_get(v));
			json_object_array_add(list,
					      json_object_new_string("null"));
			json_object_object_add(out, "type", list);
		}
	}
	return out;
}

static void note(struct ct_extract_ctx *ctx, const char *path, const char *text,
		 size_t len, const char *from, const char *to)
{
	struct ct_json_span all = {0, len}, at;
	struct ct_origin o = {ctx->repo, ctx->commit, path, 0};
	unsigned line = 1, col = 1;

	if (!ct_json_locate(&at, text, all, from)) {
		ct_json_advance(text, 0, at.off, &line, &col);
		o.line = line;
	}
	ct_contract_set_origin(ctx->out, to, &o);
}

int ct_openapi_read(struct ct_extract_ctx *ctx, const char *path,
		    const char *data, size_t len, struct ct_err *err);

/* Reads one OpenAPI document (bytes) into ctx->out; `path` names it. */
int ct_openapi_read(struct ct_extract_ctx *ctx, const char *path,
		    const char *data, size_t len, struct ct_err *err)
{
	struct ct_buf text = CT_BUF_INIT;
	json_object *doc = NULL, *paths, *v, *routes;
	char from[1024], to[1024];
	int rc;

	ct_buf_add(&text, data, len);
	ct_json_drop_bom(&text);
	if ((rc = ct_json_check(text.ptr, text.len, CT_JSON_MAX_DEPTH, path,
				err)))
		goto done;
	doc = json_tokener_parse(text.ptr);
	if (!json_object_object_get_ex(doc, "openapi", &v) ||
	    strncmp(json_object_get_string(v), "3.", 2) ||
	    !json_object_object_get_ex(doc, "paths", &paths) ||
	    !json_object_is_type(paths, json_type_object)) {
		rc = ct_err_at(
		    err, CT_EINVAL, path, 0, 0,
		    "not an OpenAPI 3 document: it needs \"openapi\": \"3.x\" and \"paths\"");
		goto done;
	}
	routes = ct_contract_member(ctx->out, "x-routes");
	if (!routes) {
		routes = json_object_new_array();
		ct_contract_set_member(ctx->out, "x-routes", routes);
	}
	json_object_object_foreach(paths, route, item)
	{
		for (const char *const *m = methods; *m; m++) {
			json_object *r;
			char upper[16];
			size_t i;
			if (!json_object_object_get_ex(item, *m, NULL))
				continue;
			for (i = 0; (*m)[i] && i + 1 < sizeof(upper); i++)
				upper[i] = (char)((*m)[i] - 'a' + 'A');
			upper[i] = '\0';
			r = json_object_new_object();
			json_object_object_add(r, "method",
					       json_object_new_string(upper));
			json_object_object_add(r, "path",
					       json_object_new_string(route));
			{
				struct ct_buf p = CT_BUF_INIT;
				ct_buf_adds(&p, "/paths");
				ct_json_pointer_add(&p, route);
				ct_json_pointer_add(&p, *m);
				snprintf(to, sizeof(to), "/x-routes/%zu",
					 json_object_array_length(routes));
				note(ctx, path, text.ptr, text.len, p.ptr, to);
				ct_buf_release(&p);
			}
			json_object_array_add(routes, r);
		}
	}
	if (json_object_object_get_ex(doc, "components", &v) &&
	    json_object_object_get_ex(v, "schemas", &v) &&
	    json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, name, s)
		{
			struct ct_origin o = {ctx->repo, ctx->commit, path, 0};
			ct_contract_add_shape(ctx->out, name, schema(s, 0), &o);
			snprintf(from, sizeof(from), "/components/schemas/%s",
				 name);
			snprintf(to, sizeof(to), "/$defs/%s", name);
			note(ctx, path, text.ptr, text.len, from, to);
		}
	}
done:
	json_object_put(doc);
	ct_buf_release(&text);
	return rc;
}

static int run(struct ct_extract_ctx *ctx, const struct ct_source_file *files,
	       size_t n, struct ct_err *err)
{
	for (size_t i = 0; i < n; i++) {
		int rc = ct_openapi_read(ctx, files[i].path, files[i].data,
					 files[i].len, err);
		if (rc)
			return rc;
	}
	return 0;
}

static const struct ct_optspec options[] = {{NULL, 0, NULL}};

const struct ct_extractor ct_extract_openapi = {
    "openapi", "OpenAPI 3 documents: routes and component schemas", 0, run,
    options};
