/* fuzz_jsonfile: the json-file extractor on the input as one file, with
 * each of its option sets (docs/manifest.md): a list at a pointer, and the
 * proxbox-api-sse-schema format whole, each half ("part") and some classes.
 * Each run fills a fresh document, which is then written canonically. */
#include "fuzz.h"

#include <json-c/json.h>

#include "contracts/extract.h"

static const char *const option_texts[] = {
    "{\"pointer\": \"/fields\", \"list\": \"l\"}",
    "{\"pointer\": \"\", \"list\": \"l\"}",
    "{\"pointer\": \"/a/0\", \"list\": \"l\"}",
    "{\"format\": \"proxbox-api-sse-schema\"}",
    "{\"format\": \"proxbox-api-sse-schema\", \"part\": \"enums\"}",
    "{\"format\": \"proxbox-api-sse-schema\", \"part\": \"payloads\"}",
    "{\"format\": \"proxbox-api-sse-schema\", \"classes\": [\"A\", \"B\"]}",
};
#define NOPTIONS (sizeof(option_texts) / sizeof(*option_texts))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_object *options[NOPTIONS];
	static const struct ct_extractor *x;
	struct ct_source_file file = {"f.json", (const char *)data, size};

	if (!x) { /* kept for the life of the process */
		for (size_t i = 0; i < NOPTIONS; i++)
			options[i] = json_tokener_parse(option_texts[i]);
		if (!(x = ct_extractor_find("json-file")))
			fuzz_fail("no json-file extractor");
	}
	for (size_t k = 0; k < NOPTIONS; k++) {
		struct ct_extract_ctx ctx = {0};
		struct ct_buf out = CT_BUF_INIT;
		struct ct_err err = CT_ERR_INIT;
		ctx.repo = "r";
		ctx.commit = "c";
		ctx.options = options[k];
		ctx.out = ct_contract_new("fuzz", CT_DIR_EXACT);
		if (!x->run(&ctx, &file, 1, &err))
			ct_contract_write(&out, ctx.out, &err);
		ct_buf_release(&out);
		ct_contract_free(ctx.out);
	}
	return 0;
}
