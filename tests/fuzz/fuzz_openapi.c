/* fuzz_openapi: the openapi extractor on the input as one OpenAPI 3
 * document (JSON); it takes no options. The document it fills is written
 * canonically, and compared with itself as a writer and a reader. */
#include "fuzz.h"

#include "contracts/compat.h"
#include "contracts/diff.h"
#include "contracts/extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct ct_extractor *x;
	struct ct_source_file file = {"openapi.json", (const char *)data, size};
	struct ct_extract_ctx ctx = {0};
	struct ct_buf out = CT_BUF_INIT;
	struct ct_err err = CT_ERR_INIT;

	if (!x && !(x = ct_extractor_find("openapi")))
		fuzz_fail("no openapi extractor");
	ctx.repo = "r";
	ctx.commit = "c";
	ctx.out = ct_contract_new("fuzz", CT_DIR_PROVIDER_TO_CONSUMER);
	if (!x->run(&ctx, &file, 1, &err) &&
	    !ct_contract_write(&out, ctx.out, &err)) {
		struct ct_changes ch = CT_CHANGES_INIT;
		if (!ct_compat(&ch, ctx.out, ctx.out,
			       CT_DIR_PROVIDER_TO_CONSUMER, NULL, &err) &&
		    !ct_compat_ok(&ch))
			fuzz_fail("a document cannot read itself");
		ct_changes_release(&ch);
	}
	ct_buf_release(&out);
	ct_contract_free(ctx.out);
	return 0;
}
