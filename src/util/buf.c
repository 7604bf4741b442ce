#include "contracts/buf.h"

#include "contracts/err.h"
#include "contracts/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char ct_buf_empty[1];

int ct_buf_grow(struct ct_buf *b, size_t extra)
{
	size_t need, cap;

	if (extra > ((size_t)-1) - b->len - 1)
		return CT_ETOOBIG;
	need = b->len + extra + 1;
	if (b->max && need - 1 > b->max)
		return CT_ETOOBIG;
	if (need <= b->cap)
		return 0;
	cap = b->cap;
	if (b->cap == 0) {
		b->ptr = ct_xgrow(NULL, &cap, need, 1);
		b->ptr[0] = '\0';
	} else {
		b->ptr = ct_xgrow(b->ptr, &cap, need, 1);
	}
	b->cap = cap;
	return 0;
}

int ct_buf_add(struct ct_buf *b, const void *data, size_t len)
{
	int rc = ct_buf_grow(b, len);
	if (rc)
		return rc;
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

int ct_buf_adds(struct ct_buf *b, const char *s)
{
	return ct_buf_add(b, s, strlen(s));
}

int ct_buf_addch(struct ct_buf *b, char c)
{
	return ct_buf_add(b, &c, 1);
}

int ct_buf_vaddf(struct ct_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n, rc;

	va_copy(cp, ap);
	n = vsnprintf(b->ptr + b->len, b->cap ? b->cap - b->len : 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		CT_BUG("vsnprintf failed");
	if (b->cap && (size_t)n < b->cap - b->len) {
		b->len += (size_t)n;
		return 0;
	}
	rc = ct_buf_grow(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int ct_buf_addf(struct ct_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = ct_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void ct_buf_reset(struct ct_buf *b)
{
	b->len = 0;
	if (b->cap)
		b->ptr[0] = '\0';
}

void ct_buf_release(struct ct_buf *b)
{
	if (b->cap)
		free(b->ptr);
	b->ptr = ct_buf_empty;
	b->len = b->cap = 0;
}

char *ct_buf_detach(struct ct_buf *b, size_t *len_out)
{
	char *p = b->cap ? b->ptr : ct_xstrdup("");

	if (len_out)
		*len_out = b->len;
	b->ptr = ct_buf_empty;
	b->len = b->cap = 0;
	return p;
}
