/* Delivering reports: a webhook and a GitHub issue, through http.h. */
#include "contracts/http.h"
#include "contracts/json.h"
#include "contracts/report.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#define ISSUE_TITLE "Contract drift"

static void render(struct ct_buf *out, const struct ct_report *r,
		   const char *format)
{
	ct_report_render(out, ct_reporter_find(format), r);
}

int ct_report_notify(const struct ct_report *r, const char *url,
		     struct ct_err *err)
{
	struct ct_buf body = CT_BUF_INIT;
	struct ct_http_response res;
	int rc;

	render(&body, r, "json");
	rc = ct_http_request(&res, "POST", url, body.ptr, body.len, NULL, NULL,
			     err);
	if (!rc && (res.status < 200 || res.status >= 300))
		rc = ct_err_set(
		    err, CT_EUNREACHABLE,
		    "the webhook answered HTTP %ld after %d attempt%s; the report stays on disk",
		    res.status, res.attempts, res.attempts > 1 ? "s" : "");
	ct_buf_release(&res.body);
	ct_buf_release(&body);
	return rc;
}

static const char *const gh_headers[] = {"Accept: application/vnd.github+json",
					 "X-GitHub-Api-Version: 2022-11-28",
					 NULL};

/* A GitHub call; anything but 2xx is an error naming the status. Only 5xx
 * and time-outs were retried (http.c); 401, 403 and 422 are final. */
static int gh(struct ct_http_response *res, const char *method, const char *url,
	      json_object *payload, struct ct_err *err)
{
	struct ct_http_opts o;
	struct ct_buf body = CT_BUF_INIT;
	const char *why;
	int rc;

	memset(&o, 0, sizeof(o));
	o.token = getenv("GITHUB_TOKEN");
	if (payload)
		ct_buf_adds(&body, json_object_to_json_string_ext(
				       payload, JSON_C_TO_STRING_PLAIN));
	rc = ct_http_request(res, method, url, payload ? body.ptr : NULL,
			     body.len, gh_headers, &o, err);
	ct_buf_release(&body);
	if (rc || (res->status >= 200 && res->status < 300))
		return rc;
	why = res->status == 401
		  ? " (the token is missing or wrong: set GITHUB_TOKEN)"
	      : res->status == 403
		  ? " (the token may not do this, or a rate limit)"
	      : res->status == 422 ? " (GitHub refused the request as invalid)"
				   : "";
	return ct_err_set(
	    err, CT_EUNREACHABLE,
	    "the GitHub API answered HTTP %ld to %s %s%s; the report stays on disk",
	    res->status, method, url, why);
}

int ct_report_github_issue(const struct ct_report *r, const char *slug,
			   struct ct_err *err)
{
	const char *base = getenv("CONTRACTS_GITHUB_API");
	struct ct_buf url = CT_BUF_INIT, md = CT_BUF_INIT;
	struct ct_http_response res;
	json_object *list = NULL, *payload = NULL;
	long number = 0;
	int rc, failed = ct_report_failed(r);

	memset(&res, 0, sizeof(res));
	res.body.ptr = ct_buf_empty;
	if (!strchr(slug, '/') || strchr(slug, '/') == slug ||
	    !strchr(slug, '/')[1])
		return ct_err_set(err, CT_EINVAL,
				  "--github-issue '%s' is not OWNER/REPO",
				  slug);
	if (!base || !*base)
		base = "https://api.github.com";
	ct_buf_addf(&url, "%s/repos/%s/issues?state=open&per_page=100", base,
		    slug);
	if ((rc = gh(&res, "GET", url.ptr, NULL, err)))
		goto done;
	list = json_tokener_parse(res.body.ptr);
	for (size_t i = 0; json_object_is_type(list, json_type_array) &&
			   i < json_object_array_length(list);
	     i++) {
		json_object *issue = json_object_array_get_idx(list, i), *t, *n;
		if (json_object_object_get_ex(issue, "title", &t) &&
		    !strcmp(json_object_get_string(t), ISSUE_TITLE) &&
		    !json_object_object_get_ex(issue, "pull_request", NULL) &&
		    json_object_object_get_ex(issue, "number", &n)) {
			number = json_object_get_int64(n);
			break;
		}
	}
	ct_buf_release(&res.body);
	render(&md, r, "markdown");
	payload = json_object_new_object();
	ct_buf_reset(&url);
	if (failed) {
		json_object_object_add(payload, "title",
				       json_object_new_string(ISSUE_TITLE));
		json_object_object_add(payload, "body",
				       json_object_new_string(md.ptr));
		if (number) {
			ct_buf_addf(&url, "%s/repos/%s/issues/%ld", base, slug,
				    number);
			rc = gh(&res, "PATCH", url.ptr, payload, err);
		} else {
			ct_buf_addf(&url, "%s/repos/%s/issues", base, slug);
			rc = gh(&res, "POST", url.ptr, payload, err);
		}
	} else if (number) {
		json_object_object_add(payload, "state",
				       json_object_new_string("closed"));
		json_object_object_add(payload, "body",
				       json_object_new_string(md.ptr));
		ct_buf_addf(&url, "%s/repos/%s/issues/%ld", base, slug, number);
		rc = gh(&res, "PATCH", url.ptr, payload, err);
	}
done:
	json_object_put(list);
	json_object_put(payload);
	ct_buf_release(&res.body);
	ct_buf_release(&url);
	ct_buf_release(&md);
	return rc;
}
