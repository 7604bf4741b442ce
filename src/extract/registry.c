#include "contracts/extract.h"

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
