/* HTTP through libcurl: the only file that includes <curl/curl.h>.
 *
 * libcurl is loaded when the first request is made, not when the program
 * starts: it brings some thirty shared libraries (TLS, LDAP, Kerberos,
 * IDN, ...) whose loading and relocation would cost every run, most of
 * which make no request. git keeps libcurl out of its main program for
 * the same reason. */
#include "contracts/http.h"

#include "contracts/source.h"

#define CURL_DISABLE_TYPECHECK /* calls go through the table below */
#include <curl/curl.h>
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct {
	int tried;
	void *lib;
	CURLcode (*global_init)(long);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
} curl;

/* Sets the function pointer at `fp` to symbol `name` of the library:
 * the POSIX way to convert dlsym()'s object pointer. */
static int bind_symbol(void *fp, const char *name)
{
	void *sym = dlsym(curl.lib, name);

	memcpy(fp, &sym, sizeof(sym));
	return sym != NULL;
}

/* Loads libcurl once: 0, or CT_EUNREACHABLE naming what is missing. */
static int load_curl(struct ct_err *err)
{
	static const char *const names[] = {
	    "libcurl.so.4", "libcurl-gnutls.so.4", "libcurl-nss.so.4",
	    "libcurl.so", NULL};

	if (curl.tried)
		return curl.lib
			   ? 0
			   : ct_err_set(err, CT_EUNREACHABLE,
					"cannot load libcurl (libcurl.so.4): "
					"install libcurl4 for HTTP");
	curl.tried = 1;
	for (const char *const *n = names; *n && !curl.lib; n++)
		curl.lib = dlopen(*n, RTLD_NOW | RTLD_LOCAL);
	if (curl.lib &&
	    !(bind_symbol(&curl.global_init, "curl_global_init") &&
	      bind_symbol(&curl.global_cleanup, "curl_global_cleanup") &&
	      bind_symbol(&curl.easy_init, "curl_easy_init") &&
	      bind_symbol(&curl.easy_setopt, "curl_easy_setopt") &&
	      bind_symbol(&curl.easy_perform, "curl_easy_perform") &&
	      bind_symbol(&curl.easy_getinfo, "curl_easy_getinfo") &&
	      bind_symbol(&curl.easy_cleanup, "curl_easy_cleanup") &&
	      bind_symbol(&curl.easy_strerror, "curl_easy_strerror") &&
	      bind_symbol(&curl.slist_append, "curl_slist_append") &&
	      bind_symbol(&curl.slist_free_all, "curl_slist_free_all"))) {
		dlclose(curl.lib);
		curl.lib = NULL;
	}
	return load_curl(err);
}

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
	if ((rc = load_curl(err)))
		return rc;
	ct_redact_url(&label, url);
	curl.global_init(CURL_GLOBAL_DEFAULT);
	for (const char *const *h = headers; h && *h; h++)
		hdrs = curl.slist_append(hdrs, *h);
	if (body)
		hdrs =
		    curl.slist_append(hdrs, "Content-Type: application/json");
	if (o.token) {
		ct_buf_addf(&auth, "Authorization: Bearer %s", o.token);
		hdrs = curl.slist_append(hdrs, auth.ptr);
	}
	memset(out, 0, sizeof(*out));
	out->body.ptr = ct_buf_empty;
	for (int attempt = 0;; attempt++) {
		CURL *c = curl.easy_init();
		struct sink s = {&out->body, o.max_body, 0};
		CURLcode cc;
		int retry;
		if (!c) {
			rc = ct_err_set(err, CT_EIO,
					"cannot start an HTTP request");
			break;
		}
		ct_buf_reset(&out->body);
		curl.easy_setopt(c, CURLOPT_URL, url);
		curl.easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
		curl.easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
		curl.easy_setopt(c, CURLOPT_USERAGENT, "contracts/" CT_VERSION);
		curl.easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
				 o.connect_timeout_ms);
		curl.easy_setopt(c, CURLOPT_TIMEOUT_MS, o.timeout_ms);
		curl.easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
		curl.easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
		curl.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		curl.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
		if (o.ca_file)
			curl.easy_setopt(c, CURLOPT_CAINFO, o.ca_file);
		if (body) {
			curl.easy_setopt(c, CURLOPT_POSTFIELDS, body);
			curl.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
					 (curl_off_t)len);
		}
		curl.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
		curl.easy_setopt(c, CURLOPT_WRITEDATA, &s);
		cc = curl.easy_perform(c);
		out->attempts = attempt + 1;
		out->status = 0;
		curl.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
		curl.easy_cleanup(c);
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
				       label.ptr, curl.easy_strerror(cc),
				       attempt + 1, attempt ? "s" : "");
		break;
	}
	curl.slist_free_all(hdrs);
	ct_buf_release(&auth);
	ct_buf_release(&label);
	curl.global_cleanup();
	return rc;
}
