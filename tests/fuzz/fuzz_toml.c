/* fuzz_toml: the gate's readers on the input. The TOML reader on the whole
 * input (a parsed tree is walked for lines and kinds, then freed); the
 * Python version reader on it as a file; and each line as a PEP 440
 * version, with an oracle: a version that reads, normalised, reads again
 * as an equal version with the same normal form. */
#include "fuzz.h"

#include <json-c/json.h>

#include "contracts/gate.h"
#include "contracts/pep440.h"
#include "contracts/toml.h"

static unsigned walk(json_object *v)
{
	unsigned n = ct_toml_line(v) + (unsigned)ct_toml_kind(v);

	if (json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, k, x)
		{
			(void)k;
			n += walk(x);
		}
	} else if (json_object_is_type(v, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(v); i++)
			n += walk(json_object_array_get_idx(v, i));
	}
	return n;
}

static void version_line(const char *s)
{
	struct ct_pep440 v, w;
	struct ct_buf a = CT_BUF_INIT, b = CT_BUF_INIT;

	if (ct_pep440_parse(&v, s))
		return;
	ct_pep440_normalize(&a, &v);
	if (ct_pep440_parse(&w, a.ptr))
		fuzz_fail("a normal form does not read");
	if (ct_pep440_order(&v, &w))
		fuzz_fail("a normal form is another version");
	ct_pep440_normalize(&b, &w);
	if (strcmp(a.ptr, b.ptr))
		fuzz_fail("normalising twice changes the form");
	ct_buf_release(&a);
	ct_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_err err = CT_ERR_INIT;
	json_object *doc = NULL;
	char *text = malloc(size + 1), *line, *v = NULL;
	unsigned at;
	int runtime;

	if (!ct_toml_parse(&doc, (const char *)data, size, "f.toml", &err)) {
		(void)walk(doc);
		json_object_put(doc);
	}
	memcpy(text, data, size);
	text[size] = '\0';
	if (!ct_gate_python_version(&v, &at, &runtime, text, "f.py", &err))
		free(v);
	for (line = text; line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		version_line(line);
		line = nl ? nl + 1 : NULL;
	}
	free(text);
	return 0;
}
