#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "contracts/file.h"

static char dir[64];

static void make_dir(void)
{
	strcpy(dir, "/tmp/ct-file-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(file, .init = make_dir, .fini = remove_dir);

static void put(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

Test(file, reads_a_whole_file)
{
	struct ct_buf b = CT_BUF_INIT;
	struct ct_err e = CT_ERR_INIT;
	char path[128];

	put("a.txt", "hello\n");
	snprintf(path, sizeof(path), "%s/a.txt", dir);
	cr_assert_eq(ct_file_read(&b, path, 0, &e), 0);
	cr_assert_str_eq(b.ptr, "hello\n");
	ct_buf_release(&b);
}

Test(file, names_a_missing_file)
{
	struct ct_buf b = CT_BUF_INIT;
	struct ct_err e = CT_ERR_INIT;
	char path[128];

	snprintf(path, sizeof(path), "%s/none.json", dir);
	cr_assert_eq(ct_file_read(&b, path, 0, &e), CT_ENOTFOUND);
	cr_assert_str_eq(e.path, path);
	cr_assert_str_eq(e.msg, "cannot open: no such file or directory");
}

Test(file, refuses_a_directory)
{
	struct ct_buf b = CT_BUF_INIT;
	struct ct_err e = CT_ERR_INIT;

	cr_assert_eq(ct_file_read(&b, dir, 0, &e), CT_EIO);
	cr_assert_str_eq(e.msg, "is a directory, not a file");
}

Test(file, refuses_a_file_over_the_limit_without_reading_it, .timeout = 10)
{
	struct ct_buf b = CT_BUF_INIT;
	struct ct_err e = CT_ERR_INIT;
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/big.json", dir);
	fd = open(path, O_CREAT | O_WRONLY, 0644);
	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, (off_t)100 << 20), 0); /* 100 MiB, sparse */
	close(fd);
	cr_assert_eq(ct_file_read(&b, path, CT_FILE_MAX_DEFAULT, &e),
		     CT_ETOOBIG);
	cr_assert_str_eq(
	    e.msg, "file is 104857600 bytes, over the 67108864 byte limit");
	cr_assert_eq(b.len, 0);
}

Test(file, replaces_atomically_and_leaves_no_temporary)
{
	struct ct_buf b = CT_BUF_INIT;
	struct ct_err e = CT_ERR_INIT;
	char path[128];
	DIR *d;
	struct dirent *ent;
	int n = 0;

	put("pin.json", "old\n");
	snprintf(path, sizeof(path), "%s/pin.json", dir);
	cr_assert_eq(ct_file_write_atomic(path, "new\n", 4, &e), 0);
	cr_assert_eq(ct_file_read(&b, path, 0, &e), 0);
	cr_assert_str_eq(b.ptr, "new\n");
	d = opendir(dir);
	while ((ent = readdir(d)))
		n += ent->d_name[0] != '.';
	closedir(d);
	cr_assert_eq(n, 1, "a temporary file was left behind");
	ct_buf_release(&b);
}

Test(file, failed_write_keeps_nothing)
{
	struct ct_err e = CT_ERR_INIT;
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), "%s/no/such/folder/x.json", dir);
	cr_assert_eq(ct_file_write_atomic(path, "x", 1, &e), CT_EIO);
	cr_assert_str_eq(e.path, path);
	cr_assert_neq(stat(path, &st), 0);
}

Test(file, makes_nested_folders)
{
	struct ct_err e = CT_ERR_INIT;
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), "%s/a/b/c", dir);
	cr_assert_eq(ct_file_mkdirs(path, &e), 0);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert(S_ISDIR(st.st_mode));
	cr_assert_eq(ct_file_mkdirs(path, &e), 0); /* again: fine */
}
