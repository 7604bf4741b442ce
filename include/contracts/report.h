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
#include "contracts/finding.h"

#define CT_REPORT_SCHEMA_VERSION 2

/* A repository of the run, for links and annotations. */
struct ct_report_repo {
	const char *name;     /* as the manifest names it */
	const char *location; /* its URL or path, as the manifest says */
	const char *commit;   /* the commit read, or NULL for a work tree */
};

struct ct_report {
	const struct ct_changes *diffs; /* one entry per comparison; borrowed */
	size_t n;
	enum ct_severity fail_on; /* what counts as failing */
	int color;		  /* ANSI colour in the text format */
	const char *tool_version;
	/* the findings of diffs; NULL until ct_report_render() builds them */
	const struct ct_findings *findings;
	const struct ct_report_repo *repos; /* borrowed; may be NULL */
	size_t nrepos;
	/* the repository checked out in the CI workspace (annotations point
	 * at its files), or NULL */
	const char *workspace_repo;
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

/* Renders `r` with `rep` into `out`, building the findings first when
 * r->findings is NULL. Every path to a reporter goes through here. */
void ct_report_render(struct ct_buf *out, const struct ct_reporter *rep,
		      const struct ct_report *r);

/* One line saying what changed in one comparison, such as
 * `StreamMessageType: enum value "done" added`. */
void ct_change_describe(struct ct_buf *out, const struct ct_change *c);
/* 1 if any change is at or above r->fail_on. */
int ct_report_failed(const struct ct_report *r);
/* Whether a finding is at or above r->fail_on (errors always are not:
 * they have their own exit code). */
int ct_report_fails(const struct ct_report *r, const struct ct_finding *f);

/* Appends `s` with control characters escaped (\x1b), for text meant for
 * a terminal or a page. */
void ct_report_safe(struct ct_buf *out, const char *s);

/* Appends `s` escaped for XML text and attributes (JUnit, SVG): markup
 * characters as entities, control characters XML 1.0 cannot carry as
 * '?'. */
void ct_report_xml(struct ct_buf *out, const char *s);
/* The permalink of an origin (`{url}/blob/{commit}/{path}#L{line}`) when
 * its repository lives on GitHub and the commit is known; else 0. */
int ct_report_permalink(struct ct_buf *out, const struct ct_report *r,
			const struct ct_forigin *o);
/* The manifest's location of a repository, or NULL. */
const char *ct_report_repo_location(const struct ct_report *r,
				    const char *name);

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
