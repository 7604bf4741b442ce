/* HTTP through libcurl: the only file that includes <curl/curl.h>. */
#include "contracts/http.h"

#include "contracts/source.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct sink {
	struct ct_buf *body;
	size_t max;
	int too_big;
};

static size_t on_data(char *data, size_t size, size_t n, void *user)
{
	struct sink *s = user;
	size_t len = size * n;

	if (s->body->len + len > s->max) {
		s->too_big = 1;
		return 0; /* stops the transfer */
	}
	ct_buf_add(s->body, data, len);
	return len;
}

static void nap(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&t, NULL);
}

int ct_http_request(struct ct_http_response *out, const char *method,
		    const char *url, const char *body, size_t len,
		    const char *const *headers, const struct ct_http_opts *opts,
		    struct ct_err *err)
{
	struct ct_http_opts o;
	struct curl_slist *hdrs = NULL;
	struct ct_buf label = CT_BUF_INIT, auth = CT_BUF_INIT;
	const char *env = getenv("CONTRACTS_HTTP_BACKOFF_MS");
	long wait;
	int rc = 0;

	memset(&o, 0, sizeof(o));
	if (opts)
		o = *opts;
	if (!o.connect_timeout_ms)
		o.connect_timeout_ms = 5000;
	if (!o.timeout_ms) {
		const char *t = getenv("CONTRACTS_HTTP_TIMEOUT_MS");
		o.timeout_ms = t && *t ? strtol(t, NULL, 10) : 30000;
	}
	if (!o.retries)
		o.retries = 3;
	if (o.retries < 0)
		o.retries = 0;
	if (!o.backoff_ms)
		o.backoff_ms = env && *env ? strtol(env, NULL, 10) : 500;
	if (!o.max_body)
		o.max_body = (size_t)16 << 20;
	wait = o.backoff_ms;
	ct_redact_url(&label, url);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	for (const char *const *h = headers; h && *h; h++)
		hdrs = curl_slist_append(hdrs, *h);
	if (body)
		hdrs =
		    curl_slist_append(hdrs, "Content-Type: application/json");
	if (o.token) {
		ct_buf_addf(&auth, "Authorization: Bearer %s", o.token);
		hdrs = curl_slist_append(hdrs, auth.ptr);
	}
	memset(out, 0, sizeof(*out));
	out->body.ptr = ct_buf_empty;
	for (int attempt = 0;; attempt++) {
		CURL *c = curl_easy_init();
		struct sink s = {&out->body, o.max_body, 0};
		CURLcode cc;
		int retry;
		if (!c) {
			rc = ct_err_set(err, CT_EIO,
					"cannot start an HTTP request");
			break;
		}
		ct_buf_reset(&out->body);
		curl_easy_setopt(c, CURLOPT_URL, url);
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
		curl_easy_setopt(c, CURLOPT_USERAGENT, "contracts/" CT_VERSION);
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
				 o.connect_timeout_ms);
		curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, o.timeout_ms);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
		if (o.ca_file)
			curl_easy_setopt(c, CURLOPT_CAINFO, o.ca_file);
		if (body) {
			curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
			curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
					 (curl_off_t)len);
		}
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
		cc = curl_easy_perform(c);
		out->attempts = attempt + 1;
		out->status = 0;
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
		curl_easy_cleanup(c);
		if (s.too_big) {
			rc = ct_err_set(err, CT_ETOOBIG,
					"%s answered more than %zu bytes",
					label.ptr, o.max_body);
			break;
		}
		/* only time-outs and server errors are worth another try */
		retry = cc == CURLE_OPERATION_TIMEDOUT ||
			(cc == CURLE_OK && out->status >= 500);
		if (retry && attempt < o.retries) {
			nap(wait);
			wait *= 2;
			continue;
		}
		if (cc != CURLE_OK)
			rc =
			    ct_err_set(err, CT_EUNREACHABLE,
				       "%s %s: %s (after %d attempt%s)", method,
				       label.ptr, curl_easy_strerror(cc),
				       attempt + 1, attempt ? "s" : "");
		break;
	}
	curl_slist_free_all(hdrs);
	ct_buf_release(&auth);
	ct_buf_release(&label);
	curl_global_cleanup();
	return rc;
}
