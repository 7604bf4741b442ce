#include "contracts/extract.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

extern const struct ct_extractor ct_extract_python_enum,
    ct_extract_python_model, ct_extract_python_literal, ct_extract_python_calls,
    ct_extract_fastapi_routes, ct_extract_http_calls, ct_extract_json_file,
    ct_extract_openapi;

static const struct ct_extractor *const extractors[] = {
    &ct_extract_python_enum,	&ct_extract_python_model,
    &ct_extract_python_literal, &ct_extract_python_calls,
    &ct_extract_fastapi_routes, &ct_extract_http_calls,
    &ct_extract_json_file,	&ct_extract_openapi,
};

const struct ct_extractor *ct_extractor_find(const char *name)
{
	for (size_t i = 0; i < sizeof(extractors) / sizeof(*extractors); i++)
		if (!strcmp(extractors[i]->name, name))
			return extractors[i];
	return NULL;
}

const struct ct_extractor *ct_extractor_at(size_t i)
{
	return i < sizeof(extractors) / sizeof(*extractors) ? extractors[i]
							    : NULL;
}

static const char *type_words(enum ct_opt_type t)
{
	switch (t) {
	case CT_OPT_STRING:
		return "a string";
	case CT_OPT_STRINGS:
		return "an array of strings";
	case CT_OPT_STRING_MAP:
		return "an object of strings";
	case CT_OPT_NAMES:
		return "an array of names or an object of argument positions";
	}
	return "?";
}

static int all_strings(json_object *v, enum json_type container)
{
	if (!json_object_is_type(v, container))
		return 0;
	if (container == json_type_array) {
		for (size_t i = 0; i < json_object_array_length(v); i++)
			if (!json_object_is_type(
				json_object_array_get_idx(v, i),
				json_type_string))
				return 0;
		return 1;
	}
	json_object_object_foreach(v, k, val)
	{
		(void)k;
		if (!json_object_is_type(val, json_type_string))
			return 0;
	}
	return 1;
}

/* ["name", ...] or {"name": position, ...} with positions from 0. */
static int names(json_object *v)
{
	if (json_object_is_type(v, json_type_array))
		return all_strings(v, json_type_array);
	if (!json_object_is_type(v, json_type_object))
		return 0;
	json_object_object_foreach(v, k, val)
	{
		(void)k;
		if (!json_object_is_type(val, json_type_int) ||
		    json_object_get_int64(val) < 0 ||
		    json_object_get_int64(val) > 255)
			return 0;
	}
	return 1;
}

int ct_extractor_check_options(const struct ct_extractor *x,
			       json_object *options, char *key, size_t size,
			       struct ct_err *err)
{
	if (!options || !x->options)
		return 0;
	if (!json_object_is_type(options, json_type_object))
		return ct_err_set(err, CT_EINVAL, "options must be an object");
	json_object_object_foreach(options, k, v)
	{
		const struct ct_optspec *o = x->options;
		struct ct_buf known = CT_BUF_INIT;
		int ok;
		snprintf(key, size, "%s", k);
		for (; o->key && strcmp(o->key, k); o++)
			;
		if (!o->key) {
			for (o = x->options; o->key; o++)
				ct_buf_addf(&known, "%s%s",
					    known.len ? ", " : "", o->key);
			ct_err_set(err, CT_EINVAL,
				   "unknown option \"%s\" (%s takes %s)", k,
				   x->name, known.len ? known.ptr : "none");
			ct_buf_release(&known);
			return CT_EINVAL;
		}
		ok = o->type == CT_OPT_STRING
			 ? json_object_is_type(v, json_type_string)
		     : o->type == CT_OPT_STRINGS
			 ? all_strings(v, json_type_array)
		     : o->type == CT_OPT_NAMES
			 ? names(v)
			 : all_strings(v, json_type_object);
		if (!ok)
			return ct_err_set(err, CT_EINVAL,
					  "option \"%s\" of %s must be %s", k,
					  x->name, type_words(o->type));
		if (o->values) {
			const char *const *w = o->values;
			for (; *w && strcmp(*w, json_object_get_string(v)); w++)
				;
			if (!*w) {
				for (w = o->values; *w; w++)
					ct_buf_addf(&known, "%s%s",
						    known.len ? ", " : "", *w);
				ct_err_set(err, CT_EINVAL,
					   "option \"%s\" of %s must be one of "
					   "%s, not \"%s\"",
					   k, x->name, known.ptr,
					   json_object_get_string(v));
				ct_buf_release(&known);
				return CT_EINVAL;
			}
		}
	}
	return 0;
}
