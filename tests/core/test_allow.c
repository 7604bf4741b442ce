#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "contracts/allow.h"

/* Security probe: --until 2030-13-45 was accepted. */
Test(allow, until_must_be_a_calendar_date, .timeout = 5)
{
	static const char *const bad[] = {
	    "2030-13-45", "2030-00-10", "2030-01-00", "2030-04-31",
	    "2030-02-29", "2100-02-29", "2030-1-01",  "2030/01/01"};
	static const char *const good[] = {"2030-12-31", "2028-02-29",
					   "2000-02-29", "2030-04-30"};
	char dir[] = "/tmp/ct-allow-XXXXXX", path[64];
	struct ct_err e = CT_ERR_INIT;
	char want[128];

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/allow.json", dir);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		cr_assert_eq(ct_allow_add(path, "0123456789abcdef", "r", bad[i],
					  NULL, &e),
			     CT_EINVAL, "%s", bad[i]);
		snprintf(want, sizeof(want),
			 "--until '%s' is not a date YYYY-MM-DD", bad[i]);
		cr_assert_str_eq(e.msg, want);
	}
	cr_assert_eq(access(path, F_OK), -1, "nothing is written");
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
		cr_assert_eq(ct_allow_add(path, "0123456789abcdef", "r",
					  good[i], NULL, &e),
			     0, "%s: %s", good[i], e.msg);
	unlink(path);
	rmdir(dir);
}

Test(allow, list_and_remove, .timeout = 5)
{
	char dir[] = "/tmp/ct-allow-XXXXXX", path[64];
	struct ct_err e = CT_ERR_INIT;
	struct ct_approval *v;
	size_t n;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/allow.json", dir);
	cr_assert_eq(ct_allow_list(&v, &n, path, &e), 0, "no file: none");
	cr_assert_eq(n, 0);
	ct_allow_list_free(v, n);
	cr_assert_eq(ct_allow_remove(path, "0123456789abcdef", &e),
		     CT_ENOTFOUND);
	cr_assert_eq(ct_allow_add(path, "0123456789abcdef", "one", "2030-01-01",
				  NULL, &e),
		     0);
	cr_assert_eq(
	    ct_allow_add(path, "fedcba9876543210", "two", NULL, "0.0.18", &e),
	    0);
	cr_assert_eq(ct_allow_list(&v, &n, path, &e), 0);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(v[0].fingerprint, "0123456789abcdef");
	cr_assert_str_eq(v[0].until, "2030-01-01");
	cr_assert_null(v[0].until_version);
	cr_assert_str_eq(v[1].reason, "two");
	cr_assert_str_eq(v[1].until_version, "0.0.18");
	cr_assert_null(v[1].until);
	ct_allow_list_free(v, n);

	cr_assert_eq(ct_allow_remove(path, "0123456789abcdef", &e), 0);
	cr_assert_eq(ct_allow_remove(path, "0123456789abcdef", &e),
		     CT_ENOTFOUND);
	cr_assert_str_eq(e.msg, "no approval of 0123456789abcdef");
	cr_assert_eq(ct_allow_remove(path, "nope", &e), CT_EINVAL);
	cr_assert_eq(ct_allow_list(&v, &n, path, &e), 0);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(v[0].fingerprint, "fedcba9876543210");
	ct_allow_list_free(v, n);
	unlink(path);
	rmdir(dir);
}
