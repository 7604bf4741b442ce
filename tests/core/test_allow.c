#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "contracts/allow.h"

/* -1, 0 or 1 for two versions that read; 2 when one does not. */
static int cmp(const char *a, const char *b)
{
	int d;

	if (ct_allow_version_cmp(&d, a, b))
		return 2;
	return d;
}

/* Security probe: 0.0.18rc1 against 0.0.18 looped forever. */
Test(allow, version_cmp_pre_and_post_releases_end, .timeout = 5)
{
	cr_assert_eq(cmp("0.0.18rc1", "0.0.18"), -1);
	cr_assert_eq(cmp("0.0.18", "0.0.18rc1"), 1);
	cr_assert_eq(cmp("0.0.18.post1", "0.0.18"), 1);
	cr_assert_eq(cmp("0.0.18", "0.0.18.post1"), -1);
	cr_assert_eq(cmp("0.0.18.dev3", "0.0.18a1"), -1);
	cr_assert_eq(cmp("0.0.18.dev3", "0.0.18"), -1);
	cr_assert_eq(cmp("0.0.18+local.7", "0.0.18"), 1);
}

Test(allow, version_cmp_follows_pep440_order, .timeout = 5)
{
	/* each sorts before the next, as packaging.version sorts them */
	static const char *const order[] = {
	    "1.0.dev456",    "1.0a1",
	    "1.0a2.dev456",  "1.0a12.dev456",
	    "1.0a12",	     "1.0b1.dev456",
	    "1.0b2",	     "1.0b2.post345.dev456",
	    "1.0b2.post345", "1.0rc1.dev456",
	    "1.0rc1",	     "1.0",
	    "1.0+abc.5",     "1.0+abc.7",
	    "1.0+5",	     "1.0.post456.dev34",
	    "1.0.post456",   "1.0.15",
	    "1.1.dev1",	     "v2",
	    "1!0.1"};
	size_t n = sizeof(order) / sizeof(*order);

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			cr_assert_eq(cmp(order[i], order[j]),
				     i < j ? -1 : i > j, "%s against %s",
				     order[i], order[j]);
	/* spellings of the same version */
	cr_assert_eq(cmp("1.0", "1.0.0"), 0);
	cr_assert_eq(cmp("1.00.018", "1.0.18"), 0);
	cr_assert_eq(cmp("1.0RC1", "1.0-c-1"), 0);
	cr_assert_eq(cmp("1.0alpha", "1.0a0"), 0);
	cr_assert_eq(cmp("1.0-1", "1.0.post1"), 0);
	cr_assert_eq(cmp("1.0.rev2", "1.0post2"), 0);
	cr_assert_eq(cmp("1.0-beta-", "1.0b0"), 0);
	cr_assert_eq(cmp("1.0a.dev1", "1.0a0.dev1"), 0);
	cr_assert_eq(
	    cmp("99999999999999999999999.1", "99999999999999999999998.9"), 1);
}

Test(allow, version_cmp_refuses_what_it_cannot_read, .timeout = 5)
{
	static const char *const bad[] = {
	    "", "soon", "1.", ".1", "1..2", "1.0x", "1.0rc1rc2", "1.0+",
	    "1.0+a..b", "1.0 ", "v",
	    /* 33 release numbers, more than are kept */
	    ("1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24."
	     "25.26.27.28.29.30.31.32.33")};

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		cr_assert_eq(cmp(bad[i], "1.0"), 2, "%s", bad[i]);
}

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
