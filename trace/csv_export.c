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

/* Write the header and every lane's rows. */
int
gt_csv_write(const struct gt_timeline *tl, FILE *f)
{
  struct gt_recorder *rec = gt_timeline_recorder(tl);
  struct gt_jsonw w;
  uint64_t t0 = gt_recorder_t0(rec);
  const char *mode;
  size_t r, i;

  gt_jsonw_init(&w, f);
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
