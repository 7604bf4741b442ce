#include <criterion/criterion.h>
#include <string.h>

#include "contracts/pep440.h"

/* -1, 0 or 1 for two versions that read; 2 when one does not. */
static int cmp(const char *a, const char *b)
{
	int d;

	if (ct_pep440_cmp(&d, a, b))
		return 2;
	return d;
}

static void assert_order(const char *const *order, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			cr_assert_eq(cmp(order[i], order[j]),
				     i < j ? -1 : i > j, "%s against %s",
				     order[i], order[j]);
}

/* Security probe: 0.0.18rc1 against 0.0.18 looped forever. */
Test(pep440, pre_and_post_releases_end, .timeout = 5)
{
	cr_assert_eq(cmp("0.0.18rc1", "0.0.18"), -1);
	cr_assert_eq(cmp("0.0.18", "0.0.18rc1"), 1);
	cr_assert_eq(cmp("0.0.18.post1", "0.0.18"), 1);
	cr_assert_eq(cmp("0.0.18", "0.0.18.post1"), -1);
	cr_assert_eq(cmp("0.0.18.dev3", "0.0.18a1"), -1);
	cr_assert_eq(cmp("0.0.18.dev3", "0.0.18"), -1);
	cr_assert_eq(cmp("0.0.18+local.7", "0.0.18"), 1);
}

/* The order of PEP 440's own example ("Summary of permitted suffixes and
 * relative ordering"), which packaging's tests take over, written out. */
Test(pep440, follows_the_documented_order, .timeout = 5)
{
	static const char *const order[] = {
	    "1.dev0",
	    "1.0.dev456",
	    "1.0a1",
	    "1.0a2.dev456",
	    "1.0a12.dev456",
	    "1.0a12",
	    "1.0b1.dev456",
	    "1.0b2",
	    "1.0b2.post345.dev456",
	    "1.0b2.post345",
	    "1.0b2-346",
	    "1.0c1.dev456",
	    "1.0c1",
	    "1.0rc2",
	    "1.0c3",
	    "1.0",
	    "1.0.post456.dev34",
	    "1.0.post456",
	    "1.1.dev1",
	    "1.2+123abc",
	    "1.2+123abc456",
	    "1.2+abc",
	    "1.2+abc123",
	    "1.2+abc123def",
	    "1.2+1234.abc",
	    "1.2+123456",
	    "1.2.r32+123456",
	    "1.2.rev33+123456",
	    "1!1.0b2.post345.dev456",
	    "1!1.0",
	    "1!1.0.post456",
	    "1!1.2.rev33+123456",
	};

	assert_order(order, sizeof(order) / sizeof(*order));
}

/* The real tags of both repositories sort as packaging sorts them
 * (sorted(tags, key=Version) on each, merged by hand). */
Test(pep440, orders_the_real_tags, .timeout = 5)
{
	static const char *const order[] = {
	    "v0.0.b2",	     "v0.0.1",	       "v0.0.5-beta1",	"v0.0.5",
	    "v0.0.6b1",	     "v0.0.6b2.post1", "v0.0.6.post4",	"v0.0.9.post4",
	    "v0.0.11rc8",    "v0.0.13.post4",  "v0.0.15rc1",	"v0.0.15rc2",
	    "v0.0.15rc10",   "v0.0.15",	       "v0.0.15.post2", "v0.0.16rc12",
	    "v0.0.16.post1", "v0.0.16.post6",  "v0.0.18rc1",	"v0.0.18",
	    "v0.0.18.post5", "v0.0.19",	       "v0.0.19.post5",
	};

	assert_order(order, sizeof(order) / sizeof(*order));
}

Test(pep440, spellings_of_one_version_are_equal, .timeout = 5)
{
	static const char *const same[][2] = {
	    {"1.0", "1.0.0"},	     {"1.00.018", "1.0.18"},
	    {"1.0RC1", "1.0-c-1"},   {"1.0alpha", "1.0a0"},
	    {"1.0-1", "1.0.post1"},  {"1.0.rev2", "1.0post2"},
	    {"1.0-beta-", "1.0b0"},  {"1.0a.dev1", "1.0a0.dev1"},
	    {"v1.0", "1.0"},	     {" 1.0\n", "1.0"},
	    {"1.0+ABC", "1.0+abc"},  {"1.0+a-b_c", "1.0+a.b.c"},
	    {"0!1.0", "1.0"},	     {"1.0preview2", "1.0rc2"},
	    {"1.0-dev", "1.0.dev0"}, {"1.0_post_7", "1.0.post7"},
	};

	for (size_t i = 0; i < sizeof(same) / sizeof(*same); i++)
		cr_assert_eq(cmp(same[i][0], same[i][1]), 0, "%s = %s",
			     same[i][0], same[i][1]);
	cr_assert_eq(
	    cmp("99999999999999999999999.1", "99999999999999999999998.9"), 1);
}

/* str(Version(s)) for each, as packaging writes it. */
Test(pep440, normalises_as_packaging_does, .timeout = 5)
{
	static const char *const norm[][2] = {
	    {"v0.0.19.post5", "0.0.19.post5"},
	    {"v0.0.b2", "0.0b2"},
	    {"v0.0.5-beta1", "0.0.5b1"},
	    {"V1.0RC1", "1.0rc1"},
	    {"1.0-c-1", "1.0rc1"},
	    {"1.0alpha", "1.0a0"},
	    {"1.0-1", "1.0.post1"},
	    {"1.0.rev", "1.0.post0"},
	    {"1.0-dev", "1.0.dev0"},
	    {"01.002.0003", "1.2.3"},
	    {"0!1.0", "1.0"},
	    {"2!1.0", "2!1.0"},
	    {"1.0+Ubuntu-1_A", "1.0+ubuntu.1.a"},
	    {" 1.0.0 ", "1.0.0"},
	    {"1.0a1.post2.dev3+x", "1.0a1.post2.dev3+x"},
	};

	for (size_t i = 0; i < sizeof(norm) / sizeof(*norm); i++) {
		struct ct_pep440 v;
		struct ct_buf b = CT_BUF_INIT;
		cr_assert_eq(ct_pep440_parse(&v, norm[i][0]), 0, "%s",
			     norm[i][0]);
		ct_pep440_normalize(&b, &v);
		cr_assert_str_eq(b.ptr, norm[i][1]);
		ct_buf_release(&b);
	}
}

Test(pep440, refuses_what_packaging_refuses, .timeout = 5)
{
	static const char *const bad[] = {
	    "", "soon", "1.", ".1", "1..2", "1.0x", "1.0rc1rc2", "1.0+",
	    "1.0+a..b", "v", "1.0 0", "1.0+a+b", "1.0.post1.post2",
	    "1.0.dev1.dev2", "1.0-", "!1.0", "1!", "1.0+_a", "1.0+a_",
	    "1.0.dev1a1", "1.0.post1a1", "1.0-final",
	    /* 33 release numbers, more than are kept */
	    ("1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24."
	     "25.26.27.28.29.30.31.32.33")};

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		cr_assert_eq(cmp(bad[i], "1.0"), 2, "%s", bad[i]);
}
