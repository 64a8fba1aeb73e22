/*
 * trace/csv_export.c: the timeline to CSV, one row per state interval.
 *
 * The columns are mode,task,label,state,reason,start_us,end_us,worker,
 * status, under a header row; lines end with LF.  A field that holds a
 * comma, a quote, CR or LF is quoted as RFC 4180 says (quotes doubled),
 * and bytes that are not UTF-8 become U+FFFD, so any CSV reader takes the
 * file.  It goes through the buffered writer of jsonw.h (its raw text and
 * numbers are not JSON's own), so no number depends on the locale and a
 * million rows take a fraction of a second.
 *
 * When the session has settings (settings.h), each is a comment line
 * "# key=value" before the header; control characters and bytes that are
 * not UTF-8 in them become U+FFFD, so a line never breaks in two.
 */
#include "export.h"

#include <string.h>

#include "base.h"
#include "jsonw.h"

/* One field: as it is when it needs no quotes, else quoted with its
 * quotes doubled; bytes that are not UTF-8 are replaced either way. */
static void
write_field(struct gt_jsonw *w, const char *str)
{
  const unsigned char *s = (const unsigned char *)str, *run;
  int quote = strpbrk(str, ",\"\r\n") != NULL, n;

  if (quote)
    gt_jsonw_raw(w, "\"", 1);
  for (run = s; *s != '\0'; s++) {
    if (*s == '"') {
      /* Write up to and with the quote, then the quote again. */
      gt_jsonw_raw(w, (const char *)run, (size_t)(s + 1 - run));
      run = s;
    } else if (*s >= 0x80) {
      n = gt_utf8_len(s);
      if (n > 0) {
        s += n - 1;
        continue;
      }
      gt_jsonw_raw(w, (const char *)run, (size_t)(s - run));
      gt_jsonw_raw(w, "\xef\xbf\xbd", 3);
      run = s + 1;
    }
  }
  gt_jsonw_raw(w, (const char *)run, (size_t)(s - run));
  if (quote)
    gt_jsonw_raw(w, "\"", 1);
}

/* A setting's text in a comment line: control characters (a line break
 * would end the comment) and bytes that are not UTF-8 become U+FFFD. */
static void
write_comment_text(struct gt_jsonw *w, const char *str)
{
  const unsigned char *s = (const unsigned char *)str, *run;
  int n;

  for (run = s; *s != '\0'; s++) {
    n = *s >= 0x80 ? gt_utf8_len(s) : *s < 0x20 || *s == 0x7f ? 0 : 1;
    if (n > 1) {
      s += n - 1;
      continue;
    }
    if (n == 1)
      continue;
    gt_jsonw_raw(w, (const char *)run, (size_t)(s - run));
    gt_jsonw_raw(w, "\xef\xbf\xbd", 3);
    run = s + 1;
  }
  gt_jsonw_raw(w, (const char *)run, (size_t)(s - run));
}

/* The settings, one "# key=value" line each. */
static void
write_settings(struct gt_jsonw *w, const struct gt_settings *set)
{
  size_t i;

  for (i = 0; i < set->n; i++) {
    gt_jsonw_raw(w, "# ", 2);
    write_comment_text(w, set->v[i].key);
    gt_jsonw_raw(w, "=", 1);
    write_comment_text(w, set->v[i].value);
    gt_jsonw_raw(w, "\n", 1);
  }
}

/* What each run had and met, one "# run.N=..." line each (N from 1, as
 * the runs come): its mode, the cores it had and, when measured, the
 * share of its CPU other programs took, per mille. */
static void
write_runs(struct gt_recorder *rec, struct gt_jsonw *w)
{
  struct gt_run_info ri;
  uint16_t r;

  for (r = 0; r < gt_recorder_runs(rec); r++) {
    gt_recorder_run_get(rec, r, &ri);
    if (ri.flags & GT_RUN_FOREIGN)
      continue;  /* another tool's process: nothing gantty measured */
    gt_jsonw_lit(w, "# run.");
    gt_jsonw_u64(w, r + 1u);
    gt_jsonw_lit(w, "=mode ");
    write_comment_text(w, gt_recorder_string(rec, ri.name));
    if (ri.cores != 0) {
      gt_jsonw_lit(w, " cores ");
      gt_jsonw_u64(w, ri.cores);
    }
    if (ri.flags & GT_RUN_CONTENTION) {
      gt_jsonw_lit(w, " others_pm ");
      gt_jsonw_u64(w, ri.others_pm);
    }
    gt_jsonw_raw(w, "\n", 1);
  }
}

/* The rows of one lane; mode is its run's name. */
static void
write_lane(const struct gt_timeline *tl, struct gt_jsonw *w,
    const struct gt_tl_lane *l, const char *mode, uint64_t t0)
{
  struct gt_recorder *rec = gt_timeline_recorder(tl);
  struct gt_interval one, *iv = &one;
  size_t cur = 0;

  while (gt_timeline_next_interval(tl, l, &cur, iv)) {
    write_field(w, mode);
    gt_jsonw_raw(w, ",", 1);
    gt_jsonw_u64(w, l->key);
    gt_jsonw_raw(w, ",", 1);
    write_field(w, gt_recorder_string(rec, iv->label));
    gt_jsonw_raw(w, ",", 1);
    gt_jsonw_lit(w, gt_state_file_name(iv->state, iv->reason));
    gt_jsonw_raw(w, ",", 1);
    if (iv->state == GT_S_WAITING)
      gt_jsonw_lit(w, gt_reason_name(iv->reason));
    gt_jsonw_raw(w, ",", 1);
    /* Signed: an event stamped before t0 (a worker's clock) stays true. */
    gt_jsonw_us(w, (int64_t)(iv->start_ns - t0));
    gt_jsonw_raw(w, ",", 1);
    gt_jsonw_us(w, (int64_t)(iv->end_ns - t0));
    gt_jsonw_raw(w, ",", 1);
    gt_jsonw_i64(w, iv->worker);  /* -1 while queued */
    gt_jsonw_raw(w, ",", 1);
    /* A task that never finished has no status: the field stays empty. */
    if (l->finished)
      gt_jsonw_i64(w, l->status);
    gt_jsonw_raw(w, "\n", 1);
  }
}

/* Write the settings, the header and every lane's rows. */
int
gt_csv_write(const struct gt_timeline *tl, FILE *f)
{
  struct gt_recorder *rec = gt_timeline_recorder(tl);
  struct gt_jsonw w;
  uint64_t t0 = gt_recorder_t0(rec);
  const char *mode;
  size_t r, i;

  gt_jsonw_init(&w, f);
  write_settings(&w, gt_recorder_settings(rec));
  if (gt_recorder_settings(rec)->n > 0)  /* a gantty session's */
    write_runs(rec, &w);
  gt_jsonw_lit(&w,
      "mode,task,label,state,reason,start_us,end_us,worker,status\n");
  for (r = 0; r < gt_timeline_runs(tl); r++) {
    mode = gt_recorder_string(rec, gt_timeline_run(tl, r)->mode);
    for (i = 0; i < gt_timeline_run(tl, r)->ntask_lanes; i++)
      write_lane(tl, &w, gt_timeline_task_lane(tl, r, i), mode, t0);
  }
  return gt_jsonw_done(&w);
}

/* Export rec to path as CSV, atomically. */
int
gt_csv_export(struct gt_recorder *rec, const char *path, char **cause)
{
  return gt_export_with(rec, path, gt_csv_write, cause);
}
