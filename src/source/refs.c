/* refs.c - what a plain ref names in a git directory, read from its files
 * (HEAD, loose refs, packed-refs) without opening the repository: so that
 * a run whose every answer is in the cache never starts libgit2. Only the
 * simple cases are answered; everything else is left to libgit2. */
#include "source_impl.h"

#include "contracts/file.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int is_hex40(const char *s, size_t n)
{
	if (n != 40)
		return 0;
	for (size_t i = 0; i < 40; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* The id in packed-refs for `name`, peeled when the file says so. */
static int packed(char out[41], const char *gitdir, const char *name)
{
	struct ct_buf path = CT_BUF_INIT, text = CT_BUF_INIT;
	struct ct_err err = CT_ERR_INIT;
	size_t n = strlen(name);
	int rc = -1;

	ct_buf_addf(&path, "%s/packed-refs", gitdir);
	if (!ct_file_read(&text, path.ptr, (size_t)64 << 20, &err)) {
		for (const char *p = text.ptr; *p;) {
			const char *nl = strchr(p, '\n'),
				   *end = nl ? nl : p + strlen(p);
			if (end - p == (long)(41 + n) && is_hex40(p, 40) &&
			    p[40] == ' ' && !memcmp(p + 41, name, n)) {
				memcpy(out, p, 40);
				out[40] = '\0';
				rc = 0;
				/* an annotated tag: the next line peels it */
				if (nl && nl[1] == '^' &&
				    is_hex40(nl + 2, 40) &&
				    (nl[42] == '\n' || !nl[42])) {
					memcpy(out, nl + 2, 40);
				}
				break;
			}
			p = nl ? nl + 1 : end;
		}
	}
	ct_buf_release(&path);
	ct_buf_release(&text);
	return rc;
}

/* Reads ref `name` (a path under the git directory): 1 with *out set, 0
 * when there is no such ref, -1 when it cannot tell. */
static int read_ref(char out[41], const char *gitdir, const char *name,
		    int depth)
{
	struct ct_buf path = CT_BUF_INIT, text = CT_BUF_INIT;
	struct ct_err err = CT_ERR_INIT;
	struct stat st;
	int rc;

	if (depth > 5 || strstr(name, ".."))
		return -1;
	ct_buf_addf(&path, "%s/%s", gitdir, name);
	if (stat(path.ptr, &st)) {
		rc = packed(out, gitdir, name) ? 0 : 1;
	} else if (!S_ISREG(st.st_mode) ||
		   ct_file_read(&text, path.ptr, 4096, &err)) {
		rc = -1;
	} else {
		size_t n = strcspn(text.ptr, "\r\n");
		text.ptr[n] = '\0';
		if (!strncmp(text.ptr, "ref: ", 5)) {
			rc = read_ref(out, gitdir, text.ptr + 5, depth + 1);
			if (rc == 0)
				rc = -1; /* a dangling symbolic ref: unborn */
		} else if (is_hex40(text.ptr, n)) {
			memcpy(out, text.ptr, 41);
			rc = 1;
		} else {
			rc = -1;
		}
	}
	ct_buf_release(&path);
	ct_buf_release(&text);
	return rc;
}

int ct_refs_resolve(char out[41], const char *gitdir, const char *ref)
{
	/* libgit2's (and git's) order: prefix, the name, suffix */
	static const char *const dwim[][2] = {{"", ""},
					      {"refs/", ""},
					      {"refs/tags/", ""},
					      {"refs/heads/", ""},
					      {"refs/remotes/", ""},
					      {"refs/remotes/", "/HEAD"}};
	char name[512];

	if (!ref || !strcmp(ref, "HEAD"))
		return read_ref(out, gitdir, "HEAD", 0) == 1 ? 0 : -1;
	if (is_hex40(ref, strlen(ref))) {
		memcpy(out, ref, 41);
		return 0;
	}
	/* only plain names: revision syntax is libgit2's to read */
	if (!*ref || strpbrk(ref, "~^:@{}?*[\\ ") || ref[0] == '/' ||
	    ref[0] == '-' || strlen(ref) > 400)
		return -1;
	for (size_t i = 0; i < sizeof(dwim) / sizeof(*dwim); i++) {
		int rc;
		/* "%s" alone: only names git keeps at the top (HEAD,
		 * FETCH_HEAD, ...) or full names under refs/ */
		if (i == 0 && strncmp(ref, "refs/", 5) &&
		    strspn(ref, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") != strlen(ref))
			continue;
		snprintf(name, sizeof(name), "%s%s%s", dwim[i][0], ref,
			 dwim[i][1]);
		if ((rc = read_ref(out, gitdir, name, 0)) != 0)
			return rc == 1 ? 0 : -1;
	}
	return -1;
}
