/* toml_dump FILE: the document as toml-test's tagged JSON ({"type":
 * "integer", "value": "42"} for each scalar), for tests/gate/toml_check.py
 * to compare with Python's tomllib. Exit 1 with the error when the file is
 * refused. Built for the tests only. */
#include "contracts/buf.h"
#include "contracts/err.h"
#include "contracts/file.h"
#include "contracts/toml.h"

#include <json-c/json.h>
#include <math.h>
#include <stdio.h>

static json_object *tag(json_object *v)
{
	static const char *const kinds[] = {"", "datetime", "datetime-local",
					    "date-local", "time-local"};
	json_object *o;
	char num[64];

	switch (json_object_get_type(v)) {
	case json_type_object:
		o = json_object_new_object();
		json_object_object_foreach(v, k, x)
		    json_object_object_add(o, k, tag(x));
		return o;
	case json_type_array:
		o = json_object_new_array();
		for (size_t i = 0; i < json_object_array_length(v); i++)
			json_object_array_add(
			    o, tag(json_object_array_get_idx(v, i)));
		return o;
	default:
		break;
	}
	o = json_object_new_object();
	switch (json_object_get_type(v)) {
	case json_type_string:
		json_object_object_add(
		    o, "type",
		    json_object_new_string(
			ct_toml_kind(v) ? kinds[ct_toml_kind(v)] : "string"));
		json_object_object_add(
		    o, "value",
		    json_object_new_string_len(json_object_get_string(v),
					       json_object_get_string_len(v)));
		break;
	case json_type_int:
		snprintf(num, sizeof(num), "%lld",
			 (long long)json_object_get_int64(v));
		json_object_object_add(o, "type",
				       json_object_new_string("integer"));
		json_object_object_add(o, "value", json_object_new_string(num));
		break;
	case json_type_double: {
		double d = json_object_get_double(v);
		if (isnan(d))
			snprintf(num, sizeof(num), "nan");
		else if (isinf(d))
			snprintf(num, sizeof(num), d < 0 ? "-inf" : "inf");
		else
			snprintf(num, sizeof(num), "%.17g", d);
		json_object_object_add(o, "type",
				       json_object_new_string("float"));
		json_object_object_add(o, "value", json_object_new_string(num));
		break;
	}
	case json_type_boolean:
		json_object_object_add(o, "type",
				       json_object_new_string("bool"));
		json_object_object_add(
		    o, "value",
		    json_object_new_string(
			json_object_get_boolean(v) ? "true" : "false"));
		break;
	default:
		break;
	}
	return o;
}

int main(int argc, char **argv)
{
	struct ct_buf text = CT_BUF_INIT;
	struct ct_err err = CT_ERR_INIT;
	json_object *doc = NULL, *out;
	char msg[1200];

	if (argc != 2) {
		fputs("usage: toml_dump FILE\n", stderr);
		return 2;
	}
	if (ct_file_read(&text, argv[1], 0, &err) ||
	    ct_toml_parse(&doc, text.ptr, text.len, argv[1], &err)) {
		fprintf(stderr, "%s\n", ct_err_format(msg, sizeof(msg), &err));
		ct_buf_release(&text);
		return 1;
	}
	out = tag(doc);
	puts(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN));
	json_object_put(out);
	json_object_put(doc);
	ct_buf_release(&text);
	return 0;
}
