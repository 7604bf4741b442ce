/*
 * err.h - error codes and the error record that travels up to the CLI.
 *
 * Fallible functions return 0 on success and a negative CT_E* code on
 * failure; they fill a caller-supplied `struct ct_err` (which stays
 * untouched on success) so a chain of calls is checked once. Only src/cli/
 * prints an error and turns it into an exit code.
 */
#ifndef CT_ERR_H
#define CT_ERR_H

#include <stddef.h>

enum {
	CT_OK = 0,
	CT_EINVAL = -1,	     /* bad input: usage, malformed or invalid data */
	CT_ENOTFOUND = -2,   /* a file, ref, key or shape that is not there */
	CT_EPARSE = -3,	     /* syntax error in a source or document */
	CT_ETOOBIG = -4,     /* over a size or depth limit */
	CT_EIO = -5,	     /* the operating system refused a read or write */
	CT_EUNREACHABLE = -6 /* a remote source could not be reached */
};

/* Exit codes of the contracts binary, everywhere. */
enum {
	CT_EXIT_OK = 0,
	CT_EXIT_DRIFT = 1,
	CT_EXIT_USAGE = 2,
	CT_EXIT_UNREACHABLE = 3
};

struct ct_err {
	int code;
	char msg[512];
	char path[512];	    /* the file or document named, "" when none */
	unsigned line, col; /* 1-based, 0 when unknown */
};

#define CT_ERR_INIT                                                            \
	{                                                                      \
		0, "", "", 0, 0                                                \
	}

/* A list of errors, for work that goes on past them (files that do not
 * parse, names that do not resolve): each is reported, none stops the run.
 * Release with ct_errs_release(). */
struct ct_errs {
	struct ct_err *v;
	size_t n, cap;
};

#define CT_ERRS_INIT                                                           \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

/* Appends a copy of `err`, unless an equal one is there already. */
void ct_errs_add(struct ct_errs *list, const struct ct_err *err);
void ct_errs_release(struct ct_errs *list);

/* Records an error and returns `code`, so callers can `return ct_err_set(...)`.
 */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
int ct_err_set(struct ct_err *err, int code, const char *fmt, ...);

/* Like ct_err_set, naming a place in a file (line and col may be 0). */
#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
int ct_err_at(struct ct_err *err, int code, const char *path, unsigned line,
	      unsigned col, const char *fmt, ...);

/* Copies `s` into `out` of `size` bytes (truncating), control characters
 * written as `\x1b`, so that a path or name quoted in a message cannot
 * move the cursor, recolour a terminal or forge a second line; returns
 * `out`. */
const char *ct_err_escape(char *out, size_t size, const char *s);

/* Formats the error as `path:line:col: message` (or just the message) into
 * `out` of `size` bytes, control characters escaped; returns `out`. */
const char *ct_err_format(char *out, size_t size, const struct ct_err *err);

/* The exit code for an error code: 3 for CT_EUNREACHABLE, else 2. */
int ct_err_exit_code(int code);

/* Aborts with file and line: a broken invariant, never bad input. */
#define CT_BUG(msg) ct_bug(__FILE__, __LINE__, (msg))
_Noreturn void ct_bug(const char *file, int line, const char *msg);

#endif
