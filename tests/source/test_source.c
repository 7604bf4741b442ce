#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* A fresh folder in no repository, removed by the caller. */
static void plain_folder(char *dir, size_t size)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, size, "%s/ct-source-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	cr_assert_not_null(mkdtemp(dir));
}

static void open_fails(const char *spec, int code, const char *msg)
{
	struct ct_source *s = NULL;
	struct ct_err err = CT_ERR_INIT;

	cr_assert_eq(ct_source_open(&s, spec, NULL, &err), code, "%s: %s", spec,
		     err.msg);
	cr_assert_null(s);
	cr_assert(strstr(err.msg, msg), "%s: '%s' lacks '%s'", spec, err.msg,
		  msg);
}

Test(source, refuses_a_missing_path)
{
	open_fails("/nonexistent/ct-source", CT_ENOTFOUND,
		   "no repository at '/nonexistent/ct-source': no such folder");
	open_fails("/nonexistent/ct-source@main", CT_ENOTFOUND,
		   "no such folder");
}

Test(source, refuses_a_file)
{
	char dir[512], file[600];
	FILE *f;

	plain_folder(dir, sizeof(dir));
	snprintf(file, sizeof(file), "%s/a.txt", dir);
	cr_assert_not_null(f = fopen(file, "w"));
	fclose(f);
	open_fails(file, CT_EINVAL, "it is a file, not a folder");
	remove(file);
	rmdir(dir);
}

Test(source, reads_a_plain_folder_as_it_is)
{
	struct ct_source *s = NULL;
	struct ct_err err = CT_ERR_INIT;
	char dir[512], spec[600];

	plain_folder(dir, sizeof(dir));
	cr_assert_eq(ct_source_open(&s, dir, NULL, &err), 0, "%s", err.msg);
	cr_assert_str_eq(ct_source_ref(s), "WORKTREE");
	cr_assert_null(ct_source_commit(s));
	ct_source_free(s);
	snprintf(spec, sizeof(spec), "%s@main", dir);
	open_fails(spec, CT_ENOTFOUND,
		   "is a folder in no git repository: it has no ref 'main'");
	rmdir(dir);
}
