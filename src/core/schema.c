#include "schema.h"

#include "contracts/buf.h"

#include <json-c/json.h>
#include <string.h>

static const char *const tnames[] = {"string", "integer", "number", "boolean",
				     "object", "array",	  "null"};

static unsigned type_bit(const char *name)
{
	for (unsigned i = 0; i < 7; i++)
		if (!strcmp(name, tnames[i]))
			return 1u << i;
	return 0;
}

const char *ct_type_name(unsigned bit)
{
	for (unsigned i = 0; i < 7; i++)
		if (bit == 1u << i)
			return tnames[i];
	return "?";
}

unsigned ct_type_bits(json_object *t)
{
	unsigned bits = 0;

	if (json_object_is_type(t, json_type_string))
		return type_bit(json_object_get_string(t));
	for (size_t i = 0; i < json_object_array_length(t); i++)
		bits |= type_bit(
		    json_object_get_string(json_object_array_get_idx(t, i)));
	return bits;
}

void ct_sview_of(struct ct_sview *v, json_object *s)
{
	json_object *x;

	memset(v, 0, sizeof(*v));
	if (json_object_object_get_ex(s, "type", &x))
		v->types = ct_type_bits(x);
	if (json_object_object_get_ex(s, "$ref", &x))
		v->ref = json_object_get_string(x);
	if (json_object_object_get_ex(s, "anyOf", &x)) {
		/* `X | None` with a $ref is anyOf [{$ref}, {type: null}] */
		for (size_t i = 0; i < json_object_array_length(x); i++) {
			json_object *m = json_object_array_get_idx(x, i), *y;
			if (json_object_object_get_ex(m, "type", &y))
				v->types |= ct_type_bits(y);
			if (!v->ref && json_object_object_get_ex(m, "$ref", &y))
				v->ref = json_object_get_string(y);
		}
	}
	json_object_object_get_ex(s, "enum", &v->enumv);
	json_object_object_get_ex(s, "items", &v->items);
	json_object_object_get_ex(s, "properties", &v->props);
	json_object_object_get_ex(s, "required", &v->required);
	if (json_object_object_get_ex(s, "additionalProperties", &x)) {
		if (json_object_is_type(x, json_type_object))
			v->addl = x;
		else if (json_object_is_type(x, json_type_boolean))
			v->closed = !json_object_get_boolean(x);
	}
	v->has_default = json_object_object_get_ex(s, "default", &v->def);
}

int ct_sview_known(const struct ct_sview *v)
{
	return v->types || v->ref || v->enumv;
}

json_object *ct_sview_describe(const struct ct_sview *v)
{
	struct ct_buf b = CT_BUF_INIT;
	json_object *o;

	if (v->ref)
		ct_buf_adds(&b, v->ref);
	for (unsigned i = 0; i < 7; i++) {
		if (!(v->types & (1u << i)))
			continue;
		if (b.len)
			ct_buf_adds(&b, " | ");
		ct_buf_adds(&b, tnames[i]);
	}
	o = json_object_new_string_len(b.ptr, (int)b.len);
	ct_buf_release(&b);
	return o;
}

int ct_types_cover(unsigned big, unsigned small)
{
	if (big & CT_T_NUMBER)
		big |= CT_T_INTEGER;
	return (small & ~big) == 0;
}
