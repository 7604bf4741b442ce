/*
 * http.h - HTTP through libcurl, for delivering reports (a webhook, the
 * GitHub REST API) and reading documents from URLs. The only module that
 * sees libcurl (src/source/http.c).
 *
 * Every request has a connect and a total time-out, a body size limit and
 * TLS verification on. A time-out or a 5xx answer is retried with
 * exponential backoff; nothing else is. Failing to get an answer at all is
 * CT_EUNREACHABLE (exit 3).
 */
#ifndef CT_HTTP_H
#define CT_HTTP_H

#include <stddef.h>

#include "contracts/buf.h"
#include "contracts/err.h"

struct ct_http_opts {
	long connect_timeout_ms; /* 0: 5 s */
	long timeout_ms;	 /* 0: 30 s */
	int retries;		 /* after the first try; <0: none, 0: 3 */
	long backoff_ms;	 /* first wait; doubles; 0: 500 ms, or
				    $CONTRACTS_HTTP_BACKOFF_MS */
	size_t max_body;	 /* 0: 16 MiB */
	const char *token;	 /* a bearer token, or NULL */
	const char *ca_file;	 /* an extra CA file, or NULL */
};

struct ct_http_response {
	long status;
	struct ct_buf body;
	int attempts;
};

/* Sends `method` to `url` with an optional JSON body. The answer, whatever
 * its status, fills `out` (release its body); errors are only for getting
 * no answer (after the retries). */
int ct_http_request(struct ct_http_response *out, const char *method,
		    const char *url, const char *body, size_t len,
		    const char *const *headers, const struct ct_http_opts *opts,
		    struct ct_err *err);

#endif
