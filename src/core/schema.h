/* schema.h - a schema of a contract document as the comparisons see it:
 * its types as bits, its $ref, enum, items, properties, required and
 * additionalProperties. Private to src/core/ (diff.c, compat.c). Every
 * pointer is borrowed from the schema object. */
#ifndef CT_CORE_SCHEMA_H
#define CT_CORE_SCHEMA_H

#include <json-c/json_object.h>

enum {
	CT_T_STRING = 1,
	CT_T_INTEGER = 2,
	CT_T_NUMBER = 4,
	CT_T_BOOLEAN = 8,
	CT_T_OBJECT = 16,
	CT_T_ARRAY = 32,
	CT_T_NULL = 64
};

struct ct_sview {
	unsigned types;	 /* CT_T_* bits, from "type" and anyOf members */
	const char *ref; /* "#/$defs/X", also inside anyOf */
	json_object *enumv, *items, *addl, *props, *required, *def;
	int has_default;
	int closed; /* additionalProperties: false */
};

void ct_sview_of(struct ct_sview *v, json_object *s);
/* Whether the schema says anything of its values (type, $ref or enum). */
int ct_sview_known(const struct ct_sview *v);
/* "integer | null", "#/$defs/X | null"; the caller owns it. */
json_object *ct_sview_describe(const struct ct_sview *v);
/* The type bit of a type name, or 0; the bits of a "type" value. */
unsigned ct_type_bits(json_object *t);
/* The name of one type bit. */
const char *ct_type_name(unsigned bit);
/* Whether every type in `small` is accepted by `big` (number takes
 * integer). */
int ct_types_cover(unsigned big, unsigned small);

#endif
