#include "contracts/err.h"

#include "contracts/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void copy_str(char *dst, size_t size, const char *src)
{
	size_t n = src ? strlen(src) : 0;
	if (n >= size)
		n = size - 1;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

#if defined(__GNUC__)
__attribute__((format(printf, 6, 0)))
#endif
static int
vset(struct ct_err *err, int code, const char *path, unsigned line,
     unsigned col, const char *fmt, va_list ap);

static int vset(struct ct_err *err, int code, const char *path, unsigned line,
		unsigned col, const char *fmt, va_list ap)
{
	if (!err)
		return code;
	err->code = code;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	copy_str(err->path, sizeof(err->path), path);
	err->line = line;
	err->col = col;
	return code;
}

int ct_err_set(struct ct_err *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(err, code, NULL, 0, 0, fmt, ap);
	va_end(ap);
	return code;
}

int ct_err_at(struct ct_err *err, int code, const char *path, unsigned line,
	      unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(err, code, path, line, col, fmt, ap);
	va_end(ap);
	return code;
}

const char *ct_err_escape(char *out, size_t size, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

	if (!size)
		return out;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c != 0x7f) {
			if (n + 1 >= size)
				break;
			out[n++] = (char)c;
		} else {
			if (n + 4 >= size)
				break;
			out[n++] = '\\';
			out[n++] = 'x';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 15];
		}
	}
	out[n] = '\0';
	return out;
}

const char *ct_err_format(char *out, size_t size, const struct ct_err *err)
{
	char raw[sizeof(err->msg) + sizeof(err->path) + 32];

	if (!err->path[0])
		snprintf(raw, sizeof(raw), "%s", err->msg);
	else if (!err->line)
		snprintf(raw, sizeof(raw), "%s: %s", err->path, err->msg);
	else if (!err->col)
		snprintf(raw, sizeof(raw), "%s:%u: %s", err->path, err->line,
			 err->msg);
	else
		snprintf(raw, sizeof(raw), "%s:%u:%u: %s", err->path, err->line,
			 err->col, err->msg);
	/* a path or name may hold control characters: never echo them */
	return ct_err_escape(out, size, raw);
}

int ct_err_exit_code(int code)
{
	return code == CT_EUNREACHABLE ? CT_EXIT_UNREACHABLE : CT_EXIT_USAGE;
}

_Noreturn void ct_bug(const char *file, int line, const char *msg)
{
	fprintf(stderr, "contracts: BUG: %s:%d: %s\n", file, line, msg);
	abort();
}

void ct_errs_add(struct ct_errs *list, const struct ct_err *err)
{
	for (size_t i = 0; i < list->n; i++)
		if (!strcmp(list->v[i].msg, err->msg) &&
		    !strcmp(list->v[i].path, err->path) &&
		    list->v[i].line == err->line && list->v[i].col == err->col)
			return;
	list->v = ct_xgrow(list->v, &list->cap, list->n + 1, sizeof(*list->v));
	list->v[list->n++] = *err;
}

void ct_errs_release(struct ct_errs *list)
{
	free(list->v);
	list->v = NULL;
	list->n = list->cap = 0;
}
