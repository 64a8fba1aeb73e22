/*
 * trace/jsonw.h: a buffered JSON text writer.
 *
 * Hand-written rather than fprintf because the Chrome exporter's budget
 * (>= 5 M events/s, >= 1.5x an fprintf writer) is out of fprintf's reach:
 * bench/bench_export.c measures both in the same run and
 * docs/PERFORMANCE.md records the figures.  Numbers never depend on the
 * locale.  Not thread-safe: one writer per thread.
 */
#ifndef GT_JSONW_H
#define GT_JSONW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct gt_jsonw {
  FILE  *f;             /* where full buffers go */
  char  *buf;
  size_t len;           /* bytes in buf */
  size_t cap;           /* bytes allocated */
};

/* Start writing to f (borrowed; the caller closes it). */
void gt_jsonw_init(struct gt_jsonw *w, FILE *f);

/* Flush what is buffered and free the buffer; returns 0 or -EIO when the
 * stream has an error (gt_outfile_commit() finds the real errno). */
int gt_jsonw_done(struct gt_jsonw *w);

/* Write the buffer out (called when it fills). */
void gt_jsonw_flush(struct gt_jsonw *w);

/* Raw text, n bytes. */
static inline void
gt_jsonw_raw(struct gt_jsonw *w, const char *s, size_t n)
{
  if (w->len + n > w->cap) {
    gt_jsonw_flush(w);
    if (n > w->cap) {
      fwrite(s, 1, n, w->f);
      return;
    }
  }
  memcpy(w->buf + w->len, s, n);
  w->len += n;
}

/* A C string literal or any NUL-terminated raw text. */
static inline void
gt_jsonw_lit(struct gt_jsonw *w, const char *s)
{
  gt_jsonw_raw(w, s, strlen(s));
}

/* A quoted, escaped JSON string. */
void gt_jsonw_str(struct gt_jsonw *w, const char *s);

/* Integers. */
void gt_jsonw_u64(struct gt_jsonw *w, uint64_t v);
void gt_jsonw_i64(struct gt_jsonw *w, int64_t v);

/* ns as microseconds with three decimals ("12.345"), signed. */
void gt_jsonw_us(struct gt_jsonw *w, int64_t ns);

/* A double with up to 3 decimals, in the C locale ("1.5", "0.333"). */
void gt_jsonw_f3(struct gt_jsonw *w, double v);

/* gt_utf8_len(), which the CSV and SVG writers use to replace bytes that
 * are not UTF-8 as the JSON one does, is in base.h. */

#endif
