#include "contracts/extract.h"

#include <string.h>

extern const struct ct_extractor ct_extract_python_enum,
    ct_extract_python_model;

static const struct ct_extractor *const extractors[] = {
    &ct_extract_python_enum,
    &ct_extract_python_model,
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
