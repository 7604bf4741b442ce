/*
 * buf.h - one growable byte buffer for the whole project.
 *
 * Rules: `ptr` is never NULL and always NUL-terminated, so a buffer can be
 * handed to any C string function; it is binary-safe (`len` is the truth).
 * A buffer starts as CT_BUF_INIT, which points at a shared empty string and
 * owns nothing. An optional `max` (0 = none) makes growth past it fail with
 * CT_ETOOBIG instead of allocating, so file reads and HTTP bodies stay
 * bounded. Out of memory aborts (see xalloc.h). Depends on nothing else.
 */
#ifndef CT_BUF_H
#define CT_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct ct_buf {
	char *ptr;
	size_t len, cap, max;
};

extern char ct_buf_empty[];
#define CT_BUF_INIT                                                            \
	{                                                                      \
		ct_buf_empty, 0, 0, 0                                          \
	}

/* Makes room for `extra` more bytes; CT_ETOOBIG past `max`. */
int ct_buf_grow(struct ct_buf *b, size_t extra);
int ct_buf_add(struct ct_buf *b, const void *data, size_t len);
int ct_buf_adds(struct ct_buf *b, const char *s);
int ct_buf_addch(struct ct_buf *b, char c);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
int ct_buf_addf(struct ct_buf *b, const char *fmt, ...);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 0)))
#endif
int ct_buf_vaddf(struct ct_buf *b, const char *fmt, va_list ap);

/* Empties the buffer and keeps its memory. */
void ct_buf_reset(struct ct_buf *b);
/* Frees the memory and returns the buffer to CT_BUF_INIT (keeps `max`). */
void ct_buf_release(struct ct_buf *b);
/* Hands the contents over: the caller frees the result with free(). The
 * buffer is left as CT_BUF_INIT. Never returns NULL. */
char *ct_buf_detach(struct ct_buf *b, size_t *len_out);

#endif
