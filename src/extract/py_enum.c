/* python-enum: Enum, StrEnum, IntEnum and (str, Enum) classes as shapes. */
#include "pyshared.h"

#include <json-c/json.h>

struct enums {
	const struct pyset *set;
	struct ct_extract_ctx *ctx;
};

static void one(const struct ct_pymodule *m, const struct ct_pystmt *cls,
		void *data)
{
	struct enums *e = data;
	struct ct_origin o;

	if (!is_enum_class(e->set, cls, e->ctx->options, 0))
		return;
	origin_of(&o, e->ctx, m, cls->line);
	ct_contract_add_shape(e->ctx->out, cls->name,
			      enum_shape(e->ctx, m, cls), &o);
}

static int run(struct ct_extract_ctx *ctx, const struct ct_source_file *files,
	       size_t n, struct ct_err *err)
{
	struct pyset set;
	struct enums e = {&set, ctx};
	int rc = pyset_parse(&set, ctx, files, n, CT_PY_DROP_BODIES, err);

	if (!rc || ctx->keep_going)
		each_class(&set, one, &e);
	pyset_release(&set);
	return rc;
}

const struct ct_extractor ct_extract_python_enum = {
    "python-enum", "Enum classes: members in order with their values", run};
