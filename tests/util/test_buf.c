#include <criterion/criterion.h>
#include <string.h>

#include "contracts/buf.h"
#include "contracts/err.h"

Test(buf, starts_empty_and_terminated)
{
	struct ct_buf b = CT_BUF_INIT;

	cr_assert_not_null(b.ptr);
	cr_assert_eq(b.len, 0);
	cr_assert_str_eq(b.ptr, "");
	ct_buf_release(&b);
}

Test(buf, appends_and_formats)
{
	struct ct_buf b = CT_BUF_INIT;

	ct_buf_adds(&b, "abc");
	ct_buf_addch(&b, '-');
	ct_buf_addf(&b, "%d/%s", 42, "x");
	cr_assert_str_eq(b.ptr, "abc-42/x");
	cr_assert_eq(b.len, 8);
	ct_buf_release(&b);
}

Test(buf, formats_longer_than_capacity)
{
	struct ct_buf b = CT_BUF_INIT;
	char big[5000];

	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ct_buf_adds(&b, "a");
	ct_buf_addf(&b, "%s", big);
	cr_assert_eq(b.len, 5000);
	cr_assert_eq(b.ptr[4999], 'y');
	cr_assert_eq(b.ptr[5000], '\0');
	ct_buf_release(&b);
}

Test(buf, is_binary_safe)
{
	struct ct_buf b = CT_BUF_INIT;

	ct_buf_add(&b, "a\0b", 3);
	cr_assert_eq(b.len, 3);
	cr_assert_eq(memcmp(b.ptr, "a\0b", 3), 0);
	ct_buf_release(&b);
}

Test(buf, refuses_to_grow_past_max)
{
	struct ct_buf b = CT_BUF_INIT;

	b.max = 4;
	cr_assert_eq(ct_buf_adds(&b, "abcd"), 0);
	cr_assert_eq(ct_buf_addch(&b, 'e'), CT_ETOOBIG);
	cr_assert_str_eq(b.ptr, "abcd");
	ct_buf_release(&b);
}

Test(buf, detach_hands_over_and_resets)
{
	struct ct_buf b = CT_BUF_INIT;
	size_t len;
	char *s;

	ct_buf_adds(&b, "hello");
	s = ct_buf_detach(&b, &len);
	cr_assert_str_eq(s, "hello");
	cr_assert_eq(len, 5);
	cr_assert_eq(b.len, 0);
	cr_assert_str_eq(b.ptr, "");
	free(s);
	s = ct_buf_detach(&b, NULL); /* empty buffer still gives a string */
	cr_assert_str_eq(s, "");
	free(s);
}

Test(buf, reset_keeps_memory)
{
	struct ct_buf b = CT_BUF_INIT;
	size_t cap;

	ct_buf_adds(&b, "hello");
	cap = b.cap;
	ct_buf_reset(&b);
	cr_assert_eq(b.len, 0);
	cr_assert_eq(b.cap, cap);
	cr_assert_str_eq(b.ptr, "");
	ct_buf_release(&b);
}

Test(err, formats_path_line_col)
{
	struct ct_err e = CT_ERR_INIT;
	char out[256];

	cr_assert_eq(
	    ct_err_at(&e, CT_EPARSE, "a.json", 3, 7, "bad %s", "thing"),
	    CT_EPARSE);
	cr_assert_str_eq(ct_err_format(out, sizeof(out), &e),
			 "a.json:3:7: bad thing");
	ct_err_at(&e, CT_EIO, "a.json", 0, 0, "gone");
	cr_assert_str_eq(ct_err_format(out, sizeof(out), &e), "a.json: gone");
	ct_err_set(&e, CT_EINVAL, "plain");
	cr_assert_str_eq(ct_err_format(out, sizeof(out), &e), "plain");
}

Test(err, maps_codes_to_exit_codes)
{
	cr_assert_eq(ct_err_exit_code(CT_EUNREACHABLE), CT_EXIT_UNREACHABLE);
	cr_assert_eq(ct_err_exit_code(CT_EPARSE), CT_EXIT_USAGE);
	cr_assert_eq(ct_err_exit_code(CT_ENOTFOUND), CT_EXIT_USAGE);
}
