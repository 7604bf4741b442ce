/* fuzz_pytoken: the tokenizer of each Python version, to the end of the
 * input. The first byte b picks the version (b % 3), CT_PYTOK_STRICT_UTF8
 * (b / 3 odd) and whether the source is detached at the end (b >= 128); the
 * rest is the source. A token's text that points into the decoded source
 * must end inside it; its repr() is taken as `py tokens` does. */
#include "fuzz.h"

#include "contracts/buf.h"
#include "contracts/pytoken.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum ct_pyversion versions[] = {CT_PY_3_11, CT_PY_3_12,
						     CT_PY_3_13};
	struct ct_pytokenizer *t = NULL;
	struct ct_err err = CT_ERR_INIT;
	struct ct_buf repr = CT_BUF_INIT;
	struct ct_pytok tok;
	const char *src;
	size_t len;
	int rc;

	if (size < 1)
		return 0;
	if (ct_pytok_new_ex(&t, (const char *)data + 1, size - 1, "f.py",
			    versions[data[0] % 3],
			    (data[0] / 3) & 1 ? CT_PYTOK_STRICT_UTF8 : 0, &err))
		return 0;
	src = ct_pytok_source(t, &len);
	while ((rc = ct_pytok_next(t, &tok, &err)) > 0) {
		/* text is in the source, or a static string ("\n", "utf-8") */
		if (tok.text >= src && tok.text <= src + len &&
		    tok.len > (size_t)(src + len - tok.text))
			fuzz_fail("token %s runs past the source",
				  ct_pytok_type_name(tok.type));
		ct_buf_reset(&repr);
		ct_py_repr(&repr, tok.text, tok.len);
	}
	if (rc < 0 && !err.msg[0])
		fuzz_fail("a tokenize error without a message");
	if (data[0] & 0x80) {
		char *own = ct_pytok_detach_source(t, &len);
		free(own);
	}
	ct_pytok_free(t);
	ct_buf_release(&repr);
	return 0;
}
