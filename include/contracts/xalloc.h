/*
 * xalloc.h - allocation that never returns NULL.
 *
 * Out of memory prints one line and aborts; no other code checks for it.
 */
#ifndef CT_XALLOC_H
#define CT_XALLOC_H

#include <stddef.h>

void *ct_xmalloc(size_t size);
void *ct_xcalloc(size_t n, size_t size);
void *ct_xrealloc(void *ptr, size_t size);
/* Grows an array of `*cap` elements of `size` bytes to hold `need`. */
void *ct_xgrow(void *ptr, size_t *cap, size_t need, size_t size);
char *ct_xstrdup(const char *s);
char *ct_xstrndup(const char *s, size_t n);

#endif
