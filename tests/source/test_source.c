#include <criterion/criterion.h>
#include <stdlib.h>

#include "contracts/source.h"

static void split_is(const char *spec, const char *loc, const char *ref)
{
	char *l = NULL, *r = NULL;

	cr_assert_eq(ct_source_spec_split(spec, &l, &r), 0, "%s", spec);
	cr_assert_str_eq(l, loc, "%s", spec);
	if (ref)
		cr_assert_str_eq(r, ref, "%s", spec);
	else
		cr_assert_null(r, "%s: ref %s", spec, r);
	free(l);
	free(r);
}

Test(source, splits_specs)
{
	split_is("https://github.com/o/r@v0.0.17", "https://github.com/o/r",
		 "v0.0.17");
	split_is("https://github.com/o/r", "https://github.com/o/r", NULL);
	split_is("https://user:pw@github.com/o/r",
		 "https://user:pw@github.com/o/r", NULL);
	split_is("https://user@host/o/r@main", "https://user@host/o/r", "main");
	split_is("git://127.0.0.1:9418/r.git@feature/x",
		 "git://127.0.0.1:9418/r.git", "feature/x");
	split_is("../netbox-proxbox@WORKTREE", "../netbox-proxbox", "WORKTREE");
	split_is("/srv/repo.git@abc123", "/srv/repo.git", "abc123");
	split_is("repo", "repo", NULL);
}

Test(source, matches_globs)
{
	cr_assert(ct_glob_match("proxbox_api/routes/**/*.py",
				"proxbox_api/routes/a.py"));
	cr_assert(ct_glob_match("proxbox_api/routes/**/*.py",
				"proxbox_api/routes/x/y/a.py"));
	cr_assert_not(ct_glob_match("proxbox_api/routes/**/*.py",
				    "proxbox_api/schemas/a.py"));
	cr_assert(ct_glob_match("*.py", "a.py"));
	cr_assert_not(ct_glob_match("*.py", "dir/a.py"));
	cr_assert(ct_glob_match("**", "any/thing"));
	cr_assert(ct_glob_match("a?c", "abc"));
	cr_assert_not(ct_glob_match("a?c", "a/c"));
	cr_assert(ct_glob_match(NULL, "x"));
	cr_assert(ct_glob_match("**/constants.py", "constants.py"));
	cr_assert(
	    ct_glob_match("**/constants.py", "netbox_proxbox/constants.py"));
}

Test(source, redacts_user_info)
{
	struct ct_buf b = CT_BUF_INIT;

	ct_redact_url(&b, "https://x-access-token:ghp_secret@github.com/o/r");
	cr_assert_str_eq(b.ptr, "https://***@github.com/o/r");
	ct_buf_reset(&b);
	ct_redact_url(&b, "https://github.com/o/r@main");
	cr_assert_str_eq(b.ptr, "https://github.com/o/r@main");
	ct_buf_reset(&b);
	ct_redact_url(&b, "/local/path@x");
	cr_assert_str_eq(b.ptr, "/local/path@x");
	ct_buf_release(&b);
}

Test(source, refuses_paths_that_escape)
{
	cr_assert(ct_path_is_safe("a/b.py"));
	cr_assert_not(ct_path_is_safe("../a"));
	cr_assert_not(ct_path_is_safe("a/../../b"));
	cr_assert_not(ct_path_is_safe("/etc/passwd"));
	cr_assert_not(ct_path_is_safe("a//b"));
	cr_assert_not(ct_path_is_safe("./a"));
	cr_assert_not(ct_path_is_safe("a/"));
	cr_assert_not(ct_path_is_safe(""));
}
