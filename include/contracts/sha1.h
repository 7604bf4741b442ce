/*
 * sha1.h - SHA-1, to name cache entries and to give a work tree's files
 * the ids git gives their blobs. Not for security.
 */
#ifndef CT_SHA1_H
#define CT_SHA1_H

#include <stddef.h>
#include <stdint.h>

struct ct_sha1 {
	uint32_t h[5];
	uint64_t len;
	unsigned char buf[64];
	size_t used;
};

void ct_sha1_init(struct ct_sha1 *s);
void ct_sha1_add(struct ct_sha1 *s, const void *data, size_t len);
/* The digest as 40 lowercase hex digits and a NUL; `s` is spent. */
void ct_sha1_hex(struct ct_sha1 *s, char out[41]);

/* The id git gives a blob of these bytes: SHA-1 of "blob LEN\0" + bytes. */
void ct_sha1_blob_id(char out[41], const void *data, size_t len);

#endif
