/*
 * tui/report.c: the headless report.
 *
 * The chart gives each lane one row of cells over the session's span.  A
 * cell shows the state that covers most of its time, so a short wait inside
 * a long running stretch is still drawn when it dominates its cell, and the
 * chart never depends on how many events there were, only on intervals.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "base.h"
#include "category.h"
#include "jsonw.h"

#define LABEL_MAX 18
/* The category a cell tallies an interval under. */
static int
category(const struct gt_interval *iv)
{
  if (iv->state == GT_S_QUEUED)
    return GT_CAT_QUEUED;
  if (iv->state == GT_S_RUNNING)
    return GT_CAT_RUNNING;
  return GT_CAT_OF_REASON(iv->reason);
}

/* The glyph the chart draws for category cat, from the category table. */
static const char *
glyph(int cat, int ascii)
{
  return ascii ? gt_cat_info(cat)->ascii : gt_cat_info(cat)->utf8;
}

/* A legend's name of cat; another tool's lanes are busy or idle. */
const char *
gt_report_cat_name(int cat, int foreign)
{
  if (foreign && cat == GT_CAT_RUNNING)
    return "busy (in a slice)";
  if (foreign && cat == GT_CAT_QUEUED)
    return "idle";
  return gt_cat_info(cat)->name;
}

/* The bytes of the character at s (escaped text: valid UTF-8) and, in
 * *cols, the terminal columns it takes: wcwidth() in the user's locale
 * (CJK and emoji take 2, combining marks 0); where the locale cannot say
 * (not UTF-8, or a character it does not know), 1. */
static int
char_at(const char *s, unsigned *cols)
{
  int n = (unsigned char)*s < 0x80 ? 1 : gt_utf8_len((const unsigned char *)s);
  mbstate_t st;
  wchar_t wc;
  int w;

  if (n == 0)
    n = 1;
  *cols = 1;
  memset(&st, 0, sizeof(st));
  if (n > 1 && mbrtowc(&wc, s, (size_t)n, &st) == (size_t)n
      && (w = wcwidth(wc)) >= 0)
    *cols = (unsigned)w;
  return n;
}

/* The terminal columns escaped text takes. */
static unsigned
text_cols(const char *s)
{
  unsigned n = 0, w;

  while (*s != '\0') {
    s += char_at(s, &w);
    n += w;
  }
  return n;
}

/* name, escaped for the terminal, in exactly w columns: cut at a whole
 * character, or padded with spaces. */
static void
put_label(FILE *out, const char *name, unsigned w)
{
  char *esc = gt_xescape(name);
  const char *p = esc;
  unsigned used = 0, cw;
  int n;

  while (*p != '\0') {
    n = char_at(p, &cw);
    if (used + cw > w)
      break;
    fwrite(p, 1, (size_t)n, out);
    p += n;
    used += cw;
  }
  for (; used < w; used++)
    fputc(' ', out);
  free(esc);
}

/* Seconds or milliseconds, whichever reads better; past a million
 * seconds (a hand-made trace can say so) in scientific form. */
static void
fmt_dur(char *buf, size_t len, uint64_t ns)
{
  if (ns >= 1000000000000000ull)
    snprintf(buf, len, "%.2e s", (double)ns / 1e9);
  else if (ns >= 10000000000ull)
    snprintf(buf, len, "%.1f s", (double)ns / 1e9);
  else if (ns >= 1000000000ull)
    snprintf(buf, len, "%.3f s", (double)ns / 1e9);
  else if (ns >= 100000)
    snprintf(buf, len, "%.1f ms", (double)ns / 1e6);
  else
    snprintf(buf, len, "%.1f us", (double)ns / 1e3);
}

/* A speedup in at most 8 characters: 4.97x, 9999.99x, then 1.0e+06x (a
 * ratio can reach 1.8e+19: a run of 1 ns against one of 584 years). */
static void
fmt_speedup(char *buf, size_t len, double x)
{
  if (!(x > 0))
    snprintf(buf, len, "-");
  else if (x < 9999.995)
    snprintf(buf, len, "%.2fx", x);
  else
    snprintf(buf, len, "%.1ex", x);
}

#define TABLE_COLS 7

/* The table of runs: each column as wide as its widest value (the widths
 * above are the least), so every row stays aligned whatever it holds. */
static void
print_table(FILE *out, const struct gt_run_figures *st, size_t nst)
{
  static const char *const head[TABLE_COLS] = { "mode", "workers", "wall",
    "speedup", "ok", "failed", "in flight" };
  unsigned w[TABLE_COLS] = { 10, 7, 11, 8, 5, 7, 9 };
  char (*cell)[TABLE_COLS][32] = gt_xcalloc(nst ? nst : 1, sizeof(*cell));
  char **mode = gt_xcalloc(nst ? nst : 1, sizeof(*mode));
  size_t i, k, n;

  for (i = 0; i < nst; i++) {
    mode[i] = gt_xescape(st[i].mode);  /* a trace's process name */
    if (text_cols(mode[i]) > w[0])
      w[0] = text_cols(mode[i]);
    snprintf(cell[i][1], 32, "%d", st[i].workers);
    fmt_dur(cell[i][2], 32, st[i].wall_ns);
    fmt_speedup(cell[i][3], 32, st[i].speedup);
    snprintf(cell[i][4], 32, "%u", st[i].ok);
    snprintf(cell[i][5], 32, "%u", st[i].failed + st[i].unfinished);
    snprintf(cell[i][6], 32, "%u", st[i].peak_busy);
    for (k = 1; k < TABLE_COLS; k++)
      if ((n = strlen(cell[i][k])) > w[k])
        w[k] = (unsigned)n;
  }
  fprintf(out, "%-*s", (int)w[0], head[0]);
  for (k = 1; k < TABLE_COLS; k++)
    fprintf(out, " %*s", (int)w[k], head[k]);
  fputc('\n', out);
  for (i = 0; i < nst; i++) {
    put_label(out, st[i].mode, w[0]);
    for (k = 1; k < TABLE_COLS; k++)
      fprintf(out, " %*s", (int)w[k], cell[i][k]);
    fputc('\n', out);
    free(mode[i]);
  }
  free(mode);
  free(cell);
}

#define FOREIGN_COLS 6

/* The table of another tool's processes: each one's threads (its lanes),
 * span (its first event to its last), busy time (in slices, summed over
 * its threads), idle time (the gaps between a thread's slices), and the
 * most threads in a slice at once; columns as wide as their values. */
static void
print_table_foreign(FILE *out, const struct gt_run_figures *st, size_t nst)
{
  static const char *const head[FOREIGN_COLS] = { "process", "threads",
    "span", "busy", "idle", "most busy" };
  unsigned w[FOREIGN_COLS] = { 10, 7, 11, 11, 11, 9 };
  char (*cell)[FOREIGN_COLS][32] = gt_xcalloc(nst ? nst : 1, sizeof(*cell));
  char *name;
  size_t i, k, n;

  for (i = 0; i < nst; i++) {
    name = gt_xescape(st[i].mode);  /* the trace's process name */
    if (text_cols(name) > w[0])
      w[0] = text_cols(name);
    free(name);
    snprintf(cell[i][1], 32, "%u", st[i].tasks);
    fmt_dur(cell[i][2], 32, st[i].wall_ns);
    fmt_dur(cell[i][3], 32, st[i].state_ns[GT_S_RUNNING]);
    fmt_dur(cell[i][4], 32, st[i].state_ns[GT_S_QUEUED]);
    snprintf(cell[i][5], 32, "%u", st[i].peak_running);
    for (k = 1; k < FOREIGN_COLS; k++)
      if ((n = strlen(cell[i][k])) > w[k])
        w[k] = (unsigned)n;
  }
  fprintf(out, "%-*s", (int)w[0], head[0]);
  for (k = 1; k < FOREIGN_COLS; k++)
    fprintf(out, " %*s", (int)w[k], head[k]);
  fputc('\n', out);
  for (i = 0; i < nst; i++) {
    put_label(out, st[i].mode, w[0]);
    for (k = 1; k < FOREIGN_COLS; k++)
      fprintf(out, " %*s", (int)w[k], cell[i][k]);
    fputc('\n', out);
  }
  free(cell);
}

/* The conclusion of a timeline. */
void
gt_report_verdict_of(const struct gt_timeline *tl, int ascii,
    struct gt_report_verdict *out)
{
  size_t n = gt_timeline_runs(tl);

  gt_timeline_verdict(tl, ascii, &out->verdict);
  out->modes = gt_xcalloc(n ? n : 1, sizeof(*out->modes));
  out->nmodes = gt_timeline_modes(tl, out->modes, n);
}

void
gt_report_verdict_done(struct gt_report_verdict *rv)
{
  free(rv->modes);
  rv->modes = NULL;
  rv->nmodes = 0;
}

/* The verdict, the warning, and the modes' table when a mode repeated. */
static void
print_verdict(FILE *out, const struct gt_report_verdict *rv)
{
  char med[32], lo[32], hi[32], sp[32], *mode;
  size_t i, repeated = 0;

  for (i = 0; i < rv->nmodes; i++)
    repeated += rv->modes[i].runs > 1;
  if (repeated > 0) {
    fprintf(out, "\n%-10s %4s %11s %25s %8s\n", "mode", "runs", "median",
        "spread (least-most)", "speedup");
    for (i = 0; i < rv->nmodes; i++) {
      const struct gt_mode_figures *m = &rv->modes[i];
      char spread[72];

      fmt_dur(med, sizeof(med), m->median_ns);
      fmt_dur(lo, sizeof(lo), m->min_ns);
      fmt_dur(hi, sizeof(hi), m->max_ns);
      fmt_speedup(sp, sizeof(sp), m->speedup);
      snprintf(spread, sizeof(spread), "%s-%s", lo, hi);
      mode = gt_xescape(m->mode);
      put_label(out, m->mode, 10);
      fprintf(out, " %4zu %11s %25s %8s\n", m->runs,
          m->measured ? med : "-", m->measured ? spread : "-", sp);
      free(mode);
    }
  }
  if (rv->verdict.text[0] != '\0')
    fprintf(out, "\nverdict: %s\n", rv->verdict.text);
  if (rv->verdict.warning[0] != '\0')
    fprintf(out, "%swarning: %s\n", rv->verdict.text[0] ? "" : "\n",
        rv->verdict.warning);
}

/* One lane's row of cells over [t0, t0 + cols * cell_ns). */
static void
print_row(FILE *out, struct gt_recorder *rec, const struct gt_lane *l,
    uint64_t t0, double cell_ns, unsigned cols, unsigned label_w, int ascii,
    int foreign)
{
  uint64_t (*cover)[GT_CAT_COUNT] = gt_xcalloc(cols, sizeof(*cover));
  const char *name = gt_recorder_string(rec, l->name);
  unsigned c, c0, c1, k, best;
  size_t i;

  for (i = 0; i < l->niv; i++) {
    const struct gt_interval *iv = &l->iv[i];
    double a, b;

    /* t0 is the earliest event, so no interval starts before it; were one
     * to, its offset would wrap to a column no unsigned holds */
    if (iv->end_ns < t0)
      continue;
    a = iv->start_ns > t0 ? (double)(iv->start_ns - t0) : 0;
    b = (double)(iv->end_ns - t0);
    if (a / cell_ns >= cols)
      continue;
    c0 = (unsigned)(a / cell_ns);
    c1 = b / cell_ns < cols ? (unsigned)(b / cell_ns) : cols;
    for (c = c0; c <= c1 && c < cols; c++) {
      double lo = c * cell_ns, hi = lo + cell_ns;

      lo = a > lo ? a : lo;
      hi = b < hi ? b : hi;
      if (hi > lo)
        cover[c][category(iv)] += (uint64_t)(hi - lo);
    }
  }
  fputs("  ", out);
  put_label(out, name, label_w);
  fputc(' ', out);
  for (c = 0; c < cols; c++) {
    for (best = GT_CAT_NONE, k = 1; k < GT_CAT_COUNT; k++)
      if (cover[c][k] > cover[c][best])
        best = k;
    fputs(glyph(cover[c][best] == 0 ? GT_CAT_NONE : (int)best, ascii), out);
  }
  if (l->finished && l->status != 0) {
    char *err = gt_xescape(l->error ? gt_recorder_string(rec, l->error)
        : gt_strerror(l->status));

    fprintf(out, " %s %s", ascii ? "X" : "✗", err);
    free(err);
  } else if (!l->finished) {  /* another tool's: a slice never closed */
    fputs(foreign ? " (a slice open at the end)" : " (unfinished)", out);
  }
  fputc('\n', out);
  free(cover);
}

/* The legend under the chart: the categories the lanes show, in the
 * category table's order (queued and running always). */
static void
print_legend(FILE *out, const struct gt_lanes *lanes, int ascii,
    int foreign)
{
  unsigned seen = 1u << GT_CAT_QUEUED | 1u << GT_CAT_RUNNING;
  int failed = 0, ready_said = 0, k;
  size_t i, j;

  for (i = 0; i < lanes->n; i++) {
    failed |= lanes->lane[i].finished && lanes->lane[i].status != 0;
    for (j = 0; j < lanes->lane[i].niv; j++)
      seen |= 1u << category(&lanes->lane[i].iv[j]);
  }
  for (k = 1; k < GT_CAT_COUNT; k++)
    if (seen & 1u << k) {
      /* the state ready's reasons come last, after one "ready:" */
      if (gt_reason_ready(GT_CAT_REASON(k)) && !ready_said) {
        fputs("  ready:", out);
        ready_said = 1;
        fprintf(out, " %s %s", glyph(k, ascii), gt_cat_info(k)->name);
        continue;
      }
      fprintf(out, "  %s %s", glyph(k, ascii), gt_report_cat_name(k,
          foreign));
    }
  if (failed)
    fprintf(out, "  %s failed", ascii ? "X" : "✗");
  fputc('\n', out);
}

/* The settings as packed lines of "key value" pairs. */
size_t
gt_settings_lines(const struct gt_settings *s, unsigned width, char ***lines)
{
  size_t n = 0, i, cols = 0, c;
  char *pair, *line = NULL, *joined;

  *lines = gt_xcalloc(s->n + 1, sizeof(**lines));
  for (i = 0; i < s->n; i++) {
    char *raw = gt_xasprintf("%s %s", s->v[i].key, s->v[i].value);

    pair = gt_xescape(raw);
    free(raw);
    c = text_cols(pair);
    if (line != NULL && cols + 2 + c <= width) {
      joined = gt_xasprintf("%s  %s", line, pair);
      free(line);
      free(pair);
      line = joined;
      cols += 2 + c;
      continue;
    }
    if (line != NULL)
      (*lines)[n++] = line;
    line = pair;
    cols = c;
  }
  if (line != NULL)
    (*lines)[n++] = line;
  return n;
}

/* "settings:" and the session's settings, packed to width. */
static void
print_settings(FILE *out, struct gt_recorder *rec, unsigned width)
{
  char **lines;
  size_t n, i;

  n = gt_settings_lines(gt_recorder_settings(rec), width > 4 ? width - 2
      : 2, &lines);
  if (n > 0)
    fputs("\nsettings:\n", out);
  for (i = 0; i < n; i++) {
    fprintf(out, "  %s\n", lines[i]);
    free(lines[i]);
  }
  free(lines);
}

/* Print the table and the chart. */
void
gt_report_print(FILE *out, struct gt_recorder *rec,
    const struct gt_lanes *lanes, const struct gt_run_figures *st, size_t nst,
    const struct gt_report_opts *o)
{
  unsigned width = o->width ? o->width : 100, label_w = 4, cols;
  uint64_t t0 = lanes->first_ns, span = lanes->last_ns - lanes->first_ns;
  double cell_ns;
  char buf[32];
  size_t i, r;
  int foreign = nst > 0 && st[0].foreign;  /* a file is one or the other */

  if (foreign)
    print_table_foreign(out, st, nst);
  else
    print_table(out, st, nst);
  if (o->verdict != NULL && !foreign)  /* its processes did not race */
    print_verdict(out, o->verdict);
  if (o->settings)
    print_settings(out, rec, width);
  if (o->table_only)
    return;
  for (i = 0; i < lanes->n; i++) {
    char *esc = gt_xescape(gt_recorder_string(rec, lanes->lane[i].name));
    size_t len = text_cols(esc);

    free(esc);

    if (len > label_w)
      label_w = len > LABEL_MAX ? LABEL_MAX : (unsigned)len;
  }
  cols = width > label_w + 24 ? width - label_w - 24 : 20;
  if (span == 0)
    span = 1;
  cell_ns = (double)span / cols;
  for (r = 0, i = 0; r < nst; r++) {
    fmt_dur(buf, sizeof(buf), st[r].wall_ns);
    char *mode = gt_xescape(st[r].mode);

    if (foreign)
      fprintf(out, "\n%s: %u thread%s, %s\n", mode, st[r].tasks,
          st[r].tasks == 1 ? "" : "s", buf);
    else
      fprintf(out, "\n%s: %d worker%s, %s\n", mode, st[r].workers,
          st[r].workers == 1 ? "" : "s", buf);
    free(mode);
    for (; i < lanes->n && lanes->lane[i].run == st[r].run; i++)
      print_row(out, rec, &lanes->lane[i], t0, cell_ns, cols, label_w,
          o->ascii, foreign);
  }
  fmt_dur(buf, sizeof(buf), span);
  fprintf(out, "\n  time: 0 .. %s, one column = ", buf);
  fmt_dur(buf, sizeof(buf), (uint64_t)cell_ns);
  fprintf(out, "%s\n", buf);
  print_legend(out, lanes, o->ascii, foreign);
}

/* The summary's modes, verdict and contention warning. */
static void
summary_verdict(struct gt_jsonw *w, const struct gt_report_verdict *rv)
{
  const struct gt_verdict *vd = &rv->verdict;
  static const char *const kinds[] = { "none", "no winner", "tie", "win" };
  size_t i;

  gt_jsonw_lit(w, ",\"modes\":[");
  for (i = 0; i < rv->nmodes; i++) {
    const struct gt_mode_figures *m = &rv->modes[i];

    gt_jsonw_lit(w, i ? ",\n  {\"mode\":" : "\n  {\"mode\":");
    gt_jsonw_str(w, m->mode);
    gt_jsonw_lit(w, ",\"runs\":");
    gt_jsonw_u64(w, m->runs);
    gt_jsonw_lit(w, ",\"whole\":");
    gt_jsonw_u64(w, m->whole);
    gt_jsonw_lit(w, ",\"measured\":");
    gt_jsonw_u64(w, m->measured);
    gt_jsonw_lit(w, ",\"median_ms\":");
    if (m->measured) {
      gt_jsonw_f3(w, (double)m->median_ns / 1e6);
      gt_jsonw_lit(w, ",\"min_ms\":");
      gt_jsonw_f3(w, (double)m->min_ns / 1e6);
      gt_jsonw_lit(w, ",\"max_ms\":");
      gt_jsonw_f3(w, (double)m->max_ns / 1e6);
    } else {
      gt_jsonw_lit(w, "null,\"min_ms\":null,\"max_ms\":null");
    }
    gt_jsonw_lit(w, ",\"speedup_vs_sync\":");
    if (m->speedup > 0)
      gt_jsonw_f3(w, m->speedup);
    else
      gt_jsonw_lit(w, "null");
    gt_jsonw_lit(w, ",\"racing\":");
    gt_jsonw_lit(w, m->racing ? "true" : "false");
    gt_jsonw_lit(w, "}");
  }
  gt_jsonw_lit(w, "\n],\"verdict\":{\"kind\":");
  gt_jsonw_str(w, kinds[vd->kind]);
  gt_jsonw_lit(w, ",\"winner\":");
  if (vd->kind == GT_VERDICT_WIN)
    gt_jsonw_str(w, vd->best.mode);
  else
    gt_jsonw_lit(w, "null");
  gt_jsonw_lit(w, ",\"text\":");
  gt_jsonw_str(w, vd->text);
  gt_jsonw_lit(w, "},\"contention_warning\":");
  if (vd->warning[0] != '\0')
    gt_jsonw_str(w, vd->warning);
  else
    gt_jsonw_lit(w, "null");
}

/* The summary's processes of another tool's trace, and their threads in
 * all: what its runs' figures mean there (gt_summary_write()). */
static void
summary_foreign(struct gt_jsonw *w, const struct gt_run_figures *st,
    size_t nst)
{
  uint64_t threads = 0;
  size_t i;

  for (i = 0; i < nst; i++)
    threads += st[i].tasks;
  gt_jsonw_lit(w, ",\"foreign\":true,\"threads\":");
  gt_jsonw_u64(w, threads);
  gt_jsonw_lit(w, ",\"processes\":[");
  for (i = 0; i < nst; i++) {
    gt_jsonw_lit(w, i ? ",\n  {\"process\":" : "\n  {\"process\":");
    gt_jsonw_str(w, st[i].mode);
    gt_jsonw_lit(w, ",\"threads\":");
    gt_jsonw_u64(w, st[i].tasks);
    gt_jsonw_lit(w, ",\"span_ms\":");
    gt_jsonw_f3(w, (double)st[i].wall_ns / 1e6);
    gt_jsonw_lit(w, ",\"busy_ms\":");
    gt_jsonw_f3(w, (double)st[i].state_ns[GT_S_RUNNING] / 1e6);
    gt_jsonw_lit(w, ",\"idle_ms\":");
    gt_jsonw_f3(w, (double)st[i].state_ns[GT_S_QUEUED] / 1e6);
    gt_jsonw_lit(w, ",\"most_busy\":");
    gt_jsonw_u64(w, st[i].peak_running);
    gt_jsonw_lit(w, ",\"open\":");
    gt_jsonw_u64(w, st[i].unfinished);
    gt_jsonw_lit(w, "}");
  }
  gt_jsonw_lit(w, "\n]");
}

/* Write the summary JSON. */
int
gt_summary_write(const char *path, const char *workload, size_t ntasks,
    const struct gt_settings *settings, const struct gt_run_figures *st,
    size_t nst, const struct gt_report_verdict *rv, char **cause)
{
  struct gt_outfile of;
  struct gt_jsonw w;
  size_t i;
  int rc;

  rc = gt_outfile_open(&of, path, cause);
  if (rc != 0)
    return rc;
  gt_jsonw_init(&w, of.f);
  gt_jsonw_lit(&w, "{\"workload\":");
  if (workload != NULL && workload[0] != '\0')
    gt_jsonw_str(&w, workload);
  else
    gt_jsonw_lit(&w, "null");  /* a trace that does not say */
  if (nst > 0 && st[0].foreign) {  /* a file is one or the other */
    if (settings != NULL && settings->n > 0) {
      gt_jsonw_lit(&w, ",\n \"settings\":");
      gt_settings_write_json(settings, &w);
    }
    summary_foreign(&w, st, nst);
    gt_jsonw_lit(&w, "}\n");
    gt_jsonw_done(&w);
    return gt_outfile_commit(&of, cause);
  }
  gt_jsonw_lit(&w, ",\"tasks\":");
  gt_jsonw_u64(&w, ntasks);
  if (settings != NULL && settings->n > 0) {
    gt_jsonw_lit(&w, ",\n \"settings\":");
    gt_settings_write_json(settings, &w);
  }
  gt_jsonw_lit(&w, ",\"runs\":[");
  for (i = 0; i < nst; i++) {
    gt_jsonw_lit(&w, i ? ",\n  {\"mode\":" : "\n  {\"mode\":");
    gt_jsonw_str(&w, st[i].mode);
    gt_jsonw_lit(&w, ",\"wall_ms\":");
    gt_jsonw_f3(&w, (double)st[i].wall_ns / 1e6);
    gt_jsonw_lit(&w, ",\"ok\":");
    gt_jsonw_u64(&w, st[i].ok);
    gt_jsonw_lit(&w, ",\"failed\":");
    gt_jsonw_u64(&w, st[i].failed + st[i].unfinished);
    gt_jsonw_lit(&w, ",\"unfinished\":");
    gt_jsonw_u64(&w, st[i].unfinished);
    gt_jsonw_lit(&w, ",\"speedup_vs_sync\":");
    if (st[i].speedup > 0)
      gt_jsonw_f3(&w, st[i].speedup);
    else
      gt_jsonw_lit(&w, "null");
    gt_jsonw_lit(&w, ",\"workers\":");
    gt_jsonw_i64(&w, st[i].workers);
    if (st[i].limit != 0) {
      gt_jsonw_lit(&w, ",\"limit\":");
      gt_jsonw_u64(&w, st[i].limit);
    }
    gt_jsonw_lit(&w, ",\"peak_in_flight\":");
    gt_jsonw_u64(&w, st[i].peak_busy);
    gt_jsonw_lit(&w, ",\"peak_requests\":");
    gt_jsonw_u64(&w, st[i].peak_net);
    gt_jsonw_lit(&w, ",\"peak_running\":");
    gt_jsonw_u64(&w, st[i].peak_running);
    gt_jsonw_lit(&w, ",\"whole\":");
    gt_jsonw_lit(&w, st[i].whole ? "true" : "false");
    gt_jsonw_lit(&w, ",\"ideal_ms\":");
    if (st[i].foreign)
      gt_jsonw_lit(&w, "null");  /* another tool's trace: no bound */
    else
      gt_jsonw_f3(&w, (double)st[i].ideal_ns / 1e6);
    gt_jsonw_lit(&w, ",\"others_cpu\":");
    if (st[i].contention)
      gt_jsonw_f3(&w, st[i].others_pm / 1000.0);
    else
      gt_jsonw_lit(&w, "null");  /* not measured */
    gt_jsonw_lit(&w, "}");
  }
  gt_jsonw_lit(&w, "\n]");
  if (rv != NULL)
    summary_verdict(&w, rv);
  gt_jsonw_lit(&w, "}\n");
  gt_jsonw_done(&w);
  return gt_outfile_commit(&of, cause);
}
