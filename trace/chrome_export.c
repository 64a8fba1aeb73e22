/*
 * trace/chrome_export.c: the timeline to Chrome Trace Event JSON.
 *
 * One pid per run (run + 1) named by an "M" process_name event, one tid per
 * task (task + 1) named by thread_name, one "X" slice per state interval and
 * one "i" instant where a task finished.  The settings that made the
 * session, if any, follow the events as the object form's "otherData".
 *
 * Times (format 2) are whole microseconds from the session's t0, so that
 * every reader's arithmetic is exact.  Readers parse "ts" and "dur" into
 * binary doubles and add them (DevTools' trace engine and speedscope both
 * take ts + dur as a slice's end): with decimals, 165.034 + 201521.048 is
 * 201686.08200000002, after the next slice's 201686.082, and the slices
 * overlap.  Whole numbers below 2^53 are doubles exactly, and so are their
 * sums, so the rule below makes a slice end exactly where the next begins:
 *
 *   a boundary at t ns is the microsecond floor(t / 1000); a slice from s
 *   to e has "ts" floor(s / 1000) and "dur" floor(e / 1000) - floor(s /
 *   1000), so ts + dur is the next slice's ts, the same integer.
 *
 * The nanoseconds below the microsecond are not lost: "ts_sub_ns" and
 * "end_sub_ns" (0 to 999) are those of s and e, keys of the event itself
 * rather than of its args because speedscope names a frame by its name and
 * its args (one frame per slice otherwise).  A state shorter than its
 * microsecond boundaries (s and e in one microsecond: dur would be 0) is
 * written as a thread instant ("i") of its state's cat: a zero-length "X"
 * opens inside the next slice of the same ts in speedscope, which then
 * never closes.  gantty's importer reads the nanoseconds back, so export,
 * import, export gives the same file.
 */
#include "chrome.h"
#include "export.h"

#include <string.h>

#include "base.h"
#include "gzout.h"
#include "jsonw.h"

/* Split ns from t0 into whole microseconds (floor, also below 0) and the
 * nanoseconds past them, 0 to 999. */
static int64_t
us_floor(int64_t ns, unsigned *sub)
{
  int64_t us = ns / 1000, r = ns % 1000;

  if (r < 0)
    r += 1000, us--;
  *sub = (unsigned)r;
  return us;
}

/* Text into p: the bytes of a literal, an integer, a number 0 to 999.
 * A slice's times and ids are put together in a local buffer and handed
 * to the writer at once: written a call each, format 2's four numbers
 * made bench_export's export 10-30% slower than format 1's two; put
 * together, it is as fast as format 1 within the machine's noise
 * (docs/PERFORMANCE.md). */
#define PUT_LIT(p, s) (memcpy((p), (s), sizeof(s) - 1), (p) + sizeof(s) - 1)

static char *
put_i64(char *p, int64_t v)
{
  char tmp[24], *q = tmp + sizeof(tmp);
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

  do {
    *--q = (char)('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (v < 0)
    *--q = '-';
  memcpy(p, q, (size_t)(tmp + sizeof(tmp) - q));
  return p + (tmp + sizeof(tmp) - q);
}

static char *
put_sub(char *p, unsigned v)
{
  if (v >= 100)
    *p++ = (char)('0' + v / 100);
  if (v >= 10)
    *p++ = (char)('0' + v / 10 % 10);
  *p++ = (char)('0' + v % 10);
  return p;
}

/* The common tail of every event: pid, tid, and the opening of args. */
static void
write_ids(struct gt_jsonw *w, unsigned pid, uint64_t tid)
{
  gt_jsonw_lit(w, ",\"pid\":");
  gt_jsonw_u64(w, pid);
  gt_jsonw_lit(w, ",\"tid\":");
  gt_jsonw_u64(w, tid);
}

/* One metadata event. */
static void
write_meta(struct gt_jsonw *w, const char *name, unsigned pid, uint64_t tid)
{
  gt_jsonw_lit(w, "{\"ph\":\"M\",\"cat\":\"__metadata\",\"ts\":0,\"name\":\"");
  gt_jsonw_lit(w, name);
  gt_jsonw_lit(w, "\"");
  write_ids(w, pid, tid);
}

/* The metadata of every run: its name, order, and what gantty knows. */
static void
write_runs(struct gt_recorder *rec, struct gt_jsonw *w, uint64_t t0)
{
  struct gt_run_info ri;
  uint16_t r, n = gt_recorder_runs(rec);
  char traits[128];  /* every trait's name fits */

  for (r = 0; r < n; r++) {
    gt_recorder_run_get(rec, r, &ri);
    write_meta(w, "process_name", r + 1u, 0);
    gt_jsonw_lit(w, ",\"args\":{\"name\":");
    gt_jsonw_str(w, gt_recorder_string(rec, ri.name));
    gt_jsonw_lit(w, ",\"workers\":");
    gt_jsonw_i64(w, ri.workers);
    gt_jsonw_lit(w, ",\"tasks\":");
    gt_jsonw_u64(w, ri.tasks);
    gt_mode_traits_format(ri.traits, traits, sizeof(traits));
    gt_jsonw_lit(w, ",\"traits\":");
    gt_jsonw_str(w, traits);
    if (ri.limit != 0) {
      gt_jsonw_lit(w, ",\"limit\":");
      gt_jsonw_u64(w, ri.limit);
    }
    if (ri.flags & GT_RUN_FOREIGN)  /* another tool's process: read back
                                       as one */
      gt_jsonw_lit(w, ",\"foreign\":1");
    if (ri.flags & GT_RUN_CONTENTION) {
      gt_jsonw_lit(w, ",\"others_pm\":");
      gt_jsonw_u64(w, ri.others_pm);
    }
    if (ri.cores != 0) {
      gt_jsonw_lit(w, ",\"cores\":");
      gt_jsonw_u64(w, ri.cores);
    }
    if (ri.start_ns != 0) {
      gt_jsonw_lit(w, ",\"start_us\":");
      gt_jsonw_us(w, (int64_t)(ri.start_ns - t0));
    }
    if (ri.end_ns != 0) {
      gt_jsonw_lit(w, ",\"end_us\":");
      gt_jsonw_us(w, (int64_t)(ri.end_ns - t0));
    }
    gt_jsonw_lit(w, "}},\n");
    write_meta(w, "process_sort_index", r + 1u, 0);
    gt_jsonw_lit(w, ",\"args\":{\"sort_index\":");
    gt_jsonw_u64(w, r);
    gt_jsonw_lit(w, "}},\n");
  }
}

/* One lane: its name, its intervals, and its end. */
static void
write_lane(const struct gt_timeline *tl, struct gt_jsonw *w,
    const struct gt_tl_lane *l, uint64_t t0)
{
  struct gt_recorder *rec = gt_timeline_recorder(tl);
  unsigned pid = l->run + 1u;
  uint64_t tid = (uint64_t)l->key + 1;
  struct gt_interval one, *iv = &one;
  size_t cur = 0;

  write_meta(w, "thread_name", pid, tid);
  gt_jsonw_lit(w, ",\"args\":{\"name\":");
  if (l->qname != 0) {
    gt_jsonw_str(w, gt_recorder_string(rec, l->qname));
  } else {
    gt_jsonw_lit(w, "\"task ");
    gt_jsonw_u64(w, l->key);
    gt_jsonw_lit(w, "\"");
  }
  gt_jsonw_lit(w, "}},\n");
  write_meta(w, "thread_sort_index", pid, tid);
  gt_jsonw_lit(w, ",\"args\":{\"sort_index\":");
  gt_jsonw_u64(w, l->key);
  gt_jsonw_lit(w, "}},\n");

  while (gt_timeline_next_interval(tl, l, &cur, iv)) {
    unsigned s_sub, e_sub;
    int64_t s_us = us_floor((int64_t)(iv->start_ns - t0), &s_sub);
    int64_t e_us = us_floor((int64_t)(iv->end_ns - t0), &e_sub);

    /* within one microsecond: an instant, not a zero-length slice */
    gt_jsonw_lit(w, e_us == s_us ? "{\"ph\":\"i\",\"s\":\"t\",\"cat\":\""
        : "{\"ph\":\"X\",\"cat\":\"");
    gt_jsonw_lit(w, gt_state_file_name(iv->state, iv->reason));
    gt_jsonw_lit(w, "\",\"name\":");
    gt_jsonw_str(w, gt_recorder_string(rec, iv->label));
    {
      char buf[160], *p = buf;  /* 4 numbers of at most 20 digits */

      p = PUT_LIT(p, ",\"ts\":");
      p = put_i64(p, s_us);
      if (e_us != s_us) {
        p = PUT_LIT(p, ",\"dur\":");
        p = put_i64(p, e_us - s_us);
      }
      p = PUT_LIT(p, ",\"ts_sub_ns\":");
      p = put_sub(p, s_sub);
      p = PUT_LIT(p, ",\"end_sub_ns\":");
      p = put_sub(p, e_sub);
      p = PUT_LIT(p, ",\"pid\":");
      p = put_i64(p, pid);
      p = PUT_LIT(p, ",\"tid\":");
      p = put_i64(p, (int64_t)tid);
      gt_jsonw_raw(w, buf, (size_t)(p - buf));
    }
    gt_jsonw_lit(w, ",\"args\":{\"task\":");
    gt_jsonw_u64(w, l->key);
    gt_jsonw_lit(w, ",\"worker\":");
    gt_jsonw_i64(w, iv->worker);
    if (iv->state == GT_S_WAITING) {
      gt_jsonw_lit(w, ",\"reason\":\"");
      gt_jsonw_lit(w, gt_reason_name(iv->reason));
      gt_jsonw_lit(w, "\"");
    }
    gt_jsonw_lit(w, "}},\n");
  }

  if (l->finished) {
    gt_jsonw_lit(w, "{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"finish\",\"name\":");
    gt_jsonw_lit(w, l->status == 0 ? "\"done\"" : "\"failed\"");
    unsigned f_sub;
    int64_t f_us = us_floor((int64_t)(l->finish_ns - t0), &f_sub);

    gt_jsonw_lit(w, ",\"ts\":");
    gt_jsonw_i64(w, f_us);
    gt_jsonw_lit(w, ",\"ts_sub_ns\":");
    gt_jsonw_u64(w, f_sub);
    write_ids(w, pid, tid);
    gt_jsonw_lit(w, ",\"args\":{\"task\":");
    gt_jsonw_u64(w, l->key);
    gt_jsonw_lit(w, ",\"status\":");
    gt_jsonw_i64(w, l->status);
    if (l->status != 0) {
      gt_jsonw_lit(w, ",\"error\":");
      gt_jsonw_str(w, l->error != 0 ? gt_recorder_string(rec, l->error)
          : gt_strerror(l->status));
    }
    gt_jsonw_lit(w, "}},\n");
  }
}

/* Write the whole document. */
int
gt_chrome_write(const struct gt_timeline *tl, FILE *f)
{
  struct gt_recorder *rec = gt_timeline_recorder(tl);
  struct gt_jsonw w;
  uint64_t t0 = gt_recorder_t0(rec);
  size_t r, i;

  gt_jsonw_init(&w, f);
  gt_jsonw_lit(&w, "{\"traceEvents\":[\n");
  write_runs(rec, &w, t0);
  for (r = 0; r < gt_timeline_runs(tl); r++)
    for (i = 0; i < gt_timeline_run(tl, r)->ntask_lanes; i++)
      write_lane(tl, &w, gt_timeline_task_lane(tl, r, i), t0);
  /* A final metadata event, so every real event can end with a comma. */
  gt_jsonw_lit(&w, "{\"ph\":\"M\",\"cat\":\"__metadata\",\"ts\":0,"
      "\"name\":\"gantty\",\"pid\":0,\"tid\":0,\"args\":{\"t0_ns\":");
  gt_jsonw_u64(&w, t0);
  if (gt_recorder_workload(rec) != NULL) {
    gt_jsonw_lit(&w, ",\"workload\":");
    gt_jsonw_str(&w, gt_recorder_workload(rec));
  }
  gt_jsonw_lit(&w, ",\"format\":2}}\n],\"displayTimeUnit\":\"ms\"");
  /* The settings: the object form's other keys are the trace's metadata
   * (catapult's Metadata button; Perfetto and DevTools skip them). */
  if (gt_recorder_settings(rec)->n > 0) {
    gt_jsonw_lit(&w, ",\n\"otherData\":");
    gt_settings_write_json(gt_recorder_settings(rec), &w);
  }
  gt_jsonw_lit(&w, "}\n");
  return gt_jsonw_done(&w);
}

/* Fold rec into a timeline and write it to path with write, atomically:
 * the entry point of every format; a name ending in ".gz" is written
 * gzip-compressed. */
int
gt_export_with(struct gt_recorder *rec, const char *path,
    gt_writer_fn *write, char **cause)
{
  struct gt_outfile of;
  struct gt_timeline *tl;
  int rc;

  rc = gt_outfile_open(&of, path, cause);
  if (rc != 0)
    return rc;
  tl = gt_timeline_of(rec);
  if (gt_gzout_named(path)) {  /* x.json.gz: the same text, gzip'd */
    FILE *gz = gt_gzout_open(of.f);

    write(tl, gz);
    fclose(gz);  /* its writes into of.f: their error shows in commit's */
  } else {
    write(tl, of.f);  /* a write error shows in commit's check */
  }
  gt_timeline_free(tl);
  return gt_outfile_commit(&of, cause);
}

/* Export rec to path, atomically. */
int
gt_chrome_export(struct gt_recorder *rec, const char *path, char **cause)
{
  return gt_export_with(rec, path, gt_chrome_write, cause);
}
