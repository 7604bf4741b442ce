/*
 * report.h - turns lists of changes into reports. Each format is one file
 * in src/report/ with one struct ct_reporter, listed in report.c; adding a
 * format is adding a file and a line (docs/report-format.md).
 *
 * Reporters write into a buffer and never print: the CLI decides where the
 * bytes go (stdout, a file replaced atomically, later a webhook), so a
 * report is always complete on disk before anything is uploaded.
 */
#ifndef CT_REPORT_H
#define CT_REPORT_H

#include <stdio.h>

#include "contracts/buf.h"
#include "contracts/diff.h"

#define CT_REPORT_SCHEMA_VERSION 1

struct ct_report {
	const struct ct_changes *diffs; /* one entry per comparison; borrowed */
	size_t n;
	enum ct_severity fail_on; /* what counts as failing */
	int color;		  /* ANSI colour in the text format */
	const char *tool_version;
};

struct ct_reporter {
	const char *name;    /* --format name */
	const char *ext;     /* file name extension for --output-dir */
	const char *summary; /* one line for --help and docs */
	void (*write)(struct ct_buf *out, const struct ct_report *r);
};

/* How many comparisons could not be made for an error, in all (one NULL)
 * or in one. */
size_t ct_report_errors(const struct ct_report *r,
			const struct ct_changes *one);

/* Appends an error as `path:line:col: message`. */
void ct_report_error_text(struct ct_buf *out, const struct ct_err *e);

/* The reporter called `name`, or NULL. */
const struct ct_reporter *ct_reporter_find(const char *name);
/* The i-th reporter in the registry, or NULL past the end. */
const struct ct_reporter *ct_reporter_at(size_t i);

/* --- shared by the reporters --- */

/* One line saying what changed, such as
 * `StreamMessageType: enum value "done" added`. */
void ct_change_describe(struct ct_buf *out, const struct ct_change *c);
/* Where the change sits, such as `DiscoveryMessage.items[]`. */
void ct_change_where(struct ct_buf *out, const struct ct_change *c);
/* Counts of changes per severity (index by enum ct_severity). */
void ct_report_count(const struct ct_report *r, const struct ct_changes *one,
		     size_t counts[3]);
/* 1 if any change is at or above r->fail_on. */
int ct_report_failed(const struct ct_report *r);

/* --- sinks: where rendered reports go --- */

/* Checks a --format value: known names, comma-separated only when
 * `several_ok` (writing to a folder). */
int ct_report_check_formats(const char *formats, int several_ok,
			    struct ct_err *err);

/* Renders `r` in every format of `formats` and writes it: to `output_dir`
 * as report.EXT per format, else to the file `output`, else to `out`
 * (stdout). Files are replaced atomically. */
int ct_report_emit(const struct ct_report *r, const char *formats,
		   const char *output, const char *output_dir, FILE *out,
		   struct ct_err *err);

/* --- delivery, after the reports are on disk --- */

/* POSTs the JSON report to a webhook; retries 5xx and time-outs. A
 * webhook that cannot be reached or keeps failing is CT_EUNREACHABLE. */
int ct_report_notify(const struct ct_report *r, const char *url,
		     struct ct_err *err);

/* Keeps one open issue titled "Contract drift" in OWNER/REPO in step with
 * the report: opens it, updates its body (the Markdown report), or closes
 * it when nothing fails any more. The API base is $CONTRACTS_GITHUB_API
 * (default https://api.github.com), the token $GITHUB_TOKEN. */
int ct_report_github_issue(const struct ct_report *r, const char *slug,
			   struct ct_err *err);

#endif
