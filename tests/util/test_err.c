#include <criterion/criterion.h>
#include <string.h>

#include "contracts/err.h"

/* Security probe: control characters in a path were echoed raw. */
Test(err, control_characters_in_messages_are_escaped)
{
	struct ct_err e = CT_ERR_INIT;
	char out[256];

	ct_err_at(&e, CT_ENOTFOUND, "a\x1b[31m\nb.json", 2, 3, "no shape '%s'",
		  "x\ty\x7f");
	cr_assert_str_eq(ct_err_format(out, sizeof(out), &e),
			 "a\\x1b[31m\\x0ab.json:2:3: no shape 'x\\x09y\\x7f'");
	/* UTF-8 is not a control character */
	cr_assert_str_eq(ct_err_escape(out, sizeof(out), "caf\xc3\xa9"),
			 "caf\xc3\xa9");
	/* truncated, never split inside an escape */
	cr_assert_str_eq(ct_err_escape(out, 6, "ab\x1b"), "ab");
	cr_assert_str_eq(ct_err_escape(out, 7, "ab\x1b"), "ab\\x1b");
}
