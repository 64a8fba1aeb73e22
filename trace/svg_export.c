/*
 * trace/svg_export.c: the timeline to a standalone SVG picture of the
 * Gantt chart, for slides.
 *
 * The picture is what the terminal view shows, on a white page: a time
 * ruler on top (the whole session, from t0 to its last event, one axis for
 * every run), then every run in order as a panel (a header line with its
 * mode, workers and wall time, then one row per task: the task's name on
 * the left, a rect per state), and a legend of the states that appear.
 * Another tool's trace (GT_RUN_FOREIGN) is told in its words, as the
 * view and the report tell it: a header of the process, its threads and
 * its span, and a legend of busy (in a slice) and idle.
 * Every state's name and colour comes from the category table
 * (category.h), which the terminal draws with too; a faint state (queued)
 * is a pattern of dots in its colour, as the terminal's dim dots.  A
 * failed task ends in a red cross.
 *
 * A rect narrower than a pixel could not be seen, and a million of them
 * would make a file no viewer opens: intervals at least a pixel wide are
 * drawn exactly, runs of narrower ones are drawn a pixel at a time in the
 * colour that holds most of that pixel's time, and touching rects of one
 * colour are merged.  A lane is then at most a few rects per pixel, and
 * the writer is one pass over the intervals.  Numbers are written with
 * integer arithmetic, never with the locale's printf.
 */
#include "export.h"

#include <math.h>
#include <string.h>

#include "base.h"
#include "category.h"
#include "timeline.h"
#include "event.h"
#include "jsonw.h"

#define SVG_W        1200       /* the picture's width, px */
#define MARGIN       8          /* around everything, px */
#define RULER_H      26         /* the ruler's band */
#define HEADER_H     22         /* a panel's header line */
#define ROW_H        16         /* a lane */
#define BAR_Y        2          /* a bar's top inside its row */
#define BAR_H        12         /* a bar's height */
#define PANEL_GAP    6          /* after each panel */
#define LEGEND_H     20         /* the legend's line */
#define RIGHT_PAD    20         /* room right of the chart for a cross */
#define CHAR_W       6.6        /* a monospace character at 11 px */
#define LABEL_MIN    6          /* label column, characters */
#define LABEL_MAX    28
#define TICK_GAP_PX  90         /* ruler labels at least this far apart */
#define MIN_RECT_CENTS 30       /* narrower rects are widened to 0.3 px */

#define INK          "#2e3436"  /* text */
#define FAINT        "#babdb6"  /* separators, ticks */
#define GRID         "#eeeeec"  /* grid lines under the bars */
#define FAIL_RED     "#cc0000"

/* What every part of the picture needs. */
struct svg {
  struct gt_jsonw  w;
  const struct gt_timeline *tl;
  struct gt_recorder *rec;
  uint64_t t0;          /* the axis' origin, absolute ns */
  uint64_t span_ns;     /* the axis' length, > 0 */
  double   x0;          /* the chart's left edge, px */
  double   cw;          /* the chart's width, px */
  unsigned label_chars; /* the label column's width, characters */
  unsigned seen;        /* categories drawn, a bit per enum gt_cat */
  int      failed;      /* a task failed */
  int      foreign;     /* another tool's trace: its runs are processes */
};

/* The rect a lane is growing: touching intervals of one colour merge. */
struct pen {
  int    cat;           /* -1 when there is none */
  double x0, x1;
};

/* Intervals narrower than a pixel, gathered until they cover one. */
struct cluster {
  int      open;
  double   x0, x1;
  uint64_t ns[GT_CAT_COUNT]; /* time per enum gt_cat */
};

/* Characters in s, counting each byte that does not continue a sequence;
 * close enough to size a column. */
static size_t
text_chars(const char *s)
{
  size_t n = 0;

  for (; *s != '\0'; s++)
    if (((unsigned char)*s & 0xc0) != 0x80)
      n++;
  return n;
}

/* Text for an element's content or a quoted attribute, cut to max
 * characters with an ellipsis when max is not 0.  The five XML specials
 * become entities, tabs and line ends spaces, and what XML 1.0 cannot hold
 * (other control characters, bytes that are not UTF-8, U+FFFE, U+FFFF)
 * U+FFFD. */
static void
xml_text(struct gt_jsonw *w, const char *str, size_t max)
{
  const unsigned char *s = (const unsigned char *)str;
  size_t chars = 0, limit = 0;
  unsigned char c;
  int n;

  if (max > 0 && text_chars(str) > max)
    limit = max - 1;
  for (; (c = *s) != '\0'; s += n) {
    if (limit > 0 && chars == limit) {
      gt_jsonw_raw(w, "\xe2\x80\xa6", 3);
      break;
    }
    chars++;
    n = 1;
    if (c >= 0x80) {
      n = gt_utf8_len(s);
      if (n == 3 && c == 0xef && s[1] == 0xbf && s[2] >= 0xbe)
        n = 0;
      if (n == 0) {
        n = 1;
        gt_jsonw_raw(w, "\xef\xbf\xbd", 3);
      } else {
        gt_jsonw_raw(w, (const char *)s, (size_t)n);
      }
      continue;
    }
    switch (c) {
    case '&':  gt_jsonw_raw(w, "&amp;", 5); break;
    case '<':  gt_jsonw_raw(w, "&lt;", 4); break;
    case '>':  gt_jsonw_raw(w, "&gt;", 4); break;
    case '"':  gt_jsonw_raw(w, "&quot;", 6); break;
    case '\'': gt_jsonw_raw(w, "&apos;", 6); break;
    case '\t':
    case '\n':
    case '\r': gt_jsonw_raw(w, " ", 1); break;
    default:
      if (c < 0x20)
        gt_jsonw_raw(w, "\xef\xbf\xbd", 3);
      else
        gt_jsonw_raw(w, (const char *)s, 1);
    }
  }
}

/* c hundredths of a pixel, trailing zeros dropped ("12", "12.5",
 * "12.25"). */
static void
write_cents(struct gt_jsonw *w, long long c)
{
  uint64_t u = c < 0 ? (uint64_t)0 - (uint64_t)c : (uint64_t)c;
  unsigned f = (unsigned)(u % 100);
  char frac[3];

  if (c < 0)
    gt_jsonw_raw(w, "-", 1);
  gt_jsonw_u64(w, u / 100);
  if (f != 0) {
    frac[0] = '.';
    frac[1] = (char)('0' + f / 10);
    frac[2] = (char)('0' + f % 10);
    gt_jsonw_raw(w, frac, f % 10 != 0 ? 3 : 2);
  }
}

/* A coordinate, rounded to a hundredth of a pixel. */
static void
write_px(struct gt_jsonw *w, double v)
{
  write_cents(w, llround(v * 100.0));
}

/* An attribute with a whole-pixel value: ` name="v"`. */
static void
attr_u(struct gt_jsonw *w, const char *name, uint64_t v)
{
  gt_jsonw_raw(w, " ", 1);
  gt_jsonw_lit(w, name);
  gt_jsonw_raw(w, "=\"", 2);
  gt_jsonw_u64(w, v);
  gt_jsonw_raw(w, "\"", 1);
}

/* An attribute with a fractional value. */
static void
attr_px(struct gt_jsonw *w, const char *name, double v)
{
  gt_jsonw_raw(w, " ", 1);
  gt_jsonw_lit(w, name);
  gt_jsonw_raw(w, "=\"", 2);
  write_px(w, v);
  gt_jsonw_raw(w, "\"", 1);
}

/* num / div rounded to dec decimals (0 to 3), then a space and unit, into
 * buf: "1.004 s", "201.9 ms".  Integer arithmetic, so no locale. */
static void
fmt_fixed(char *buf, size_t len, uint64_t num, uint64_t div, int dec,
    const char *unit)
{
  uint64_t scale = 1, q;
  int i;

  for (i = 0; i < dec; i++)
    scale *= 10;
  /* div is 1e3, 1e6 or 1e9, so div / scale is whole and nothing
   * overflows. */
  q = (num + div / scale / 2) / (div / scale);
  if (dec == 0)
    snprintf(buf, len, "%llu %s", (unsigned long long)q, unit);
  else
    snprintf(buf, len, "%llu.%0*llu %s", (unsigned long long)(q / scale),
        dec, (unsigned long long)(q % scale), unit);
}

/* A duration that reads well: seconds, milliseconds or microseconds, as
 * the report writes them. */
static void
fmt_dur(char *buf, size_t len, uint64_t ns)
{
  if (ns >= 10000000000ull)
    fmt_fixed(buf, len, ns, 1000000000ull, 1, "s");
  else if (ns >= 1000000000ull)
    fmt_fixed(buf, len, ns, 1000000000ull, 3, "s");
  else if (ns >= 100000ull)
    fmt_fixed(buf, len, ns, 1000000ull, 1, "ms");
  else
    fmt_fixed(buf, len, ns, 1000ull, 1, "us");
}

/* A ruler label: t in the unit of step (every tick is a whole number of
 * it, as the steps are 1, 2 or 5 times a power of ten), as the terminal's
 * ruler writes it. */
static void
fmt_tick(char *buf, size_t len, uint64_t t, uint64_t step)
{
  if (t == 0)
    snprintf(buf, len, "0");
  else if (step < 1000000ull)
    fmt_fixed(buf, len, t, 1000ull, 0, "us");
  else if (step < 1000000000ull)
    fmt_fixed(buf, len, t, 1000000ull, 0, "ms");
  else
    fmt_fixed(buf, len, t, 1000000000ull, 0, "s");
}

/* The x of absolute time t; times before the origin sit on it. */
static double
x_of(const struct svg *s, uint64_t t)
{
  if (t <= s->t0)
    return s->x0;
  return s->x0 + (double)(t - s->t0) * s->cw / (double)s->span_ns;
}

/* The category of an interval (enum gt_cat). */
static int
cat_of(const struct gt_interval *iv)
{
  if (iv->state == GT_S_QUEUED)
    return GT_CAT_QUEUED;
  if (iv->state == GT_S_WAITING)
    return GT_CAT_OF_REASON(iv->reason);
  return GT_CAT_RUNNING;
}

/* The fill of category k: its colour, or for a faint one the pattern of
 * dots write_svg's defs make for it ("url(#gt-queued)"). */
static void
put_fill(struct gt_jsonw *w, int k)
{
  const struct gt_cat_info *c = gt_cat_info(k);

  if (c->dim) {
    gt_jsonw_lit(w, "url(#gt-");
    gt_jsonw_lit(w, c->name);
    gt_jsonw_lit(w, ")");
  } else {
    gt_jsonw_lit(w, c->rgb);
  }
}

/* Draw the pen's rect, if it holds one, on the row whose top is y.  Both
 * edges are rounded before the width is taken, so touching rects share
 * their edge exactly. */
static void
pen_flush(struct svg *s, struct pen *p, unsigned y)
{
  long long c0 = llround(p->x0 * 100.0), c1 = llround(p->x1 * 100.0);

  if (p->cat < 0)
    return;
  gt_jsonw_lit(&s->w, "<rect x=\"");
  write_cents(&s->w, c0);
  gt_jsonw_raw(&s->w, "\"", 1);
  attr_u(&s->w, "y", y + BAR_Y);
  gt_jsonw_lit(&s->w, " width=\"");
  write_cents(&s->w, c1 - c0 < MIN_RECT_CENTS ? MIN_RECT_CENTS : c1 - c0);
  gt_jsonw_raw(&s->w, "\"", 1);
  attr_u(&s->w, "height", BAR_H);
  gt_jsonw_lit(&s->w, " fill=\"");
  put_fill(&s->w, p->cat);
  gt_jsonw_lit(&s->w, "\"/>\n");
  s->seen |= 1u << p->cat;
  p->cat = -1;
}

/* Add [x0, x1) of category cat: it extends the pen's rect when it has the
 * same colour and touches it, else the pen's rect is drawn and this one
 * begins. */
static void
pen_add(struct svg *s, struct pen *p, int cat, double x0, double x1,
    unsigned y)
{
  if (p->cat == cat && x0 <= p->x1 + 0.005) {
    if (x1 > p->x1)
      p->x1 = x1;
    return;
  }
  pen_flush(s, p, y);
  p->cat = cat;
  p->x0 = x0;
  p->x1 = x1;
}

/* Draw the gathered narrow intervals as one rect of the colour that holds
 * most of their time. */
static void
cluster_flush(struct svg *s, struct cluster *c, struct pen *p, unsigned y)
{
  int k, best = GT_CAT_QUEUED;

  if (!c->open)
    return;
  for (k = best + 1; k < GT_CAT_COUNT; k++)
    if (c->ns[k] > c->ns[best])
      best = k;
  pen_add(s, p, best, c->x0, c->x1, y);
  c->open = 0;
}

/* A lane's rects, on the row whose top is y: one walk over the task
 * lane's stretches (no copy of them: that cost more than the drawing). */
static void
write_bars(struct svg *s, const struct gt_tl_lane *l, unsigned y)
{
  struct pen p = { -1, 0, 0 };
  struct cluster c;
  struct gt_interval one, *iv = &one;
  double x0, x1;
  size_t cur = 0;
  int cat;

  c.open = 0;
  while (gt_timeline_next_interval(s->tl, l, &cur, iv)) {
    cat = cat_of(iv);
    x0 = x_of(s, iv->start_ns);
    x1 = x_of(s, iv->end_ns);
    if (x1 - x0 >= 1.0) {
      cluster_flush(s, &c, &p, y);
      pen_add(s, &p, cat, x0, x1, y);
      continue;
    }
    if (!c.open) {
      memset(&c, 0, sizeof(c));
      c.open = 1;
      c.x0 = x0;
    }
    c.x1 = x1;
    c.ns[cat] += iv->end_ns - iv->start_ns;
    if (c.x1 - c.x0 >= 1.0)
      cluster_flush(s, &c, &p, y);
  }
  cluster_flush(s, &c, &p, y);
  pen_flush(s, &p, y);
}

/* The name a lane goes by: its QUEUE's label, else "task N". */
static void
write_lane_name(struct svg *s, const struct gt_tl_lane *l, size_t max)
{
  if (l->qname != 0) {
    xml_text(&s->w, gt_recorder_string(s->rec, l->qname), max);
  } else {
    gt_jsonw_lit(&s->w, "task ");
    gt_jsonw_u64(&s->w, l->key);
  }
}

/* One lane: a group holding its name as a title, its label, its bars, and
 * a red cross where it failed. */
static void
write_lane(struct svg *s, const struct gt_tl_lane *l, unsigned y)
{
  int failed = l->finished && l->status != 0;
  const char *err;

  gt_jsonw_lit(&s->w, "<g class=\"lane\" data-run=\"");
  gt_jsonw_u64(&s->w, l->run);
  gt_jsonw_lit(&s->w, "\" data-task=\"");
  gt_jsonw_u64(&s->w, l->key);
  gt_jsonw_lit(&s->w, "\"><title>");
  write_lane_name(s, l, 0);
  gt_jsonw_lit(&s->w, "</title>\n<text");
  attr_u(&s->w, "x", MARGIN);
  attr_u(&s->w, "y", y + 12);
  gt_jsonw_lit(&s->w, failed ? " fill=\"" FAIL_RED "\">" : ">");
  write_lane_name(s, l, s->label_chars);
  gt_jsonw_lit(&s->w, "</text>\n");
  write_bars(s, l, y);
  if (failed) {
    s->failed = 1;
    err = l->error != 0 ? gt_recorder_string(s->rec, l->error)
        : gt_strerror(l->status);
    gt_jsonw_lit(&s->w, "<text class=\"fail\"");
    attr_px(&s->w, "x", x_of(s, l->finish_ns) + 2);
    attr_u(&s->w, "y", y + 13);
    gt_jsonw_lit(&s->w, " fill=\"" FAIL_RED "\" font-size=\"14\" "
        "font-weight=\"bold\"><title>");
    xml_text(&s->w, err, 0);
    gt_jsonw_lit(&s->w, "</title>\xe2\x9c\x97</text>\n");
  }
  gt_jsonw_lit(&s->w, "</g>\n");
}

/* A panel's header: mode, workers, wall time and how its tasks ended;
 * for another tool's process, its threads and span. */
static void
write_header(struct svg *s, uint16_t run, int known,
    const struct gt_run_info *ri, const struct gt_run_figures *fig,
    size_t ntasks, unsigned y)
{
  static const char sep[] = " \xc2\xb7 ";
  unsigned failed = fig->failed, unfinished = fig->unfinished;
  char buf[96];
  gt_jsonw_lit(&s->w, "<line");
  attr_u(&s->w, "x1", MARGIN);
  attr_u(&s->w, "y1", y + 3);
  attr_u(&s->w, "x2", SVG_W - MARGIN);
  attr_u(&s->w, "y2", y + 3);
  gt_jsonw_lit(&s->w, " stroke=\"" FAINT "\"/>\n<text class=\"header\"");
  attr_u(&s->w, "x", MARGIN);
  attr_u(&s->w, "y", y + 17);
  gt_jsonw_lit(&s->w, " font-size=\"12\" font-weight=\"bold\">");
  if (known) {
    xml_text(&s->w, gt_recorder_string(s->rec, ri->name), 40);
  } else {
    gt_jsonw_lit(&s->w, "run ");
    gt_jsonw_u64(&s->w, run);
  }
  if (known && (ri->flags & GT_RUN_FOREIGN)) {
    /* another tool's process: its threads (lanes drawn) and its span */
    snprintf(buf, sizeof(buf), "%s%zu thread%s%sspan ", sep, ntasks,
        ntasks == 1 ? "" : "s", sep);
    gt_jsonw_lit(&s->w, buf);
    fmt_dur(buf, sizeof(buf), fig->wall_ns);
    gt_jsonw_lit(&s->w, buf);
    if (unfinished > 0) {
      snprintf(buf, sizeof(buf), ", %u in a slice at the end", unfinished);
      gt_jsonw_lit(&s->w, buf);
    }
    gt_jsonw_lit(&s->w, "</text>\n");
    return;
  }
  if (known && ri->workers > 0) {
    snprintf(buf, sizeof(buf), "%s%d worker%s", sep, (int)ri->workers,
        ri->workers == 1 ? "" : "s");
    gt_jsonw_lit(&s->w, buf);
  }
  if (known && ri->limit > 0) {
    snprintf(buf, sizeof(buf), ", at most %u in flight", (unsigned)ri->limit);
    gt_jsonw_lit(&s->w, buf);
  }
  gt_jsonw_lit(&s->w, sep);
  gt_jsonw_lit(&s->w, "wall ");
  fmt_dur(buf, sizeof(buf), fig->wall_ns);
  gt_jsonw_lit(&s->w, buf);
  snprintf(buf, sizeof(buf), "%s%zu task%s", sep, ntasks,
      ntasks == 1 ? "" : "s");
  gt_jsonw_lit(&s->w, buf);
  if (failed > 0) {
    snprintf(buf, sizeof(buf), ", %u failed", failed);
    gt_jsonw_lit(&s->w, buf);
  }
  if (unfinished > 0) {
    snprintf(buf, sizeof(buf), ", %u unfinished", unfinished);
    gt_jsonw_lit(&s->w, buf);
  }
  gt_jsonw_lit(&s->w, "</text>\n");
}

/* The ruler: round times from t0 with their labels, and faint grid lines
 * down to bottom. */
static void
write_ruler(struct svg *s, unsigned y, unsigned bottom)
{
  static const uint64_t mul[] = { 1, 2, 5 };
  uint64_t want, step = 1000, t;
  char buf[32];
  double x, half;
  unsigned k;

  /* The smallest step of 1, 2 or 5 us times a power of ten that puts the
   * labels TICK_GAP_PX apart. */
  want = (uint64_t)((double)s->span_ns * TICK_GAP_PX / s->cw);
  for (k = 0; step * mul[k % 3] < want; k++)
    if (k % 3 == 2)
      step *= 10;
  step *= mul[k % 3];
  gt_jsonw_lit(&s->w, "<g class=\"ruler\" font-size=\"10\" fill=\"" INK
      "\" text-anchor=\"middle\">\n");
  for (t = 0; t <= s->span_ns; t += step) {
    x = x_of(s, s->t0 + t);
    gt_jsonw_lit(&s->w, "<line");
    attr_px(&s->w, "x1", x);
    attr_u(&s->w, "y1", y + 16);
    attr_px(&s->w, "x2", x);
    attr_u(&s->w, "y2", bottom);
    gt_jsonw_lit(&s->w, " stroke=\"" GRID "\"/>\n<line");
    attr_px(&s->w, "x1", x);
    attr_u(&s->w, "y1", y + 16);
    attr_px(&s->w, "x2", x);
    attr_u(&s->w, "y2", y + 22);
    gt_jsonw_lit(&s->w, " stroke=\"" INK "\"/>\n");
    fmt_tick(buf, sizeof(buf), t, step);
    half = (double)strlen(buf) * 6.0 / 2;
    if (x + half <= SVG_W - 2) {
      gt_jsonw_lit(&s->w, "<text");
      attr_px(&s->w, "x", x);
      attr_u(&s->w, "y", y + 12);
      gt_jsonw_lit(&s->w, ">");
      gt_jsonw_lit(&s->w, buf);
      gt_jsonw_lit(&s->w, "</text>\n");
    }
    if (s->span_ns - t < step)
      break;
  }
  gt_jsonw_lit(&s->w, "<line");
  attr_px(&s->w, "x1", s->x0);
  attr_u(&s->w, "y1", y + 22);
  attr_px(&s->w, "x2", s->x0 + s->cw);
  attr_u(&s->w, "y2", y + 22);
  gt_jsonw_lit(&s->w, " stroke=\"" INK "\"/>\n</g>\n");
}

/* A legend's name of cat: the category table's; in another tool's trace
 * a lane's running is a slice, busy, and its queued gap idle (the names
 * tui/report.c's gt_report_cat_name() gives the view and the report). */
static const char *
legend_name(int cat, int foreign)
{
  if (foreign && cat == GT_CAT_RUNNING)
    return "busy (in a slice)";
  if (foreign && cat == GT_CAT_QUEUED)
    return "idle";
  return gt_cat_info(cat)->name;
}

/* The legend: a swatch and a name for every category drawn, the state
 * ready's reasons (no core, loop busy) last after one "ready:", as the
 * live view and the report have it, and the cross when a task failed. */
static void
write_legend(struct svg *s, unsigned y)
{
  double x = MARGIN;
  int k, ready_said = 0;

  gt_jsonw_lit(&s->w, "<g class=\"legend\">\n");
  for (k = 1; k < GT_CAT_COUNT; k++) {
    if (!(s->seen & 1u << k))
      continue;
    if (gt_reason_ready(GT_CAT_REASON(k)) && !ready_said) {
      gt_jsonw_lit(&s->w, "<text");
      attr_px(&s->w, "x", x);
      attr_u(&s->w, "y", y + 12);
      gt_jsonw_lit(&s->w, ">ready:</text>\n");
      x += (double)strlen("ready:") * CHAR_W + 8;
      ready_said = 1;
    }
    gt_jsonw_lit(&s->w, "<rect");
    attr_px(&s->w, "x", x);
    attr_u(&s->w, "y", y + 2);
    gt_jsonw_lit(&s->w, " width=\"12\" height=\"12\" fill=\"");
    put_fill(&s->w, k);
    gt_jsonw_lit(&s->w, "\"/>\n<text");
    attr_px(&s->w, "x", x + 16);
    attr_u(&s->w, "y", y + 12);
    gt_jsonw_lit(&s->w, ">");
    gt_jsonw_lit(&s->w, legend_name(k, s->foreign));
    gt_jsonw_lit(&s->w, "</text>\n");
    x += 16 + (double)strlen(legend_name(k, s->foreign)) * CHAR_W + 14;
  }
  if (s->failed) {
    gt_jsonw_lit(&s->w, "<text");
    attr_px(&s->w, "x", x);
    attr_u(&s->w, "y", y + 12);
    gt_jsonw_lit(&s->w, " fill=\"" FAIL_RED "\" font-weight=\"bold\">"
        "\xe2\x9c\x97</text>\n<text");
    attr_px(&s->w, "x", x + 12);
    attr_u(&s->w, "y", y + 12);
    gt_jsonw_lit(&s->w, ">failed</text>\n");
  }
  gt_jsonw_lit(&s->w, "</g>\n");
}

/* The document's title: "gantty: sync, threads". */
static void
write_title(struct svg *s, uint16_t nruns)
{
  struct gt_run_info ri;
  uint16_t r;

  gt_jsonw_lit(&s->w, "<title>gantty");
  for (r = 0; r < nruns; r++) {
    if (gt_recorder_run_get(s->rec, r, &ri) != 0)
      continue;
    gt_jsonw_lit(&s->w, r == 0 ? ": " : ", ");
    xml_text(&s->w, gt_recorder_string(s->rec, ri.name), 0);
  }
  gt_jsonw_lit(&s->w, "</title>\n");
}

/* Write the whole picture. */
int
gt_svg_write(const struct gt_timeline *tl, FILE *f)
{
  struct gt_recorder *rec = gt_timeline_recorder(tl);
  struct svg s;
  struct gt_run_info ri;
  struct gt_run_figures fig;
  const struct gt_tl_lane *l;
  uint16_t nruns = gt_recorder_runs(rec), r;
  uint64_t end;
  size_t i, n, q, nlanes = 0, panels = nruns, chars;
  size_t tlruns = gt_timeline_runs(tl);
  unsigned y, height, chart_top;
  int known, k, rc;

  memset(&s, 0, sizeof(s));
  s.tl = tl;
  s.rec = rec;
  /* a file is another tool's or gantty's: its first run says which */
  s.foreign = gt_recorder_run_get(rec, 0, &ri) == 0
      && (ri.flags & GT_RUN_FOREIGN) != 0;
  s.t0 = gt_recorder_t0(rec);
  /* One axis for the whole session: t0 to its last event or run end. */
  end = gt_timeline_events(tl) > 0 ? gt_timeline_last(tl) : 0;
  for (r = 0; r < nruns; r++)
    if (gt_recorder_run_get(rec, r, &ri) == 0 && ri.end_ns > end)
      end = ri.end_ns;
  s.span_ns = end > s.t0 ? end - s.t0 : 1000000;
  /* Panels: every run, and any run with task lanes that has no info.
   * Lanes, run by run and by task, are the timeline's task lanes. */
  s.label_chars = LABEL_MIN;
  for (q = 0; q < tlruns; q++) {
    n = gt_timeline_run(tl, q)->ntask_lanes;
    nlanes += n;
    if (q >= nruns && n > 0)
      panels++;
    for (i = 0; i < n; i++) {
      l = gt_timeline_task_lane(tl, q, i);
      chars = l->qname != 0
          ? text_chars(gt_recorder_string(rec, l->qname)) : 12;
      if (chars > s.label_chars)
        s.label_chars = chars > LABEL_MAX ? LABEL_MAX : (unsigned)chars;
    }
  }
  s.x0 = MARGIN + s.label_chars * CHAR_W + 8;
  s.cw = SVG_W - RIGHT_PAD - s.x0;
  chart_top = MARGIN + RULER_H;
  height = chart_top + (unsigned)(panels * (HEADER_H + PANEL_GAP)
      + nlanes * ROW_H) + LEGEND_H + MARGIN;

  gt_jsonw_init(&s.w, f);
  gt_jsonw_lit(&s.w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\"");
  attr_u(&s.w, "width", SVG_W);
  attr_u(&s.w, "height", height);
  gt_jsonw_lit(&s.w, " viewBox=\"0 0 ");
  gt_jsonw_u64(&s.w, SVG_W);
  gt_jsonw_raw(&s.w, " ", 1);
  gt_jsonw_u64(&s.w, height);
  gt_jsonw_lit(&s.w, "\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, "
      "monospace\" font-size=\"11\" fill=\"" INK "\">\n");
  write_title(&s, nruns);
  if (s.foreign)
    gt_jsonw_lit(&s.w, "<desc>Another tool's trace as a Gantt chart: one "
        "row per thread, busy in its slices and idle between them, time "
        "from the trace's start.</desc>\n<defs>");
  else
    gt_jsonw_lit(&s.w, "<desc>A gantty session as a Gantt chart: one row "
        "per task, one rect per state, time from the session's start."
        "</desc>\n<defs>");
  for (k = 1; k < GT_CAT_COUNT; k++) {  /* a faint category's dots */
    if (!gt_cat_info(k)->dim)
      continue;
    gt_jsonw_lit(&s.w, "<pattern id=\"gt-");
    gt_jsonw_lit(&s.w, gt_cat_info(k)->name);
    gt_jsonw_lit(&s.w, "\" width=\"4\" height=\"4\" "
        "patternUnits=\"userSpaceOnUse\"><rect width=\"4\" height=\"4\" "
        "fill=\"" GRID "\"/><circle cx=\"2\" cy=\"2\" r=\"0.9\" "
        "fill=\"");
    gt_jsonw_lit(&s.w, gt_cat_info(k)->rgb);
    gt_jsonw_lit(&s.w, "\"/></pattern>");
  }
  gt_jsonw_lit(&s.w, "</defs>\n");
  gt_jsonw_lit(&s.w, "<rect width=\"100%\" height=\"100%\" "
      "fill=\"#ffffff\"/>\n");
  write_ruler(&s, MARGIN, height - LEGEND_H - MARGIN);

  y = chart_top;
  for (r = 0; r < nruns || r < tlruns; r++) {
    n = r < tlruns ? gt_timeline_run(tl, r)->ntask_lanes : 0;
    known = gt_recorder_run_get(rec, r, &ri) == 0;
    if (!known) {
      if (n == 0)
        continue;
      memset(&ri, 0, sizeof(ri));
    }
    gt_jsonw_lit(&s.w, "<g class=\"run\" data-run=\"");
    gt_jsonw_u64(&s.w, r);
    gt_jsonw_lit(&s.w, "\">\n");
    memset(&fig, 0, sizeof(fig));
    if (r < gt_timeline_runs(tl))
      gt_timeline_figures(tl, r, 0, &fig);
    write_header(&s, r, known, &ri, &fig, n, y);
    y += HEADER_H;
    for (i = 0; i < n; i++, y += ROW_H)
      write_lane(&s, gt_timeline_task_lane(tl, r, i), y);
    y += PANEL_GAP;
    gt_jsonw_lit(&s.w, "</g>\n");
    if (r == UINT16_MAX)
      break;
  }
  write_legend(&s, y);
  gt_jsonw_lit(&s.w, "</svg>\n");
  rc = gt_jsonw_done(&s.w);
  return rc;
}

/* Export rec to path as SVG, atomically. */
int
gt_svg_export(struct gt_recorder *rec, const char *path, char **cause)
{
  return gt_export_with(rec, path, gt_svg_write, cause);
}
